// Report queries are files: queries/<area>/<name>.sql with <name>.meta.json beside it (title, typed
// parameters with defaults, who may run it, legal basis, column labels). This module reads them,
// checks the parameters against the metadata, binds them (never splices) and hashes them into the
// "query version" that every output records.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { all, queryPath, runScript } from '../../store/db.ts';

const ParamSchema = z.object({
  name: z.string().regex(/^[a-z_][a-z0-9_]*$/),
  type: z.enum(['DATE', 'BOOLEAN', 'VARCHAR', 'INTEGER']),
  default: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  description: z.string().min(1),
});

const ColumnSchema = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  format: z.enum(['text', 'code', 'count', 'rate', 'date', 'flag']).optional(),
});

/** The metadata file beside a query (`<name>.meta.json`) or a data file (`<name>.csv.meta.json`). */
export const QueryMetaSchema = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
  parameters: z.array(ParamSchema).default([]),
  access: z.string().min(1),
  legalBasis: z.string().min(1),
  columns: z.array(ColumnSchema).min(1),
});
export type QueryMeta = z.infer<typeof QueryMetaSchema>;

export interface ReportQuery {
  /** Path under queries/, e.g. `nenpo/population.sql`. */
  file: string;
  sql: string;
  meta: QueryMeta;
}

const cache = new Map<string, ReportQuery>();

/**
 * The `$name` parameters a SQL text uses (string literals and comments are skipped).
 * @example sqlParameters('SELECT $d::DATE') // ['d']
 */
export function sqlParameters(sql: string): string[] {
  const stripped = sql.replace(/--[^\n]*/g, '').replace(/'(?:[^']|'')*'/g, "''");
  return [...new Set([...stripped.matchAll(/\$([a-z_][a-z0-9_]*)/g)].map((m) => m[1]!))].sort();
}

/**
 * Metadata file of a query or data file under queries/.
 * @example metaFileOf('nenpo/population.sql') // 'nenpo/population.meta.json'
 */
export function metaFileOf(file: string): string {
  return file.endsWith('.sql') ? file.replace(/\.sql$/, '.meta.json') : `${file}.meta.json`;
}

/**
 * Reads and validates a metadata file.
 * @example readMeta('nenpo/column_mapping.csv').title
 */
export function readMeta(file: string): QueryMeta {
  const metaFile = metaFileOf(file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(queryPath(metaFile), 'utf8'));
  } catch (e) {
    throw new Error(`queries/${metaFile} を読めません: ${(e as Error).message}`);
  }
  const parsed = QueryMetaSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`queries/${metaFile} の形式が違います: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * Reads `queries/<file>` and its metadata; the SQL's parameters must be exactly the declared ones.
 * @example const q = loadQuery('nenpo/population.sql'); // q.meta.title
 */
export function loadQuery(file: string): ReportQuery {
  const hit = cache.get(file);
  if (hit) return hit;
  const sql = readFileSync(queryPath(file), 'utf8');
  const meta = readMeta(file);
  const used = sqlParameters(sql);
  const declared = meta.parameters.map((p) => p.name).sort();
  if (used.join(',') !== declared.join(',')) {
    throw new Error(`queries/${file}: SQL のパラメータ（${used.join(', ')}）と ${metaFileOf(file)} の parameters（${declared.join(', ')}）が一致しません`);
  }
  const q = { file, sql, meta };
  cache.set(file, q);
  return q;
}

function bind(q: ReportQuery, params: Record<string, DuckDBValue>): Record<string, DuckDBValue> {
  const bound: Record<string, DuckDBValue> = {};
  for (const p of q.meta.parameters) {
    const v = p.name in params ? params[p.name] : p.default;
    if (v === undefined) throw new Error(`queries/${q.file}: パラメータ $${p.name} が指定されていません`);
    bound[p.name] = v as DuckDBValue;
  }
  for (const name of Object.keys(params)) {
    if (!(name in bound)) throw new Error(`queries/${q.file}: 宣言されていないパラメータ $${name}`);
  }
  return bound;
}

/**
 * Runs a one-statement query file with bound parameters and returns its rows (small results only).
 * @example const rows = await runQuery(conn, 'nenpo/population.sql', { d: '2022-01-01', wards: false });
 */
export async function runQuery<T>(conn: DuckDBConnection, file: string, params: Record<string, DuckDBValue> = {}): Promise<T[]> {
  const q = loadQuery(file);
  return all<T>(conn, q.sql, bind(q, params));
}

/**
 * Runs a script file of several statements (temp tables), binding each statement's parameters.
 * @example await runScriptFile(conn, 'nenpo/events.sql', { d1: '2021-01-01', d2: '2022-01-01', wards: true });
 */
export async function runScriptFile(conn: DuckDBConnection, file: string, params: Record<string, DuckDBValue> = {}): Promise<void> {
  const q = loadQuery(file);
  await runScript(conn, q.sql, bind(q, params));
}

/**
 * The query version: sha256 over the given files under queries/ (path and bytes, in the given
 * order). Any change to a query, its metadata or a mapping file changes it.
 * @example queryVersion(['nenpo/population.sql', 'nenpo/column_mapping.csv'])
 */
export function queryVersion(files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(`${f}\0`);
    h.update(readFileSync(queryPath(f)));
    h.update('\0');
  }
  return h.digest('hex');
}
