// Raw SQL for the 管理者 (euc.md §2): one read-only SELECT on the store, no file or network access
// (the server's DuckDB instance runs with enable_external_access = false), a row cap and the
// caller's time limit. Anything else — several statements, INSERT, SET, ATTACH, COPY … — is refused
// before it runs.
import { StatementType, type DuckDBConnection } from '@duckdb/node-api';
import type { CellValue } from '../export/types.ts';
import { plainCell } from './run.ts';

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
