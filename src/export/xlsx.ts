// XLSX download writer: exceljs's streaming WorkbookWriter into a temp file, one committed row at a
// time (memory stays flat), bold frozen header, fitted widths, real dates in 和暦/西暦, a 条件 sheet,
// and a refusal (ExportTooLarge) past Excel's 1,048,575 data rows.
import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { toWareki } from '../util/wareki.ts';
import { checkRow, dateAtUtcMidnight, displayWidth, isNumeric, layout, neutralise, type Layout } from './cells.ts';
import { TempFile } from './file.ts';
import { ExportTooLarge, XLSX_MAX_DATA_ROWS, type CellValue, type ExportColumn, type ExportMeta, type RowChunks } from './types.ts';

export { ExportTooLarge } from './types.ts';

export interface XlsxOptions {
  /** Name of the data sheet (sanitised: at most 31 characters, none of `[]:*?/\`). */
  sheetName: string;
  /** Written on the second sheet 「条件」. */
  meta: ExportMeta;
  /** Position in each row of the hidden 住民種別 column (not written; '外国人' selects 西暦 for 'seireki-if-foreign'). */
  foreignFlagIndex?: number;
  /** Row count if known (e.g. from countExtract): more than `maxRows` is refused before anything is written. */
  totalRows?: number;
  /** Data-row limit; Excel's 1,048,575 unless a test lowers it. */
  maxRows?: number;
}

export interface XlsxResult {
  /** Data rows written (the header not counted). */
  rows: number;
  /** Size of the finished file. */
  bytes: number;
}

/**
 * 和暦 date format. `[$-411]` (ja-JP) makes `ggg` the era name and `e` the era year in Excel and in
 * LibreOffice (both show 令和6年1月1日); `[$-ja-JP-x-gannen]` would show 令和元年 in Excel but
 * LibreOffice ignores it and shows the serial number, so the first year of an era reads 令和1年.
 */
export const WAREKI_FORMAT = '[$-411]ggge"年"m"月"d"日"';
/** 西暦 date format (foreigners' dates, 標準仕様書 1.1.9). */
export const SEIREKI_FORMAT = 'yyyy"年"m"月"d"日"';
export const INT_FORMAT = '#,##0';
export const RATE_FORMAT = '0.0';

const CONDITIONS_SHEET = '条件';
const FIT_ROWS = 1000;
const MIN_WIDTH = 6;
const MAX_WIDTH = 80;
/** Wait for the zip to catch up when this much sheet XML is queued for it. */
const HIGH_WATER = 4 * 1024 * 1024;
/** Give up when the zip makes no progress for this long (a stalled pipeline must not hang a request). */
const STALL_MS = 120_000;
/** Excel serial days are wrong before 1900-03-01 (the 1900 leap-year bug): such dates are written as text. */
const FIRST_SERIAL_DATE = Date.UTC(1900, 2, 1);

type Style = Partial<ExcelJS.Style>;
const HEADER_STYLE: Style = {
  font: { bold: true },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } },
  alignment: { vertical: 'middle' },
};
const STYLE = {
  wareki: { numFmt: WAREKI_FORMAT },
  seireki: { numFmt: SEIREKI_FORMAT },
  int: { numFmt: INT_FORMAT },
  rate: { numFmt: RATE_FORMAT },
} satisfies Record<string, Style>;

/**
 * A valid Excel sheet name: `[]:*?/\` and control characters become `_`, leading/trailing `'`
 * are removed, at most 31 characters, never empty, 「条件」 or the reserved "History".
 *
 * @example
 * sanitiseSheetName('町丁字別/男女別 [2024]') // '町丁字別_男女別 _2024_'
 */
export function sanitiseSheetName(name: string): string {
  let s = name.replace(/[[\]:*?\/\\\u0000-\u001f]/g, '_').trim().replace(/^'+|'+$/g, '');
  if (s.length > 31) {
    s = s.slice(0, 31);
    if (/[\ud800-\udbff]$/.test(s)) s = s.slice(0, 30);
    s = s.replace(/'+$/, '');
  }
  if (s === '' || s === CONDITIONS_SHEET) return 'データ';
  if (s.toLowerCase() === 'history') return `${s}_`;
  return s;
}

/** The parts of exceljs's streaming writer used here that its typings leave out. */
interface WriterInternals {
  zip: { on(ev: 'error', f: (e: Error) => void): void; abort?(): void };
}
/** A worksheet's output buffer; `pipes[0]` is the PassThrough (readable-stream 2) archiver reads the sheet from. */
interface SheetInternals {
  stream: { pipes?: QueueingStream[] };
}
type QueueingStream = Pick<Writable, 'on' | 'off'> & { writableLength?: number; _writableState?: { length?: number } };

/** Bytes waiting in a stream's write queue (readable-stream 2 has no `writableLength`); 0 if unknown. */
function queued(w: QueueingStream): number {
  return w.writableLength ?? w._writableState?.length ?? 0;
}

interface CellOut {
  value: ExcelJS.CellValue;
  style?: Style;
  width: number;
}

function dateText(d: Date, seireki: boolean): string {
  const iso = d.toISOString().slice(0, 10);
  return seireki ? `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日` : toWareki(iso);
}

/** How one cell is written and how wide it shows. */
function cellOut(v: CellValue, col: ExportColumn, foreign: boolean): CellOut {
  if (v === null || v === undefined) return { value: null, width: 0 };
  if (typeof v === 'boolean') return { value: v, width: 5 };
  if (typeof v === 'bigint') {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) return { value: v.toString(), width: v.toString().length };
    v = Number(v);
  }
  if (typeof v === 'number') {
    if (!isNumeric(v)) return { value: null, width: 0 };
    if (col.kind === 'int') return { value: v, style: STYLE.int, width: Math.round(v).toLocaleString('en-US').length };
    if (col.kind === 'rate') return { value: v, style: STYLE.rate, width: v.toFixed(1).length };
    return { value: v, width: String(v).length };
  }
  if (col.kind === 'date') {
    const d = dateAtUtcMidnight(v);
    if (d) {
      const style = col.dateStyle === 'seireki' || (col.dateStyle === 'seireki-if-foreign' && foreign) ? 'seireki' : 'wareki';
      if (d.getTime() < FIRST_SERIAL_DATE) {
        const text = dateText(d, style === 'seireki');
        return { value: text, width: displayWidth(text) };
      }
      return { value: d, style: STYLE[style], width: style === 'seireki' ? 14 : 16 };
    }
  }
  const text = neutralise(v);
  return { value: text, width: displayWidth(text) };
}

function fit(width: number): number {
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.ceil(width) + 2));
}

/** Column widths from the header (bold: a little wider) and the first rows. */
function widths(lay: Layout, head: CellValue[][]): number[] {
  const w = lay.columns.map((c) => displayWidth(c.name) * 1.1);
  for (const row of head.slice(0, FIT_ROWS)) {
    const foreign = lay.foreignFlagIndex !== undefined && row[lay.foreignFlagIndex] === '外国人';
    lay.indices.forEach((src, j) => {
      w[j] = Math.max(w[j]!, cellOut(row[src] ?? null, lay.columns[j]!, foreign).width);
    });
  }
  return w.map(fit);
}

/**
 * Writes rows to `file` as XLSX: sheet 1 = the data (bold frozen header, fitted widths, dates as
 * real dates in 和暦 or 西暦, ints `#,##0`, rates `0.0`, text neutralised), sheet 2 「条件」 = the
 * title and conditions. More than 1,048,575 data rows throws ExportTooLarge (and leaves no file).
 *
 * @example
 * await writeXlsx('/state/exports/x.xlsx', columns, chunks, {
 *   sheetName: '町丁字別人口', totalRows: await countExtract(conn, def, values, opts),
 *   meta: { title: '町丁字別 男女別 人口・世帯数', conditions: [['基準日', '令和6年1月1日'], ['作成者', 'suzuki']] },
 * });
 */
export async function writeXlsx(file: string, columns: ExportColumn[], rows: RowChunks, opts: XlsxOptions): Promise<XlsxResult> {
  const lay = layout(columns, opts.foreignFlagIndex);
  const limit = opts.maxRows ?? XLSX_MAX_DATA_ROWS;
  if (opts.totalRows !== undefined && opts.totalRows > limit) throw new ExportTooLarge(opts.totalRows, limit);

  const it = rows[Symbol.asyncIterator]();
  let done = false;
  let count = 0;
  let out: TempFile | undefined;
  let wb: ExcelJS.stream.xlsx.WorkbookWriter | undefined;
  try {
    // Read ahead the rows the column widths are fitted on: widths must be set before the first row is written.
    const head: CellValue[][][] = [];
    let headRows = 0;
    while (headRows < FIT_ROWS) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      head.push(r.value);
      headRows += r.value.length;
      if (headRows > limit) throw new ExportTooLarge(headRows, limit, true);
    }

    out = TempFile.open(file);
    const target = out;
    wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: target.stream, useStyles: true, useSharedStrings: false });
    let zipError: Error | undefined;
    let zipFail: (e: Error) => void = () => undefined;
    const zipFailed = new Promise<never>((_, reject) => {
      zipFail = reject;
    });
    zipFailed.catch(() => undefined);
    (wb as unknown as WriterInternals).zip.on('error', (e) => {
      zipError ??= e;
      zipFail(e);
    });
    const check = (): void => {
      if (zipError) throw zipError;
      target.check();
    };
    /** Waits for `work` unless the zip or the file fails first (exceljs would then wait forever). */
    const unlessFailed = <T>(work: Promise<T>): Promise<T> => Promise.race([work, target.failed, zipFailed]);
    /**
     * exceljs's sheet stream ignores backpressure and would queue the whole sheet in memory when rows
     * come faster than zlib compresses them: wait for archiver's input to drain (or for a failure).
     */
    const caughtUp = async (sheet: ExcelJS.Worksheet): Promise<void> => {
      const input = (sheet as unknown as SheetInternals).stream.pipes?.[0];
      if (!input || queued(input) < HIGH_WATER) return;
      let timer: NodeJS.Timeout | undefined;
      let onDrain: (() => void) | undefined;
      const drained = new Promise<void>((resolve, reject) => {
        onDrain = resolve;
        input.on('drain', resolve);
        timer = setTimeout(() => reject(new Error('XLSX の書き出しが進まなくなりました。')), STALL_MS);
      });
      try {
        await unlessFailed(drained);
      } finally {
        clearTimeout(timer);
        if (onDrain) input.off('drain', onDrain);
      }
      check();
    };

    const ws = wb.addWorksheet(sanitiseSheetName(opts.sheetName), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = widths(lay, head.flat()).map((width) => ({ width }));
    const header = ws.addRow(lay.columns.map((c) => neutralise(c.name)));
    header.eachCell((cell) => {
      cell.style = HEADER_STYLE;
    });
    header.commit();

    const writeChunk = async (chunk: CellValue[][]): Promise<void> => {
      for (const row of chunk) {
        count++;
        if (count > limit) throw new ExportTooLarge(count, limit, true);
        checkRow(row, columns.length, count);
        const foreign = lay.foreignFlagIndex !== undefined && row[lay.foreignFlagIndex] === '外国人';
        const cells = lay.indices.map((src, j) => cellOut(row[src] ?? null, lay.columns[j]!, foreign));
        const xrow = ws.addRow(cells.map((c) => c.value));
        cells.forEach((c, j) => {
          if (c.style && c.value !== null) xrow.getCell(j + 1).style = c.style;
        });
        xrow.commit();
      }
      check();
      await caughtUp(ws);
    };
    for (const chunk of head) await writeChunk(chunk);
    head.length = 0;
    while (!done) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      await writeChunk(r.value);
    }
    ws.commit();

    const cond = wb.addWorksheet(CONDITIONS_SHEET);
    const condRows: [string, string][] = [['表題', opts.meta.title], ...opts.meta.conditions];
    cond.columns = [0, 1].map((k) => ({ width: fit(Math.max(displayWidth(k ? '内容' : '項目') * 1.1, ...condRows.map((r) => displayWidth(neutralise(r[k]!))))) }));
    const condHeader = cond.addRow(['項目', '内容']);
    condHeader.eachCell((cell) => {
      cell.style = HEADER_STYLE;
    });
    condHeader.commit();
    for (const [k, v] of condRows) cond.addRow([neutralise(k), neutralise(v)]).commit();
    cond.commit();

    await unlessFailed(wb.commit());
    check();
    const bytes = await target.commit({ endedElsewhere: true });
    return { rows: count, bytes };
  } catch (e) {
    if (!done) await Promise.resolve(it.return?.()).catch(() => undefined);
    (wb as unknown as WriterInternals | undefined)?.zip.abort?.();
    await out?.abort();
    throw e;
  }
}
