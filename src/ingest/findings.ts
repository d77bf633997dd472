// Data-quality findings of a load (not errors): impossible birth dates, reason/effect disagreements
// (snapshot-format.md §8), and 住民.csv rows that differ from the state derived from history.
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, exec, readQuery } from '../store/db.ts';
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
      SELECT 宛名番号, NULL::INTEGER AS 履歴番号, '記載 ' || 生年月日_記載 || ' → ' || 生年月日 AS detail
      FROM stage_residents WHERE 生年月日_記載 IS NOT NULL AND jdate(生年月日_記載).ok`),
  ]);
}

/** §8: a 記載 reason for a person already 現存, a 消除 reason for one already 消除 (new rows only). */
export function consistencyFindings(conn: DuckDBConnection, loadId: number): Promise<FindingGroup> {
  return group(conn, 'reason_effect', '異動事由と効果が一致しない行（§8 整合性）', readQuery('store/finding_consistency.sql'), { load_id: loadId });
}

/**
 * 住民.csv against each person's state on the day after processedThrough (as of processedThrough + 1).
 * A 転出 filed in advance and not yet in effect shows in 住民.csv as 現存 with its 転出予定 columns.
 */
export async function residentsFindings(conn: DuckDBConnection, processedThrough: string): Promise<FindingGroup[]> {
  const pending = ['転出予定年月日', '転出先住所コード', '転出先住所'];
  const compared = RESIDENT_COLUMNS.filter((c) => c !== '生年月日_記載' && c !== '国籍・地域_記載');
  const expected = compared.map((c) => (pending.includes(c) ? `coalesce(p.${ident(c)}, s.${ident(c)}) AS ${ident(c)}` : `s.${ident(c)}`));
  const diffs = compared.map((c) => `CASE WHEN r.${ident(c)} IS DISTINCT FROM e.${ident(c)} THEN '${c}' END`).join(', ');
  const d = nextDay(processedThrough);
  await exec(conn, `CREATE OR REPLACE TEMP TABLE expected_state AS
    WITH pend AS (
      SELECT 宛名番号, arg_max(転出予定年月日, eff_date) AS 転出予定年月日, arg_max(転出先住所コード, eff_date) AS 転出先住所コード,
             arg_max(転出先住所, eff_date) AS 転出先住所
      FROM history WHERE NOT ignored AND 異動事由 IN ('国内転出', '国外転出') AND eff_date >= $d::DATE
      GROUP BY 宛名番号
    )
    SELECT ${expected.join(', ')} FROM persons_asof($d::DATE) s LEFT JOIN pend p USING (宛名番号)`, { d });
  const groups = await Promise.all([
    group(conn, 'residents_differ', '住民.csv の行が履歴から求めた翌日時点の状態と異なる（列名のみ表示）', `
      SELECT r.宛名番号, NULL::INTEGER AS 履歴番号, array_to_string(list_filter([${diffs}], x -> x IS NOT NULL), ', ') AS detail
      FROM stage_residents r JOIN expected_state e USING (宛名番号)
      WHERE ${compared.map((c) => `r.${ident(c)} IS DISTINCT FROM e.${ident(c)}`).join(' OR ')}`),
    group(conn, 'residents_without_history', '住民.csv にあるが履歴に有効な行がない人', `
      SELECT r.宛名番号, NULL::INTEGER AS 履歴番号, '履歴なし' AS detail FROM stage_residents r ANTI JOIN expected_state e USING (宛名番号)`),
    group(conn, 'history_withoustage_residents', '履歴にあるが住民.csv にない人', `
      SELECT e.宛名番号, NULL::INTEGER AS 履歴番号, '住民.csv になし' AS detail FROM expected_state e ANTI JOIN stage_residents r USING (宛名番号)`),
  ]);
  await exec(conn, 'DROP TABLE expected_state');
  return groups;
}

export function nextDay(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
