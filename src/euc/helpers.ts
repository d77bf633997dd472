// The helper macros the extracts use for names the snapshot format has no master for
// (euc_chocho_names(): 町丁字名 per 住所コード; euc_shikuchoson_names(): 市区町村名 per code).
// Deriving them reads every history row, which at a city's scale takes seconds; the web server
// therefore computes them once per snapshot into an in-memory database attached to its read-only
// store (its own `memory` database, src/server/store-handle.ts), and each connection's macros read
// that cache when it is there.
import type { DuckDBConnection } from '@duckdb/node-api';
import { readQuery, runScript } from '../store/db.ts';
import { HELPER_FILES } from './catalogue.ts';

const CACHE = 'memory';
const CACHED = [
  { macro: 'euc_chocho_names', table: 'chocho_names' },
  { macro: 'euc_shikuchoson_names', table: 'shikuchoson_names' },
] as const;

/**
 * Creates the helper TEMP macros on this connection: reading the cache when the instance has one,
 * else deriving the names from the register (CLI, reports, tests).
 * @example await ensureHelpers(conn); await conn.run('SELECT * FROM euc_chocho_names()');
 */
export async function ensureHelpers(conn: DuckDBConnection): Promise<void> {
  const reader = await conn.runAndReadAll(
    `SELECT count(*) FROM duckdb_tables() WHERE database_name = '${CACHE}' AND table_name IN ('chocho_names', 'shikuchoson_names')`,
  );
  if (Number(reader.getRows()[0]![0]) === CACHED.length) {
    for (const c of CACHED) await conn.run(`CREATE OR REPLACE TEMP MACRO ${c.macro}() AS TABLE SELECT * FROM ${CACHE}.main.${c.table}`);
    return;
  }
  for (const f of HELPER_FILES) await runScript(conn, readQuery(f));
}

/**
 * Computes the names once into the instance's in-memory database, shared by every connection. Call
 * on an in-memory instance with the store attached (and USEd), before external access is disabled.
 * @example await conn.run("ATTACH 'juki.duckdb' AS juki (READ_ONLY)"); await conn.run('USE juki'); await cacheHelperNames(conn);
 */
export async function cacheHelperNames(conn: DuckDBConnection): Promise<void> {
  for (const f of HELPER_FILES) await runScript(conn, readQuery(f));
  for (const c of CACHED) await conn.run(`CREATE OR REPLACE TABLE ${CACHE}.main.${c.table} AS SELECT * FROM ${c.macro}()`);
}
