// Runs a compiled wizard definition: a preview (first rows + total), a count, the whole result as a
// stream of row chunks (memory stays flat), or straight into a CSV / XLSX file with the same
// conventions as the standard extracts (src/export). Nothing but the compiled text and its bound
// values reaches DuckDB.
import type { DuckDBConnection } from '@duckdb/node-api';
import { ensureHelpers as ensureEucHelpers } from '../euc/helpers.ts';
import { writeCsvFromSql } from '../export/csv-sql.ts';
import { publish, type Published, type PublishShape } from '../euc/publish.ts';
import { DEFAULT_K } from '../euc/suppress.ts';
import { plainCell } from '../euc/run.ts';
import { writeCsv } from '../export/csv.ts';
import { ExportTooLarge, XLSX_MAX_DATA_ROWS, type CellValue, type ExportColumn, type ExportMeta, type RowChunks, type Unmappable } from '../export/types.ts';
import { writeXlsx } from '../export/xlsx.ts';
import { countColumnOf, type CompiledSpec } from './compile.ts';
import { SpecError } from './spec.ts';

/** The helper TEMP macros (町丁字名 …) on this connection, from the server's cache when it has one. */
async function ensureHelpers(conn: DuckDBConnection, compiled: CompiledSpec): Promise<void> {
  if (compiled.needsChochoNames) await ensureEucHelpers(conn);
}

/**
 * Number of result rows (a count table: its rows including the 合計 rows; a person list: its rows).
 * @example const n = await countSpec(conn, compiled);
 */
export async function countSpec(conn: DuckDBConnection, compiled: CompiledSpec): Promise<number> {
  await ensureHelpers(conn, compiled);
  const reader = await conn.runAndReadAll(`SELECT count(*) AS n FROM (\n${compiled.sql}\n) AS wizard_rows`, compiled.params);
  return Number(reader.getRows()[0]![0] as bigint);
}

/** Distinct persons of a person list (a changes list may hold one person several times). */
async function countPersons(conn: DuckDBConnection, compiled: CompiledSpec): Promise<number> {
  const reader = await conn.runAndReadAll(`SELECT count(DISTINCT "宛名番号") AS n FROM (\n${compiled.sql}\n) AS wizard_rows`, compiled.params);
  return Number(reader.getRows()[0]![0] as bigint);
}

function checkColumns(compiled: CompiledSpec, names: string[]): void {
  const want = compiled.columns.map((c) => c.name);
  if (names.join('\u0000') !== want.join('\u0000')) throw new Error(`ウィザードの結果の列（${names.join(', ')}）が想定（${want.join(', ')}）と違います`);
}

export interface SpecPreview {
  /** The columns a user sees (hidden ones removed). */
  columns: ExportColumn[];
  rows: CellValue[][];
  /** All result rows. */
  total: number;
  /** Person lists: distinct persons (= total for residents). */
  persons?: number;
}

/**
 * The first `rows` rows (hidden columns removed, as a screen or terminal shows them) and the total.
 * @example const { columns, rows, total } = await previewSpec(conn, compiled, 100);
 */
export async function previewSpec(conn: DuckDBConnection, compiled: CompiledSpec, rows: number): Promise<SpecPreview> {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new Error(`プレビューの行数 ${rows} が正しくありません`);
  await ensureHelpers(conn, compiled);
  const keep = compiled.columns.map((c, i) => (compiled.hidden.includes(c.name) ? -1 : i)).filter((i) => i >= 0);
  const columns = keep.map((i) => compiled.columns[i]!);
  if (compiled.kind === 'count') {
    // a count table is small: one pass, keeping the first rows and counting the rest
    const result = await conn.stream(compiled.sql, compiled.params);
    checkColumns(compiled, result.columnNames());
    const out: CellValue[][] = [];
    let total = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      if (out.length < rows) for (const r of chunk.getRows().slice(0, rows - out.length)) out.push(keep.map((i) => plainCell(r[i]!)));
      total += chunk.rowCount;
    }
    return { columns, rows: out, total };
  }
  // a person list may be large: the first rows, then count(*) (which skips the personal columns)
  const reader = await conn.runAndReadAll(`SELECT * FROM (\n${compiled.sql}\n) AS wizard_rows LIMIT $preview_rows`, { ...compiled.params, preview_rows: rows });
  checkColumns(compiled, reader.columnNames());
  const total = await countSpec(conn, compiled);
  return {
    columns,
    rows: reader.getRows().map((r) => keep.map((i) => plainCell(r[i]!))),
    total,
    persons: compiled.base === 'residents' ? total : await countPersons(conn, compiled),
  };
}

/**
 * The whole result as chunks of plain rows (all columns, hidden ones included: pass
 * `compiled.foreignFlagIndex` to the writers), one DuckDB chunk at a time. The query starts when
 * iteration starts; nothing else may run on `conn` meanwhile.
 * @example for await (const rows of streamSpec(conn, compiled)) for (const row of rows) console.log(row[0]);
 */
export function streamSpec(conn: DuckDBConnection, compiled: CompiledSpec): RowChunks {
  async function* chunks(): AsyncGenerator<CellValue[][]> {
    await ensureHelpers(conn, compiled);
    const result = await conn.stream(compiled.sql, compiled.params);
    checkColumns(compiled, result.columnNames());
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      yield chunk.getRows().map((r) => r.map(plainCell));
    }
  }
  return chunks();
}

export type SpecFileFormat = 'xlsx' | 'csv' | 'csv-cp932';

export interface SpecFileResult {
  rows: number;
  bytes: number;
  /** Person lists: distinct persons written. */
  persons?: number;
  unmappable: Unmappable[];
  unmappableTotal: number;
}

/**
 * Writes the whole result to a file: XLSX (a 条件 sheet with `conditions` after the definition's own
 * lines; refused with ExportTooLarge before writing when the rows exceed Excel's limit) or CSV (UTF-8
 * with BOM, or CP932). Hidden columns are used for formatting and not written.
 * @example await writeSpecFile(conn, compiled, { file: 'out.xlsx', format: 'xlsx', conditions: [['作成者', '(cli)']] });
 */
export async function writeSpecFile(
  conn: DuckDBConnection, compiled: CompiledSpec,
  opts: { file: string; format: SpecFileFormat; conditions?: [string, string][]; maxXlsxRows?: number },
): Promise<SpecFileResult> {
  const foreign = compiled.foreignFlagIndex !== undefined ? { foreignFlagIndex: compiled.foreignFlagIndex } : {};
  if (opts.format === 'xlsx') {
    // XLSX needs the total first (Excel's row limit, the 件数 line of the 条件 sheet)
    const total = await countSpec(conn, compiled);
    const persons = compiled.kind === 'persons' ? (compiled.base === 'residents' ? total : await countPersons(conn, compiled)) : undefined;
    const limit = opts.maxXlsxRows ?? XLSX_MAX_DATA_ROWS;
    if (total > limit) throw new ExportTooLarge(total, limit);
    const meta: ExportMeta = {
      title: compiled.title,
      conditions: [...Object.entries(compiled.shown), ...(opts.conditions ?? []), ['件数', total.toLocaleString('ja-JP')]],
    };
    const r = await writeXlsx(opts.file, compiled.columns, streamSpec(conn, compiled), { sheetName: compiled.title, meta, totalRows: total, maxRows: limit, ...foreign });
    return { rows: r.rows, bytes: r.bytes, ...(persons !== undefined ? { persons } : {}), unmappable: [], unmappableTotal: 0 };
  }
  // CSV needs no count up front (a second pass over the as-of layer): a residents list's persons are its rows.
  // UTF-8: DuckDB formats each line (src/export/csv-sql.ts); CP932 goes through writeCsv, which sees
  // every character to report what CP932 cannot hold.
  if (opts.format === 'csv') {
    await ensureHelpers(conn, compiled);
    const u = await writeCsvFromSql(conn, opts.file, compiled.sql, compiled.params, compiled.columns, compiled.hidden);
    const persons = compiled.kind === 'persons' ? (compiled.base === 'residents' ? u.rows : await countPersons(conn, compiled)) : undefined;
    return { rows: u.rows, bytes: u.bytes, ...(persons !== undefined ? { persons } : {}), unmappable: [], unmappableTotal: 0 };
  }
  const r = await writeCsv(opts.file, compiled.columns, streamSpec(conn, compiled), { encoding: 'cp932', ...foreign });
  const persons = compiled.kind === 'persons' ? (compiled.base === 'residents' ? r.rows : await countPersons(conn, compiled)) : undefined;
  return { rows: r.rows, bytes: r.bytes, ...(persons !== undefined ? { persons } : {}), unmappable: r.unmappable, unmappableTotal: r.unmappableTotal };
}

/** Most rows of a count result turned into a 公表用 table (the whole result is held in memory). */
export const PUBLISH_MAX_ROWS = 100_000;

/**
 * How a wizard count forms a cross table for 秘匿処理: the last group item is the column item, the
 * others the rows (one item: a single column; none: a single cell). Person lists have none.
 * @example publishShapeOf(compiled) // { rowItems: ['地区'], colItem: '性別', value: '人数' }
 */
export function publishShapeOf(compiled: CompiledSpec): PublishShape {
  if (compiled.kind !== 'count') throw new SpecError(['output'], '公表用（秘匿処理）は件数の表だけです（個人一覧にはありません）');
  const value = countColumnOf(compiled.base);
  const g = compiled.groupBy;
  return g.length >= 2 ? { rowItems: g.slice(0, -1), colItem: g.at(-1)!, value } : { rowItems: [...g], value };
}

/**
 * The 公表用 variant of a wizard count (src/euc/publish.ts): every row, then counts below k and the
 * figures that would reveal them shown as X. The 合計 rows of the CUBE are recomputed from the cells.
 * @example const p = await publishSpec(conn, compiled, 3); // p.columns, p.rows (with 'X'), p.note
 */
export async function publishSpec(conn: DuckDBConnection, compiled: CompiledSpec, k: number = DEFAULT_K): Promise<Published> {
  const shape = publishShapeOf(compiled);
  const all = await previewSpec(conn, compiled, PUBLISH_MAX_ROWS);
  if (all.total > PUBLISH_MAX_ROWS) throw new SpecError(['output'], `公表用の表は ${PUBLISH_MAX_ROWS.toLocaleString('ja-JP')} 行までです（${all.total.toLocaleString('ja-JP')} 行）。条件を絞ってください`);
  return publish(all.columns.map((c) => c.name), all.rows, shape, k);
}
