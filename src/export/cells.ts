// Cell-level rules shared by the CSV and XLSX writers: formula-injection neutralisation, date
// parsing, display widths (CJK = 2), U+XXXX labels and which columns are written (hidden 住民種別).
import type { CellValue, ExportColumn } from './types.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Neutralises formula injection: a text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading
 * `'` so Excel / LibreOffice show it as text instead of evaluating it. Numbers are never passed here.
 *
 * @example
 * neutralise('=HYPERLINK("http://x")') // "'=HYPERLINK(\"http://x\")"
 * neutralise('-5')                      // "'-5"
 * neutralise('山田')                    // '山田'
 */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A `'YYYY-MM-DD'` calendar date as a JS Date at UTC midnight (what exceljs turns into a whole
 * Excel serial day), or undefined when the text is not such a date.
 *
 * @example
 * dateAtUtcMidnight('2024-01-01')?.toISOString() // '2024-01-01T00:00:00.000Z'
 * dateAtUtcMidnight('2024-02-30')                 // undefined
 */
export function dateAtUtcMidnight(text: string): Date | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const date = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC maps years 0–99 to 1900–1999: set the year explicitly.
  date.setUTCFullYear(y);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date;
}

/** True for full-width / CJK code points, which take two columns in a spreadsheet cell. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xe000 && cp <= 0xfaff) || // private use (外字) and CJK compatibility ideographs
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/**
 * Display width of a text in spreadsheet columns: CJK and full-width characters count 2, others 1
 * (the longest line when the text has several).
 *
 * @example
 * displayWidth('abc')      // 3
 * displayWidth('令和6年')  // 7
 */
export function displayWidth(text: string): number {
  let best = 0, w = 0;
  for (const ch of text) {
    if (ch === '\n') {
      best = Math.max(best, w);
      w = 0;
      continue;
    }
    w += isWide(ch.codePointAt(0)!) ? 2 : 1;
  }
  return Math.max(best, w);
}

/**
 * `U+XXXX` (at least four upper-case hex digits) for the first code point of a text.
 *
 * @example
 * codePointLabel('〜') // 'U+301C'
 * codePointLabel('𠮷') // 'U+20BB7'
 */
export function codePointLabel(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The columns written (the hidden flag column dropped) and their positions in each row. */
export interface Layout {
  columns: ExportColumn[];
  indices: number[];
  foreignFlagIndex?: number;
}

/**
 * Which columns are written: all of `columns` except the one at `foreignFlagIndex` (the hidden
 * 住民種別, used only to pick 西暦 for foreigners' dates).
 *
 * @example
 * layout([{ name: '生年月日', kind: 'date' }, { name: '住民種別', kind: 'text' }], 1).indices // [0]
 */
export function layout(columns: ExportColumn[], foreignFlagIndex?: number): Layout {
  if (foreignFlagIndex !== undefined && (!Number.isInteger(foreignFlagIndex) || foreignFlagIndex < 0 || foreignFlagIndex >= columns.length)) {
    throw new RangeError(`住民種別の列位置 ${foreignFlagIndex} が列定義（${columns.length} 列）の範囲外です。`);
  }
  const indices = columns.map((_, i) => i).filter((i) => i !== foreignFlagIndex);
  return { columns: indices.map((i) => columns[i]!), indices, foreignFlagIndex };
}

/**
 * Throws when a row does not have one cell per column (a programming error in the query layer).
 *
 * @example
 * checkRow(['1', 'a'], 3, 7) // throws '7 行目のセル数（2）が列定義（3 列）と一致しません。'
 */
export function checkRow(row: CellValue[], width: number, rowNumber: number): void {
  if (row.length !== width) {
    throw new Error(`${rowNumber} 行目のセル数（${row.length}）が列定義（${width} 列）と一致しません。`);
  }
}

/**
 * A finite number or a bigint: written as a number, never neutralised (even when negative).
 *
 * @example
 * isNumeric(-5) // true
 * isNumeric(NaN) // false
 */
export function isNumeric(v: CellValue): v is number | bigint {
  return (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'bigint';
}
