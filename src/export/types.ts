// Shared types of the download writers (CSV / XLSX): cell values, column definitions, row chunks,
// the unmappable-character report and the error thrown when a result is too large for Excel.

/** One cell as it comes from a query. Dates come as `'YYYY-MM-DD'` strings. */
export type CellValue = string | number | bigint | boolean | null;

/** A column of an extract: its header and how its values are written. */
export interface ExportColumn {
  name: string;
  kind: 'text' | 'int' | 'number' | 'rate' | 'date';
  /**
   * Date columns: 'wareki' (default, 令和6年1月1日) or 'seireki' (2024年1月1日);
   * 'seireki-if-foreign' = 西暦 when the row's 住民種別 (see `foreignFlagIndex`) is 外国人.
   */
  dateStyle?: 'wareki' | 'seireki' | 'seireki-if-foreign';
}

/**
 * Rows in chunks, each row aligned with the columns (`row[i]` is `columns[i]`). The column at
 * `foreignFlagIndex`, when given, is the hidden 住民種別 used only for formatting: it is not written.
 */
export type RowChunks = AsyncIterable<CellValue[][]>;

/** What goes on the 条件 sheet: the title, then label/value pairs (基準日, parameters, snapshot, 作成者, 作成日時 …). */
export interface ExportMeta {
  title: string;
  conditions: [string, string][];
}

/** A character CP932 cannot hold, written as 〓: 1-based data row (0 = header), column name, the character, `U+XXXX`. */
export interface Unmappable {
  row: number;
  column: string;
  char: string;
  codePoint: string;
}

/** At most this many unmappable characters are listed; `unmappableTotal` counts them all. */
export const UNMAPPABLE_LIST_LIMIT = 1000;

/** Excel's last row is 1,048,576; one is the header. */
export const XLSX_MAX_DATA_ROWS = 1_048_575;

/**
 * Thrown by writeXlsx when the result has more data rows than Excel can hold (before anything is
 * written when a `totalRows` hint says so, or as soon as the stream passes the limit). The server
 * answers 413 with `message`.
 *
 * @example
 * try { await writeXlsx(file, columns, chunks, opts); }
 * catch (e) { if (e instanceof ExportTooLarge) return c.json({ error: e.message }, 413); throw e; }
 */
export class ExportTooLarge extends Error {
  override readonly name = 'ExportTooLarge';
  /** The row count that was refused (`atLeast`: the stream was cut there, the real total is larger). */
  readonly rows: number;
  readonly limit: number;
  readonly atLeast: boolean;

  constructor(rows: number, limit: number = XLSX_MAX_DATA_ROWS, atLeast = false) {
    const n = `${rows.toLocaleString('en-US')} 行${atLeast ? '以上' : ''}`;
    super(`Excel の行数上限 ${limit.toLocaleString('en-US')} 行を超えます（${n}）。CSV でダウンロードしてください。`);
    this.rows = rows;
    this.limit = limit;
    this.atLeast = atLeast;
  }
}
