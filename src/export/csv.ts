// CSV download writer: UTF-8 with BOM (default) or CP932, CRLF, RFC 4180 quoting, formula
// neutralisation; rows are written chunk by chunk into a temp file (memory stays flat), renamed when done.
import { checkRow, isNumeric, layout, neutralise } from './cells.ts';
import { Cp932Encoder } from './cp932.ts';
import { TempFile } from './file.ts';
import type { ExportColumn, RowChunks, Unmappable } from './types.ts';

export interface CsvOptions {
  /** 'utf8' = UTF-8 with BOM (opens correctly in Japanese Excel); 'cp932' = Windows-31J. */
  encoding: 'utf8' | 'cp932';
  /** Position in each row of the hidden 住民種別 column (not written). */
  foreignFlagIndex?: number;
}

export interface CsvResult {
  /** Data rows written (the header not counted). */
  rows: number;
  /** Size of the finished file. */
  bytes: number;
  /** CP932 only: characters written as 〓 (the first 1,000). */
  unmappable: Unmappable[];
  /** CP932 only: how many characters were written as 〓 in all. */
  unmappableTotal: number;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const NEEDS_QUOTES = /[",\r\n]/;
/** Encode and write when the pending text reaches about this many UTF-16 units. */
const FLUSH_AT = 256 * 1024;

/** RFC 4180 field: quoted (with doubled quotes) when it holds a comma, quote, CR or LF. */
function quote(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Writes rows to `file` as CSV. Dates (`'YYYY-MM-DD'`) are written as they come — machine-readable
 * and opened as dates by Excel — numbers plainly (negative numbers are not neutralised), text
 * neutralised against formula injection. In CP932 every character the encoding cannot hold is
 * written as 〓 and listed in `unmappable`. The file appears only when complete.
 *
 * @example
 * const { rows, bytes, unmappable } = await writeCsv('/state/exports/x.csv', columns, chunks, { encoding: 'cp932' });
 */
export async function writeCsv(file: string, columns: ExportColumn[], rows: RowChunks, opts: CsvOptions): Promise<CsvResult> {
  const lay = layout(columns, opts.foreignFlagIndex);
  const cp932 = opts.encoding === 'cp932' ? new Cp932Encoder() : undefined;
  const text = (s: string, row: number, col: string): string => quote(neutralise(cp932 ? cp932.map(s, row, col) : s));
  const encode = (s: string): Buffer => (cp932 ? cp932.encode(s) : Buffer.from(s, 'utf8'));

  const out = TempFile.open(file);
  let count = 0;
  try {
    if (!cp932) await out.write(BOM);
    let pending = lay.columns.map((c) => text(c.name, 0, c.name)).join(',') + '\r\n';
    for await (const chunk of rows) {
      for (const row of chunk) {
        count++;
        checkRow(row, columns.length, count);
        let line = '';
        for (let j = 0; j < lay.indices.length; j++) {
          const v = row[lay.indices[j]!];
          if (j > 0) line += ',';
          if (v === null || v === undefined) continue;
          if (isNumeric(v)) line += String(v);
          else if (typeof v === 'boolean') line += v ? 'TRUE' : 'FALSE';
          else if (typeof v === 'number') continue; // NaN / ±Infinity: empty
          else line += text(v, count, lay.columns[j]!.name);
        }
        pending += line + '\r\n';
        if (pending.length >= FLUSH_AT) {
          await out.write(encode(pending));
          pending = '';
        }
      }
    }
    await out.write(encode(pending));
    const bytes = await out.commit();
    return { rows: count, bytes, unmappable: cp932?.unmappable ?? [], unmappableTotal: cp932?.unmappableTotal ?? 0 };
  } catch (e) {
    await out.abort();
    throw e;
  }
}
