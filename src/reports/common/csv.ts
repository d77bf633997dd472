// CSV output for reports: RFC 4180 quoting, CRLF by default, UTF-8 with an optional BOM (for Excel),
// written atomically (temp file + rename) so a reader never sees half a file.
import { rename, rm, writeFile } from 'node:fs/promises';

export type CsvCell = string | number | null | undefined;

export interface CsvOptions {
  /** Prefix a UTF-8 BOM so Excel opens the file as UTF-8 (default false: the mihon expected files have none). */
  bom?: boolean;
  /** Line ending (default CRLF, as the mihon expected files). */
  eol?: '\r\n' | '\n';
}

/**
 * One field, quoted only when it holds a comma, a quote or a line break.
 * @example csvField('a,b') // '"a,b"'
 */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'number' ? String(value) : value;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The text of a CSV file: header, rows, a line ending after every line.
 * @example toCsv(['a', 'b'], [[1, 'x,y']]) // 'a,b\r\n1,"x,y"\r\n'
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[], opts: CsvOptions = {}): string {
  const eol = opts.eol ?? '\r\n';
  const lines = [header.map(csvField).join(','), ...rows.map((r) => r.map(csvField).join(','))];
  return (opts.bom ? '\uFEFF' : '') + lines.join(eol) + eol;
}

/**
 * Writes a file atomically: a temp file beside it, then rename.
 * @example await writeFileAtomic('/out/a.csv', 'a\r\n');
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}
