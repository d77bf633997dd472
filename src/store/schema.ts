// Creates or upgrades the store's tables and macros, and reloads the masters.
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, exec, queryPath, readQuery, runScript } from './db.ts';

export const SCHEMA_VERSION = '1';

/** Tables, date macros and the as-of layer, idempotently. */
export async function ensureSchema(conn: DuckDBConnection): Promise<void> {
  await runScript(conn, readQuery('store/schema.sql'));
  await runScript(conn, readQuery('store/dates.sql'));
  await runScript(conn, readQuery('store/asof.sql'));
  const version = await all<{ value: string }>(conn, `SELECT value FROM store_meta WHERE key = 'schema_version'`);
  if (version.length === 0) await exec(conn, `INSERT INTO store_meta VALUES ('schema_version', $1)`, [SCHEMA_VERSION]);
  else if (version[0]!.value !== SCHEMA_VERSION) {
    throw new Error(`ストアのスキーマ版 ${version[0]!.value} はこの版（${SCHEMA_VERSION}）と違います。新しいストアに取り込み直してください。`);
  }
}

/** Reloads queries/master/*.csv into the store and builds the loader's lookup tables. */
export async function loadMasters(conn: DuckDBConnection): Promise<void> {
  await runScript(conn, readQuery('store/masters.sql'), {
    nationality: queryPath('master/nationality.csv'),
    zairyu_shikaku: queryPath('master/zairyu_shikaku.csv'),
    ido_jiyu: queryPath('master/ido_jiyu.csv'),
    todofuken: queryPath('master/todofuken.csv'),
  });
}
