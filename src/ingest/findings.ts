// Data-quality findings of a load (not errors): impossible birth dates, reason/effect disagreements
// (snapshot-format.md §8), and 住民.csv rows that differ from the state derived from history.
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, exec, one, readQuery } from '../store/db.ts';
import { residentCharsetSelects } from './charset.ts';
import { settings } from '../settings.ts';
import { ident } from './columns.ts';
import { RESIDENT_COLUMNS } from './typed.ts';

export interface Finding {
  宛名番号: string;
  履歴番号?: number | null;
  detail: string;
}

export interface FindingGroup {
  kind: string;
  title: string;
  count: number;
  examples: Finding[];
}

async function group(conn: DuckDBConnection, kind: string, title: string, sql: string, params: Record<string, string | number> = {}): Promise<FindingGroup> {
  const rows = await all<Finding & { n: number }>(conn, `SELECT *, count(*) OVER () AS n FROM (${sql}) ORDER BY 宛名番号, 履歴番号 NULLS FIRST LIMIT ${settings.maxFindingsPerKind}`, params);
  return {
    kind,
    title,
    count: rows[0]?.n ?? 0,
    examples: rows.map(({ n: _n, ...f }) => ({ ...f, 履歴番号: f.履歴番号 ?? null })),
  };
}

/**
 * Birth dates the calendar does not have, or 和暦 dates outside their era (§7), in the new rows.
 * A partial 生年月日 under 生年月日不詳 = 1 (jdate not ok) is kept as written but is not listed here.
 */
export function birthDateFindings(conn: DuckDBConnection): Promise<FindingGroup[]> {
  return Promise.all([
    group(conn, 'birth_impossible', '存在しない生年月日（記載のまま保持し、年齢はその前の実在日で計算）', `
      SELECT 宛名番号, 履歴番号, '記載 ' || 生年月日_記載 || ' → 年齢計算 ' || 生年月日 AS detail
      FROM new_rows WHERE 生年月日_記載 IS NOT NULL AND jdate(生年月日_記載).ok AND NOT jdate(生年月日_記載).real`),
    group(conn, 'birth_era_out', '元号の期間外の生年月日（暦日に換算）', `
      SELECT 宛名番号, 履歴番号, '記載 ' || 生年月日_記載 || ' → ' || 生年月日 AS detail
      FROM new_rows WHERE 生年月日_記載 IS NOT NULL AND jdate(生年月日_記載).real AND jdate(生年月日_記載).era_out`),
    group(conn, 'birth_impossible_residents', '住民.csv の存在しない・元号期間外の生年月日', `
      SELECT 宛名番号, NULL::INTEGER AS 履歴番号, birth_note AS detail FROM resident_rows WHERE birth_note IS NOT NULL`),
  ]);
}

/** §8: a 記載 reason for a person already 現存, a 消除 reason for one already 消除 (new rows only). */
export function consistencyFindings(conn: DuckDBConnection, loadId: number): Promise<FindingGroup> {
  return group(conn, 'reason_effect', '異動事由と効果が一致しない行（§8 整合性）', readQuery('store/finding_consistency.sql'), { load_id: loadId });
}

/** The compared columns of 住民.csv and the state derived from history. */
const COMPARED = RESIDENT_COLUMNS.filter((c) => c !== '生年月日_記載' && c !== '国籍・地域_記載');
const PENDING = ['転出予定年月日', '転出先住所コード', '転出先住所'];

/**
 * Temp table expected_state: each person's state on the day after processedThrough (as of
 * processedThrough + 1), for every person or only those in temp table cand. A 転出 filed in advance
 * and not yet in effect shows in 住民.csv as 現存 with its 転出予定 columns.
 */
async function expectedState(conn: DuckDBConnection, d: string, candidatesOnly: boolean): Promise<void> {
  const expected = COMPARED.map((c) => (PENDING.includes(c) ? `coalesce(p.${ident(c)}, s.${ident(c)}) AS ${ident(c)}` : `s.${ident(c)}`));
  const only = (alias: string) => (candidatesOnly ? `AND ${alias}宛名番号 IN (SELECT 宛名番号 FROM cand)` : '');
  await exec(conn, `CREATE OR REPLACE TEMP TABLE expected_state AS
    WITH pend AS (
      SELECT 宛名番号, arg_max(転出予定年月日, eff_date) AS 転出予定年月日, arg_max(転出先住所コード, eff_date) AS 転出先住所コード,
             arg_max(転出先住所, eff_date) AS 転出先住所
      FROM history WHERE NOT ignored AND 異動事由 IN ('国内転出', '国外転出') AND eff_date >= $d::DATE ${only('')}
      GROUP BY 宛名番号
    )
    SELECT ${expected.join(', ')} FROM persons_asof($d::DATE) s LEFT JOIN pend p USING (宛名番号) WHERE true ${only('s.')}`, { d });
}

/** resident_rows columns after 宛名番号 and line_hash, from typed 住民.csv columns `r.<col>` left-joined with expected_state e. */
function residentRowSelects(): string[] {
  const diffs = COMPARED.map((c) => `CASE WHEN r.${ident(c)} IS DISTINCT FROM e.${ident(c)} THEN '${c}' END`).join(', ');
  const hashOf = (alias: string) => `hash(${COMPARED.map((c) => `${alias}.${ident(c)}`).join(', ')})`;
  // The column list is built only where the hashes differ (CASE evaluates THEN for those rows only).
  return [
    `${hashOf('r')} AS typed_hash`,
    `CASE WHEN e.宛名番号 IS NOT NULL AND ${hashOf('r')} <> ${hashOf('e')}
      THEN nullif(array_to_string(list_filter([${diffs}], x -> x IS NOT NULL), ', '), '') END AS differs`,
    'e.宛名番号 IS NULL AS no_history',
    `CASE WHEN r.生年月日_記載 IS NOT NULL AND jdate(r.生年月日_記載).ok THEN '記載 ' || r.生年月日_記載 || ' → ' || r.生年月日 END AS birth_note`,
    ...residentCharsetSelects((c) => `r.${ident(c)}`),
  ];
}

/**
 * Brings resident_rows up to date with this load's 住民.csv, comparing it with the state derived
 * from history as of processedThrough + 1.
 * - First load of residents (typed rows in stage_residents): every row is compared.
 * - Nightly (res_lines from stageResidentLines, `previous` = the last load's processedThrough): only
 *   the candidates are compared: changed or new lines, persons touched by this load, persons with a
 *   row taking effect in [previous + 1, processedThrough + 1], persons gone from 住民.csv. An
 *   unchanged line is compared through its stored typed_hash; if that differs, `retype` types those
 *   persons' lines again (into res_lines.v) to name the columns.
 */
export async function updateResidentRows(conn: DuckDBConnection, processedThrough: string,
  nightly?: { previous: string; retype: (keys: string) => Promise<void> }): Promise<void> {
  const d = nextDay(processedThrough);
  const rowSelects = residentRowSelects();
  if (!nightly) {
    await expectedState(conn, d, false);
    await exec(conn, 'DELETE FROM resident_rows');
    await exec(conn, `INSERT INTO resident_rows SELECT r.宛名番号, r.__line_hash AS line_hash, ${rowSelects.join(',\n ')}
      FROM stage_residents r LEFT JOIN expected_state e ON e.宛名番号 = r.宛名番号`);
    await exec(conn, 'DROP TABLE expected_state');
    return;
  }
  await exec(conn, `CREATE OR REPLACE TEMP TABLE cand AS
    SELECT 宛名番号 FROM res_lines WHERE v IS NOT NULL
    UNION SELECT 宛名番号 FROM touched
    UNION SELECT 宛名番号 FROM history WHERE NOT ignored AND eff_date BETWEEN $from::DATE AND $d::DATE
    UNION SELECT 宛名番号 FROM resident_rows ANTI JOIN res_lines USING (宛名番号)`, { from: nextDay(nightly.previous), d });
  await expectedState(conn, d, true);
  // Unchanged lines whose expected state no longer hashes the same: type them again for the column names.
  const expectedHash = `hash(${COMPARED.map((c) => `e.${ident(c)}`).join(', ')})`;
  await exec(conn, `CREATE OR REPLACE TEMP TABLE res_retype AS
    SELECT l.宛名番号 FROM res_lines l JOIN expected_state e ON e.宛名番号 = l.宛名番号 JOIN resident_rows rr ON rr.宛名番号 = l.宛名番号
    WHERE l.v IS NULL AND ${expectedHash} <> rr.typed_hash`);
  if (await one(conn, 'SELECT 1 FROM res_retype LIMIT 1')) await nightly.retype('res_retype');
  await exec(conn, `CREATE OR REPLACE TEMP TABLE res_new_rows AS
    SELECT r.宛名番号, r.__line_hash AS line_hash, ${rowSelects.join(',\n ')}
    FROM (SELECT 宛名番号, __line_hash, unnest(v) FROM res_lines WHERE v IS NOT NULL) r LEFT JOIN expected_state e ON e.宛名番号 = r.宛名番号`);
  // Gone from 住民.csv, or a line replaced.
  await exec(conn, `DELETE FROM resident_rows WHERE 宛名番号 IN (
    SELECT 宛名番号 FROM cand ANTI JOIN res_lines USING (宛名番号) UNION ALL SELECT 宛名番号 FROM res_new_rows)`);
  // Unchanged lines of candidates that hash like their expected state (or have none).
  await exec(conn, `UPDATE resident_rows SET differs = NULL, no_history = x.no_history FROM (
      SELECT l.宛名番号, e.宛名番号 IS NULL AS no_history FROM cand c JOIN res_lines l ON l.宛名番号 = c.宛名番号 AND l.v IS NULL
      LEFT JOIN expected_state e ON e.宛名番号 = c.宛名番号) x
    WHERE resident_rows.宛名番号 = x.宛名番号`);
  await exec(conn, 'INSERT INTO resident_rows SELECT * FROM res_new_rows');
  for (const t of ['res_new_rows', 'res_retype', 'expected_state', 'cand']) await exec(conn, `DROP TABLE ${t}`);
}

/** 住民.csv against the state derived from history, as kept in resident_rows (updated first). */
export async function residentsFindings(conn: DuckDBConnection, processedThrough: string): Promise<FindingGroup[]> {
  const d = nextDay(processedThrough);
  return Promise.all([
    group(conn, 'residents_differ', '住民.csv の行が履歴から求めた翌日時点の状態と異なる（列名のみ表示）', `
      SELECT 宛名番号, NULL::INTEGER AS 履歴番号, differs AS detail FROM resident_rows WHERE differs IS NOT NULL`),
    group(conn, 'residents_without_history', '住民.csv にあるが履歴に有効な行がない人', `
      SELECT 宛名番号, NULL::INTEGER AS 履歴番号, '履歴なし' AS detail FROM resident_rows WHERE no_history`),
    group(conn, 'history_without_residents', '履歴にあるが住民.csv にない人', `
      SELECT e.宛名番号, NULL::INTEGER AS 履歴番号, '住民.csv になし' AS detail FROM persons_asof($d::DATE) e ANTI JOIN resident_rows r USING (宛名番号)`, { d }),
  ]);
}

export function nextDay(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
