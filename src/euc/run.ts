// Runs a standard extract: a preview (first rows + total count), a count, or the whole result as a
// stream of row chunks for the CSV / XLSX writers (DuckDB's streaming result, one chunk at a time,
// so memory stays flat). Values are always bound by name; only the fixed query text is wrapped.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { DuckDBDateValue, DuckDBDecimalValue } from '@duckdb/node-api';
import { readQuery, runScript } from '../store/db.ts';
import { sqlParameters } from '../reports/common/queries.ts';
import { INCLUDE_SHIEN, extractSql } from './catalogue.ts';
import { ensureHelpers } from './helpers.ts';
import type { CellValue, ExportColumn, ExtractDef, RowChunks } from './types.ts';

export interface RunOptions {
  /** The user holds 支援措置閲覧: person lists include 支援措置 subjects. Set by the server, never by the request. */
  includeShien: boolean;
}


/** The named values a query text uses: the resolved parameters it mentions, plus $include_shien. */
function bindingsFor(sql: string, def: ExtractDef, values: Record<string, DuckDBValue>, opts: RunOptions): Record<string, DuckDBValue> {
  const out: Record<string, DuckDBValue> = {};
  for (const name of sqlParameters(sql)) {
    if (name === INCLUDE_SHIEN) out[name] = opts.includeShien === true;
    else if (name in values && values[name] !== undefined) out[name] = values[name]!;
    else throw new Error(`抽出 ${def.id}: パラメータ $${name} の値がありません（resolveParams を通してください）`);
  }
  return out;
}

/**
 * A DuckDB value → a plain cell: DATE → 'YYYY-MM-DD', BIGINT / HUGEINT → number, DECIMAL → number.
 * @example plainCell(123n) // 123
 */
export function plainCell(v: DuckDBValue): CellValue {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof DuckDBDateValue) return v.toString();
  if (v instanceof DuckDBDecimalValue) return v.toDouble();
  return String(v);
}

function checkColumns(def: ExtractDef, names: string[]): void {
  const want = def.columns.map((c) => c.name);
  if (names.join('\u0000') !== want.join('\u0000')) {
    throw new Error(`抽出 ${def.id}: 結果の列（${names.join(', ')}）が ${def.sqlFile.replace(/\.sql$/, '.meta.json')} の columns（${want.join(', ')}）と違います`);
  }
}

/** Index of the hidden 住民種別 column, if the extract has one. */
function foreignFlagIndexOf(def: ExtractDef): number | undefined {
  if (!def.hidden?.includes('住民種別')) return undefined;
  const i = def.columns.findIndex((c) => c.name === '住民種別');
  return i < 0 ? undefined : i;
}

/**
 * Number of rows the extract returns (for a person list, the number of persons).
 * @example const n = await countExtract(conn, def, values, { includeShien: false });
 */
export async function countExtract(conn: DuckDBConnection, def: ExtractDef, values: Record<string, DuckDBValue>, opts: RunOptions): Promise<number> {
  await ensureHelpers(conn);
  const sql = extractSql(def);
  const reader = await conn.runAndReadAll(`SELECT count(*) AS n FROM (\n${sql}\n) AS extract_rows`, bindingsFor(sql, def, values, opts));
  return Number(reader.getRows()[0]![0] as bigint);
}

/**
 * The first `rows` rows and the total count. `columns` are all result columns, hidden ones
 * included (`foreignFlagIndex` = the hidden 住民種別, used for 'seireki-if-foreign' dates; drop
 * the hidden columns before showing). `persons` is set for person lists (one row per person).
 * @example
 * const { values } = await resolveParams(conn, def, {});
 * const p = await previewExtract(conn, def, values, { includeShien: false, rows: 100 });
 * // p.total, p.rows.length <= 100
 */
export async function previewExtract(
  conn: DuckDBConnection, def: ExtractDef, values: Record<string, DuckDBValue>, opts: RunOptions & { rows: number },
): Promise<{ columns: ExportColumn[]; rows: CellValue[][]; total: number; persons?: number; foreignFlagIndex?: number }> {
  if (!Number.isSafeInteger(opts.rows) || opts.rows < 0) throw new Error(`プレビューの行数 ${opts.rows} が正しくありません`);
  await ensureHelpers(conn);
  const sql = extractSql(def);
  const reader = await conn.runAndReadAll(`SELECT * FROM (\n${sql}\n) AS extract_rows LIMIT $preview_rows`,
    { ...bindingsFor(sql, def, values, opts), preview_rows: opts.rows });
  checkColumns(def, reader.columnNames());
  const rows = reader.getRows().map((r) => r.map(plainCell));
  const total = await countExtract(conn, def, values, opts);
  const foreignFlagIndex = foreignFlagIndexOf(def);
  return {
    columns: def.columns,
    rows,
    total,
    ...(def.kind === 'persons' ? { persons: total } : {}),
    ...(foreignFlagIndex !== undefined ? { foreignFlagIndex } : {}),
  };
}

/**
 * The whole result as chunks of plain rows, fetched one DuckDB chunk at a time (never all rows in
 * memory). The query starts when iteration starts; errors surface from the iterator. Rows are
 * aligned with `columns` (hidden ones included; `foreignFlagIndex` = the hidden 住民種別).
 * Nothing else may run on `conn` while the chunks are being read.
 * @example
 * const { columns, foreignFlagIndex, chunks } = streamExtract(conn, def, values, { includeShien: false });
 * for await (const rows of chunks) for (const row of rows) console.log(row[0]);
 */
export function streamExtract(conn: DuckDBConnection, def: ExtractDef, values: Record<string, DuckDBValue>, opts: RunOptions): { columns: ExportColumn[]; foreignFlagIndex?: number; chunks: RowChunks } {
  const sql = extractSql(def);
  const params = bindingsFor(sql, def, values, opts);
  async function* chunks(): AsyncGenerator<CellValue[][]> {
    await ensureHelpers(conn);
    const result = await conn.stream(sql, params);
    checkColumns(def, result.columnNames());
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      yield chunk.getRows().map((r) => r.map(plainCell));
    }
  }
  const foreignFlagIndex = foreignFlagIndexOf(def);
  return { columns: def.columns, ...(foreignFlagIndex !== undefined ? { foreignFlagIndex } : {}), chunks: chunks() };
}
