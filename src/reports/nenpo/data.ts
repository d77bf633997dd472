// Fetches the 年報's aggregates from the store with a few set-based queries (queries/nenpo/*.sql):
// population on both dates by ward × 住民種別 × 性別 × age, households by kind, and the period's
// events by 集計列. Everything later is arithmetic on these small maps.
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryPath } from '../../store/db.ts';
import { runQuery, runScriptFile } from '../common/queries.ts';
import { MAPPING_FILE, readColumnMapping } from './mapping.ts';

/** Query files the 年報 depends on, in hashing order (the query version). */
export const NENPO_QUERY_FILES = [
  'store/asof.sql',
  'report/snapshot.sql', 'report/snapshot.meta.json',
  MAPPING_FILE, `${MAPPING_FILE}.meta.json`,
  ...['mapping', 'events', 'flows', 'population', 'population_before', 'households', 'ward_addresses', 'check_balance', 'check_persons']
    .flatMap((n) => [`nenpo/${n}.sql`, `nenpo/${n}.meta.json`]),
];

/** Map keys: parts joined by '|'; '' stands for "all" (市 = all wards, 総計, 計). */
export const key = (...parts: (string | number)[]): string => parts.join('|');

export interface NenpoData {
  /** area|住民種別|性別|age → persons on 基準日 (age: 0–100, -1 no usable age, -2 生年月日不詳) */
  ages: Map<string, number>;
  /** area|住民種別|性別 → persons on 基準日 */
  pop: Map<string, number>;
  /** area|住民種別|性別 → persons on 前年1月1日 */
  popBefore: Map<string, number>;
  /** area|種類 → households on 基準日 (種類 '' = every household, counted directly) */
  households: Map<string, number>;
  /** level|area|住民種別|性別|集計列 → events in the period (level 市 / 区) */
  flows: Map<string, number>;
  /** wards (5 digits) seen in any of the above, sorted */
  wards: string[];
}

interface PopRow { ward: string | null; 住民種別: string | null; 性別: string | null; age: number; n: number }

function add(map: Map<string, number>, k: string, n: number): void {
  map.set(k, (map.get(k) ?? 0) + n);
}

/**
 * Runs the 年報's queries for 基準日 d2 and the period [d1, d2). Leaves temp table nenpo_events on
 * the connection for the check queries.
 * @example const data = await fetchNenpoData(conn, '2021-01-01', '2022-01-01');
 */
export async function fetchNenpoData(conn: DuckDBConnection, d1: string, d2: string): Promise<NenpoData> {
  readColumnMapping(); // fails early, with line numbers, on a broken mapping file
  await runScriptFile(conn, 'nenpo/mapping.sql', { path: queryPath(MAPPING_FILE) });
  await runScriptFile(conn, 'nenpo/events.sql', { d1, d2 });
  // One connection runs one query at a time; each of these is a single scan.
  const flowRows = await runQuery<{ level: string; ward: string | null; 住民種別: string | null; 性別: string | null; 集計列: string; n: number }>(conn, 'nenpo/flows.sql');
  const popRows = await runQuery<PopRow>(conn, 'nenpo/population.sql', { d: d2 });
  const beforeRows = await runQuery<Omit<PopRow, 'age'>>(conn, 'nenpo/population_before.sql', { d: d1 });
  const hhRows = await runQuery<{ ward: string | null; 種類: string | null; n: number }>(conn, 'nenpo/households.sql', { d: d2 });
  const wards = new Set<string>();
  const data: NenpoData = { ages: new Map(), pop: new Map(), popBefore: new Map(), households: new Map(), flows: new Map(), wards: [] };
  for (const r of popRows) {
    if (r.ward) wards.add(r.ward);
    add(data.ages, key(r.ward ?? '', r.住民種別 ?? '', r.性別 ?? '', r.age), r.n);
    add(data.pop, key(r.ward ?? '', r.住民種別 ?? '', r.性別 ?? ''), r.n);
  }
  for (const r of beforeRows) {
    if (r.ward) wards.add(r.ward);
    add(data.popBefore, key(r.ward ?? '', r.住民種別 ?? '', r.性別 ?? ''), r.n);
  }
  for (const r of hhRows) add(data.households, key(r.ward ?? '', r.種類 ?? ''), r.n);
  for (const r of flowRows) {
    if (r.ward) wards.add(r.ward);
    add(data.flows, key(r.level, r.ward ?? '', r.住民種別 ?? '', r.性別 ?? '', r.集計列), r.n);
  }
  data.wards = [...wards].sort();
  return data;
}

/**
 * Sample addresses per ward on 基準日, for naming the wards of a designated city.
 * @example (await fetchWardAddresses(conn, '2024-01-01')).get('47101')
 */
export async function fetchWardAddresses(conn: DuckDBConnection, d: string): Promise<Map<string, string[]>> {
  const rows = await runQuery<{ ward: string; addresses: string[] }>(conn, 'nenpo/ward_addresses.sql', { d });
  return new Map(rows.map((r) => [r.ward, r.addresses]));
}

export interface BalanceCulprit {
  level: '市' | '区';
  ward: string | null;
  宛名番号: string;
  住民種別: string;
  性別: string;
  before: number;
  after: number;
  flow: number;
  diff: number;
  rows: string;
  rireki: number[];
  rireki_after: number | null;
}

/**
 * Persons whose own stock and flow do not balance (check 1); needs nenpo_events.
 * @example await fetchBalanceCulprits(conn, '2021-01-01', '2022-01-01', 200)
 */
export async function fetchBalanceCulprits(conn: DuckDBConnection, d1: string, d2: string, limit: number): Promise<BalanceCulprit[]> {
  return runQuery<BalanceCulprit>(conn, 'nenpo/check_balance.sql', { d1, d2, limit });
}

export interface PersonCulprit {
  宛名番号: string;
  履歴番号: number;
  ward: string;
  住民種別: string;
  性別: string;
  理由: string;
}

/**
 * Residents on d that cannot be put in the tables (checks 2–4).
 * @example await fetchPersonCulprits(conn, '2022-01-01', 200)
 */
export async function fetchPersonCulprits(conn: DuckDBConnection, d: string, limit: number): Promise<PersonCulprit[]> {
  return runQuery<PersonCulprit>(conn, 'nenpo/check_persons.sql', { d, limit });
}
