// 整合性チェック (nenpo.md §5), run with every 年報: stock and flow, 総計 = 日本人 + 外国人, age bands
// and sexes add up, household kinds add up. Each check compares two numbers the database computed
// separately (subtotals come from GROUPING SETS, not from adding in JS), so a failure is real; the
// persons behind a failure are looked up only then (check_balance.sql, check_persons.sql).
import type { DuckDBConnection } from '@duckdb/node-api';
import { settings } from '../../settings.ts';
import { AGE_BANDS, SEGMENTS, SEXES, TABLE1_COLUMNS, type Segment, type Sex, type TableColumn } from './columns.ts';
import { fetchBalanceCulprits, fetchPersonCulprits, type BalanceCulprit, type NenpoData, type PersonCulprit } from './data.ts';
import type { Area } from './areas.ts';
import { ageCount, flowTotals, households, population, table1Row, type Cell } from './tables.ts';

export interface CheckPerson {
  宛名番号: string;
  履歴番号: number[];
  detail: string;
}

export interface CheckResult {
  no: 1 | 2 | 3 | 4;
  check: string;
  areaCode: string;
  areaName: string;
  segment: string;
  sex: string;
  item: string;
  left: number;
  right: number;
  ok: boolean;
  persons: CheckPerson[];
  /** persons behind the failure not listed (limit reached) */
  more: number;
}

export const CHECK_NAMES = {
  1: '前年1月1日人口 + 記載計（Ａ） − 消除計（Ｂ） = 本年1月1日人口',
  2: '総計 = 日本人住民 + 外国人住民',
  3: 'Σ年齢階級 + 生年月日不詳 = 総数、男 + 女 = 計',
  4: '日本人住民のみ + 複数国籍 + 外国人住民のみ = 総計世帯数',
} as const;

function result(no: CheckResult['no'], area: Area, segment: string, sex: string, item: string, left: number, right: number): CheckResult {
  return { no, check: CHECK_NAMES[no], areaCode: area.code, areaName: area.name, segment, sex, item, left, right, ok: left === right, persons: [], more: 0 };
}

/** The columns of 総計's Table 1 that 日本人 and 外国人 also have, with the J/F column to add. */
function sharedColumns(): [TableColumn, number, number, number][] {
  const pick = (seg: Segment, header: string) => TABLE1_COLUMNS[seg.key].findIndex((c) => c.header === header);
  const [, jp, fr] = SEGMENTS as [Segment, Segment, Segment];
  const alias = (h: string) => (h === 'その他記載' || h === 'その他消除' ? `${h}（計）` : h);
  return TABLE1_COLUMNS.total.map((col, i): [TableColumn, number, number, number] => {
    const jpHeader = col.header === '世帯数' ? '世帯数（計）' : alias(col.header);
    return [col, i, pick(jp, jpHeader), pick(fr, alias(col.header))];
  }).filter(([col, , j, f]) => col.format === 'count' && j >= 0 && f >= 0);
}

/**
 * Runs the four checks on the aggregates (no person lookups yet).
 * @example computeChecks(data, areas).filter((c) => !c.ok)
 */
export function computeChecks(data: NenpoData, areas: readonly Area[]): CheckResult[] {
  const out: CheckResult[] = [];
  const [total, jp, fr] = SEGMENTS as [Segment, Segment, Segment];
  for (const area of areas) {
    for (const seg of SEGMENTS) {
      for (const sex of SEXES) {
        const t = flowTotals(data, area, seg, sex);
        const before = population(data, area, seg, sex, true);
        out.push(result(1, area, seg.label, sex, `${before} + ${t.a} − ${t.b}`, before + t.a - t.b, population(data, area, seg, sex)));
      }
    }
    const rows = { total: table1Row(data, area, total), jp: table1Row(data, area, jp), fr: table1Row(data, area, fr) };
    for (const [col, i, j, f] of sharedColumns()) {
      const v = (row: Cell[], k: number) => Number(row[k] ?? 0);
      out.push(result(2, area, '総計', '', col.header, v(rows.total, i), v(rows.jp, j) + v(rows.fr, f)));
    }
    for (const seg of SEGMENTS) {
      for (const sex of SEXES) {
        const bands = AGE_BANDS.reduce((s, [, lo, hi]) => s + Array.from({ length: hi - lo + 1 }, (_, k) => ageCount(data, area, seg, sex, lo + k)).reduce((a, b) => a + b, 0), 0);
        const unknown = ageCount(data, area, seg, sex, -2);
        out.push(result(3, area, seg.label, sex, `Σ年齢階級 ${bands} + 生年月日不詳 ${unknown}`, bands + unknown, population(data, area, seg, sex)));
      }
      const m = population(data, area, seg, '男');
      const w = population(data, area, seg, '女');
      out.push(result(3, area, seg.label, '計', `男 ${m} + 女 ${w}`, m + w, population(data, area, seg, '計')));
    }
    const hh = households(data, area);
    out.push(result(4, area, '総計', '', `${hh.jpOnly} + ${hh.mixed} + ${hh.frOnly}`, hh.jpOnly + hh.mixed + hh.frOnly, hh.all));
  }
  return out;
}

/**
 * The persons behind a failed check 1 (or 2): the culprit entries of the check's area, segment and
 * sex, summed per person; only persons whose own imbalance does not cancel out at this level are
 * named (a 性別 correction unbalances 男 and 女 but not 計).
 */
function balancePersons(c: CheckResult, culprits: readonly BalanceCulprit[], areas: readonly Area[]): CheckPerson[] {
  const byPerson = new Map<string, BalanceCulprit[]>();
  for (const p of culprits) {
    if (!matches(c, p.level, p.ward, areas, p.住民種別, p.性別)) continue;
    byPerson.set(p.宛名番号, [...(byPerson.get(p.宛名番号) ?? []), p]);
  }
  const state = (n: number) => (n > 0 ? '住民' : '住民でない');
  const out: CheckPerson[] = [];
  for (const [no, entries] of byPerson) {
    if (c.no === 1 && entries.reduce((s, e) => s + e.diff, 0) === 0) continue;
    const first = entries[0]!;
    const rireki = first.rireki.length > 0 ? first.rireki : first.rireki_after !== null ? [first.rireki_after] : [];
    const parts = entries.map((e) => `${e.住民種別} ${e.性別}${e.ward ? ` 区 ${e.ward}` : ''}: 前年1月1日 ${state(e.before)}・本年1月1日 ${state(e.after)}・記載−消除 ${e.flow}`);
    out.push({ 宛名番号: no, 履歴番号: rireki, detail: `${parts.join('、')}（期間の異動 ${first.rows || 'なし'}）` });
  }
  return out;
}

function matches(c: CheckResult, level: '市' | '区', ward: string | null, areas: readonly Area[], shubetsu: string, sex: string): boolean {
  const area = areas.find((a) => a.code === c.areaCode);
  if (!area || (area.key === '' ? level !== '市' : level !== '区' || ward !== area.key)) return false;
  const seg = SEGMENTS.find((s) => s.label === c.segment);
  if (seg?.shubetsu && seg.shubetsu !== shubetsu) return false;
  return c.sex === '計' || c.sex === '' || c.sex === sex;
}

/**
 * Names the persons behind each failed check (at most settings.maxCheckPersons per check).
 * Needs temp table nenpo_events on the connection (fetchNenpoData leaves it there).
 * @example await explainFailures(conn, checks, areas, '2021-01-01', '2022-01-01');
 */
export async function explainFailures(conn: DuckDBConnection, checks: CheckResult[], areas: readonly Area[], d1: string, d2: string): Promise<void> {
  const failed = checks.filter((c) => !c.ok);
  if (failed.length === 0) return;
  const limit = settings.maxCheckPersons;
  const lookup = 20 * limit;
  let balance: CheckPerson[][] = failed.map(() => []);
  if (failed.some((c) => c.no === 1 || c.no === 2)) {
    const culprits = await fetchBalanceCulprits(conn, d1, d2, lookup);
    balance = failed.map((c) => (c.no === 1 || c.no === 2 ? balancePersons(c, culprits, areas) : []));
    failed.forEach((c, i) => attach(c, balance[i]!, limit));
  }
  if (failed.some((c) => c.no !== 1)) {
    const persons = await fetchPersonCulprits(conn, d2, lookup);
    failed.forEach((c, i) => {
      if (c.no === 1) return;
      const named = persons
        .filter((p) => personMatches(c, p, areas))
        .map((p) => ({ 宛名番号: p.宛名番号, 履歴番号: [p.履歴番号], detail: `${p.理由}（${p.住民種別} ${p.性別}）` }));
      attach(c, [...named, ...balance[i]!], limit);
    });
  }
}

/** Whether a resident who cannot be tabulated explains a failed check 2, 3 or 4. */
function personMatches(c: CheckResult, p: PersonCulprit, areas: readonly Area[]): boolean {
  const area = areas.find((a) => a.code === c.areaCode);
  if (!area || (area.key !== '' && area.key !== p.ward)) return false;
  if (c.no === 2 || c.no === 4) return p.理由.startsWith('住民種別');
  const seg = SEGMENTS.find((s) => s.label === c.segment);
  if (seg?.shubetsu && seg.shubetsu !== p.住民種別) return false;
  if (c.item.startsWith('男 ')) return p.理由.startsWith('性別');
  return p.理由.startsWith('生年月日') && (c.sex === '計' || c.sex === p.性別);
}

function attach(c: CheckResult, persons: CheckPerson[], limit: number): void {
  c.persons = persons.slice(0, limit);
  c.more = Math.max(0, persons.length - limit);
}

/**
 * One line per person: 「宛名番号 1040 履歴番号 2: …」.
 * @example personText(p) // '宛名番号 1040 履歴番号 2: …'
 */
export function personText(p: CheckPerson): string {
  return `宛名番号 ${p.宛名番号} 履歴番号 ${p.履歴番号.join(',') || '-'}: ${p.detail}`;
}

export const CHECK_HEADER = ['番号', 'チェック', '団体コード', '市区町村名', '区分', '性別', '項目', '左辺', '右辺', '差', '結果', '該当者（宛名番号・履歴番号）'] as const;

/**
 * Rows of 整合性チェック.csv (NG rows name the persons; a 「ほか n 人」 note when the limit applied).
 * @example toCsv(CHECK_HEADER, checkRows(checks))
 */
export function checkRows(checks: readonly CheckResult[]): Cell[][] {
  return checks.map((c) => [
    c.no, c.check, c.areaCode, c.areaName, c.segment, c.sex, c.item, c.left, c.right, c.left - c.right, c.ok ? 'OK' : 'NG',
    [...c.persons.map(personText), ...(c.more > 0 ? [`ほか ${c.more} 人`] : []), ...(!c.ok && c.persons.length === 0 ? ['原因の人を特定できません（集計列の対応表を確認してください）'] : [])].join(' / '),
  ]);
}

/**
 * Short summary for the terminal and 出力情報.
 * @example checkSummary(checks) // 'すべて合格（41 項目）'
 */
export function checkSummary(checks: readonly CheckResult[]): string {
  const ng = checks.filter((c) => !c.ok).length;
  return ng === 0 ? `すべて合格（${checks.length} 項目）` : `不合格 ${ng} 項目（全 ${checks.length} 項目）`;
}

/**
 * The checks as terminal lines: a summary, then each failure with its persons.
 * @example console.log(formatChecks(result.checks).join('\n'));
 */
export function formatChecks(checks: readonly CheckResult[]): string[] {
  const lines = [`整合性チェック: ${checkSummary(checks)}`];
  for (const c of checks.filter((x) => !x.ok)) {
    lines.push(`  NG ${c.no}. ${c.check} — ${c.areaCode} ${c.areaName} ${c.segment} ${c.sex} ${c.item}: ${c.left} ≠ ${c.right}（差 ${c.left - c.right}）`);
    for (const p of c.persons) lines.push(`     ${personText(p)}`);
    if (c.more > 0) lines.push(`     ほか ${c.more} 人`);
  }
  return lines;
}
