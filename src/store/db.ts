// Thin helpers over @duckdb/node-api: open a store file, run SQL files from queries/, bind parameters.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { settings } from '../settings.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Absolute path of a file under `queries/`. */
export function queryPath(relative: string): string {
  return path.join(repoRoot, 'queries', relative);
}

const sqlCache = new Map<string, string>();
/** The text of `queries/<relative>`, cached. */
export function readQuery(relative: string): string {
  let text = sqlCache.get(relative);
  if (text === undefined) {
    text = readFileSync(queryPath(relative), 'utf8');
    sqlCache.set(relative, text);
  }
  return text;
}

export type Params = Record<string, DuckDBValue> | DuckDBValue[];

export interface Store {
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  close(): void;
}

/**
 * Opens a DuckDB file (or `:memory:`) with the settings every part of juki-stats expects.
 * @example const store = await openStore('juki.duckdb', { readOnly: true });
 */
export async function openStore(file: string, opts: { readOnly?: boolean; tempDir?: string } = {}): Promise<Store> {
  const options: Record<string, string> = {
    memory_limit: opts.readOnly ? settings.duckdbQueryMemoryLimit : settings.duckdbMemoryLimit,
    threads: String(settings.duckdbThreads),
  };
  if (opts.readOnly) options.access_mode = 'READ_ONLY';
  if (opts.tempDir) options.temp_directory = opts.tempDir;
  const instance = await DuckDBInstance.create(file, options);
  const conn = await instance.connect();
  await conn.run("SET TimeZone = 'Asia/Tokyo'");
  return {
    instance,
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Runs a script of several statements. Named parameters are bound to each statement that uses them.
 * @example await runScript(conn, readQuery('store/masters.sql'), { nationality: '/path/nationality.csv' });
 */
export async function runScript(conn: DuckDBConnection, sql: string, params: Record<string, DuckDBValue> = {}): Promise<void> {
  const statements = await conn.extractStatements(sql);
  for (let i = 0; i < statements.count; i++) {
    const prepared = await statements.prepare(i);
    for (let p = 1; p <= prepared.parameterCount; p++) {
      const name = prepared.parameterName(p);
      if (!(name in params)) throw new Error(`SQL parameter $${name} is not given`);
      prepared.bindValue(p, params[name] as DuckDBValue);
    }
    const t0 = performance.now();
    await prepared.run();
    debugTiming(sql.slice(0, 200), t0);
  }
}

/** Runs one statement and returns its rows as plain JS objects (small results only). */
export async function all<T = Record<string, unknown>>(conn: DuckDBConnection, sql: string, params?: Params): Promise<T[]> {
  const t0 = performance.now();
  const reader = await conn.runAndReadAll(sql, params as never);
  debugTiming(sql, t0);
  return reader.getRowObjectsJS().map((row) => plain(row)) as T[];
}

/** Turns DuckDB's JS values into plain ones: BIGINT → number, DATE → 'YYYY-MM-DD', nested values recursively. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}

/** Runs one statement and returns the first row, or undefined. */
export async function one<T = Record<string, unknown>>(conn: DuckDBConnection, sql: string, params?: Params): Promise<T | undefined> {
  return (await all<T>(conn, sql, params))[0];
}

/** Runs one statement for its effect. */
export async function exec(conn: DuckDBConnection, sql: string, params?: Params): Promise<void> {
  const t0 = performance.now();
  await conn.run(sql, params as never);
  debugTiming(sql, t0);
}

/** With JUKI_DEBUG_SQL=1, prints each statement's duration to stderr (SQL text only, never data). */
function debugTiming(sql: string, t0: number): void {
  if (!process.env.JUKI_DEBUG_SQL) return;
  const ms = performance.now() - t0;
  process.stderr.write(`[sql ${ms.toFixed(0)} ms] ${sql.replace(/\s+/g, ' ').slice(0, 120)}\n`);
}
