// mapping.json (snapshot-format.md §6): vendor column names and code values → the standard ones.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Problem } from './problems.ts';

export const mappingSchema = z.object({
  columns: z.record(z.string(), z.string()).default({}),
  codes: z.record(z.string(), z.record(z.string(), z.string())).default({}),
});

export type Mapping = z.infer<typeof mappingSchema>;

export const EMPTY_MAPPING: Mapping = { columns: {}, codes: {} };

/** Reads mapping.json if present (absent = identity mapping). */
export async function readMapping(file: string): Promise<{ mapping: Mapping; problems: Problem[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { mapping: EMPTY_MAPPING, problems: [] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { mapping: EMPTY_MAPPING, problems: [{ file: 'mapping.json', message: `JSON として読めません（${(e as Error).message}）` }] };
  }
  const parsed = mappingSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      mapping: EMPTY_MAPPING,
      problems: parsed.error.issues.map((i) => ({ file: 'mapping.json', column: i.path.join('.'), message: i.message })),
    };
  }
  return { mapping: parsed.data, problems: [] };
}

/** The standard name of a column as written in the file. */
export function mapColumn(mapping: Mapping, name: string): string {
  return mapping.columns[name] ?? name;
}
