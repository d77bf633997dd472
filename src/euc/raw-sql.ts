// Raw SQL for the 管理者 (euc.md §2): one read-only SELECT on the store, no file or network access
// (the server's DuckDB instance runs with enable_external_access = false), a row cap and the
// caller's time limit. Anything else — several statements, INSERT, SET, ATTACH, COPY … — is refused
// before it runs. It reads the register only through the as-of layer: the statement's syntax tree
// (json_serialize_sql) may name the as-of table functions and the tables without personal data
// (loads, the masters), never history or the loader's working tables.
import { StatementType, type DuckDBConnection } from '@duckdb/node-api';
import type { CellValue } from '../export/types.ts';
import { plainCell } from './run.ts';

/** Table functions a statement may use: the as-of layer and generators. */
const ALLOWED_FUNCTIONS = new Set(['residents_asof', 'persons_asof', 'changes_in', 'range', 'generate_series', 'unnest']);
/** Base tables a statement may read: the load log and the masters (no personal data). */
const allowedTable = (name: string) => name === 'loads' || name.startsWith('master_');

/**
 * The tables and table functions a SELECT names (CTE names excluded), from DuckDB's own parser.
 * @example await referencedObjects(conn, 'SELECT * FROM history') // { tables: ['history'], functions: [] }
 */
export async function referencedObjects(conn: DuckDBConnection, sql: string): Promise<{ tables: string[]; functions: string[] }> {
  const reader = await conn.runAndReadAll('SELECT json_serialize_sql($sql::VARCHAR) AS tree', { sql });
  const tree = JSON.parse(String(reader.getRows()[0]![0])) as { error?: boolean; error_message?: string };
  if (tree.error) throw new RawSqlRefused(`SQL を解釈できません: ${tree.error_message ?? ''}`);
  const tables = new Set<string>();
  const functions = new Set<string>();
  const ctes = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const cteMap = o.cte_map as { map?: { key?: string }[] } | undefined;
    for (const entry of cteMap?.map ?? []) if (entry.key) ctes.add(entry.key);
    if (o.type === 'BASE_TABLE' && typeof o.table_name === 'string') tables.add(o.table_name);
    if (o.type === 'TABLE_FUNCTION') {
      const fn = o.function as { function_name?: string } | undefined;
      if (fn?.function_name) functions.add(fn.function_name);
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk(tree);
  return { tables: [...tables].filter((t) => !ctes.has(t)), functions: [...functions] };
}

/** SQL refused before running (not one SELECT); the message is for the user. */
export class RawSqlRefused extends Error {}

export interface RawSqlResult {
  columns: string[];
  rows: CellValue[][];
  /** more rows existed than were fetched */
  truncated: boolean;
  ms: number;
}

/**
 * Runs one SELECT (or WITH … SELECT) and returns at most `maxRows` rows.
 * @example const r = await runRawSql(conn, 'SELECT 性別, count(*) FROM residents_asof(DATE \'2025-01-01\') GROUP BY 1', { maxRows: 1000 });
 */
export async function runRawSql(conn: DuckDBConnection, sql: string, opts: { maxRows: number }): Promise<RawSqlResult> {
  if (!sql.trim()) throw new RawSqlRefused('SQL を入力してください。');
  if (sql.length > 20_000) throw new RawSqlRefused('SQL が長すぎます（20,000 文字まで）。');
  const t0 = performance.now();
  let statements;
  try {
    statements = await conn.extractStatements(sql);
  } catch (e) {
    throw new RawSqlRefused(`SQL を解釈できません: ${(e as Error).message}`);
  }
  if (statements.count !== 1) throw new RawSqlRefused(`実行できる文は 1 つだけです（${statements.count} 文あります）。`);
  let prepared;
  try {
    prepared = await statements.prepare(0);
  } catch (e) {
    throw new RawSqlRefused(`SQL の誤り: ${(e as Error).message}`);
  }
  if (prepared.statementType !== StatementType.SELECT) throw new RawSqlRefused('実行できるのは SELECT 文（参照のみ）だけです。');
  if (prepared.parameterCount > 0) throw new RawSqlRefused('パラメータ（$1 など）は使えません。値を直接書いてください。');
  const refs = await referencedObjects(conn, sql);
  const tables = refs.tables.filter((t) => !allowedTable(t));
  if (tables.length) {
    throw new RawSqlRefused(`表 ${tables.join('、')} は直接読めません。住民は residents_asof(DATE '…') / persons_asof(…)、異動は changes_in(DATE '…', DATE '…') で読んでください（loads とマスタ master_* は読めます）。`);
  }
  const functions = refs.functions.filter((f) => !ALLOWED_FUNCTIONS.has(f));
  if (functions.length) throw new RawSqlRefused(`表関数 ${functions.join('、')} は使えません（使えるのは ${[...ALLOWED_FUNCTIONS].join('、')}）。`);
  const result = await prepared.stream();
  const columns = result.columnNames();
  const rows: CellValue[][] = [];
  let truncated = false;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const row of chunk.getRows()) {
      if (rows.length >= opts.maxRows) {
        truncated = true;
        break;
      }
      rows.push(row.map(plainCell));
    }
    if (truncated) break;
  }
  return { columns, rows, truncated, ms: Math.round(performance.now() - t0) };
}
