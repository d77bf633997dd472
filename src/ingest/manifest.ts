// manifest.json of a snapshot package (snapshot-format.md §2): schema, checks and Japanese messages.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { isValidMunicipalityCode } from '../util/wareki.ts';
import type { Problem } from './problems.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD 形式の日付が必要です')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), '存在しない日付です');

const fileEntry = z.object({
  rows: z.number({ error: '行数（数値）が必要です' }).int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'sha256 は16進64文字です'),
});

export const manifestSchema = z.object({
  format: z.literal('juki-snapshot/1', { error: '"juki-snapshot/1" である必要があります' }),
  municipalityCode: z.string().regex(/^\d{6}$/, '6桁の全国地方公共団体コードが必要です')
    .refine(isValidMunicipalityCode, '検査数字が一致しません（全国地方公共団体コード）'),
  municipalityName: z.string().min(1, '団体名が必要です'),
  extractedAt: z.string().min(1, '抽出日時が必要です'),
  processedThrough: isoDate,
  history: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('full') }),
    z.object({ mode: z.literal('delta'), since: isoDate }),
  ], { error: 'mode は "full" または "delta"（since 付き）です' }),
  encoding: z.enum(['UTF-8', 'CP932'], { error: '"UTF-8" または "CP932" です' }),
  files: z.record(z.string(), fileEntry),
});

export type Manifest = z.infer<typeof manifestSchema>;

/** Reads and checks manifest.json; returns the manifest or the problems found. */
export async function readManifest(file: string): Promise<{ manifest?: Manifest; problems: Problem[] }> {
  let raw: unknown;
  try {
    raw = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'manifest.json がありません' : `JSON として読めません（${(e as Error).message}）`;
    return { problems: [{ file: 'manifest.json', message }] };
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => ({
        file: 'manifest.json',
        column: issue.path.join('.') || undefined,
        message: issue.message,
      })),
    };
  }
  return { manifest: parsed.data, problems: [] };
}
