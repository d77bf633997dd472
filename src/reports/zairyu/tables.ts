// The 定期報告's two tables (zairyu-report.md): 住居地届出 by 区分 × month, and the same counts by
// 国籍・地域 (top 20, then その他) and 在留資格 × 区分.

export type Cell = string | number | null;

export const KUBUN_ROWS = [
  { label: '19条の7', kubun: ['19条の7'] },
  { label: '19条の8', kubun: ['19条の8'] },
  { label: '19条の9', kubun: ['19条の9'] },
  { label: '中長期在留者 計', kubun: ['19条の7', '19条の8', '19条の9'] },
  { label: '特例法10条1項', kubun: ['特例法10条1項'] },
  { label: '特例法10条2項', kubun: ['特例法10条2項'] },
  { label: '特別永住者 計', kubun: ['特例法10条1項', '特例法10条2項'] },
  { label: '合計', kubun: ['19条の7', '19条の8', '19条の9', '特例法10条1項', '特例法10条2項'] },
] as const;

export const TOP_NATIONALITIES = 20;

export interface NotificationRow {
  月: string;
  区分: string;
  国籍: string | null;
  在留資格: string | null;
  法30条45区分: string | null;
  n: number;
  n_derived: number;
}

export interface SimpleTable {
  name: string;
  header: string[];
  rows: Cell[][];
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

/**
 * 区分 × month table: columns 区分, each month (YYYY-MM), 計.
 * @example kubunByMonth(rows, ['2021-04', '2021-05'])
 */
export function kubunByMonth(rows: readonly NotificationRow[], months: readonly string[]): SimpleTable {
  const count = (kubun: readonly string[], month?: string) =>
    sum(rows.filter((r) => kubun.includes(r.区分) && (month === undefined || r.月 === month)).map((r) => r.n));
  return {
    name: '定期報告_住居地届出',
    header: ['区分', ...months, '計'],
    rows: KUBUN_ROWS.map((k) => [k.label, ...months.map((m) => count(k.kubun, m)), count(k.kubun)]),
  };
}

const byTotalThenName = (a: [string, number], b: [string, number]) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function block(label: string, groups: Map<string, NotificationRow[]>, top: number | undefined): Cell[][] {
  const counts = (rs: NotificationRow[]) => KUBUN_ROWS.map((k) => sum(rs.filter((r) => (k.kubun as readonly string[]).includes(r.区分)).map((r) => r.n)));
  const ranked = [...groups.entries()].map(([name, rs]) => [name, sum(rs.map((r) => r.n))] as [string, number]).sort(byTotalThenName);
  const shown = top === undefined ? ranked : ranked.slice(0, top);
  const rest = top === undefined ? [] : ranked.slice(top);
  const out: Cell[][] = shown.map(([name]) => [label, name, ...counts(groups.get(name)!)]);
  if (rest.length > 0) out.push([label, 'その他', ...counts(rest.flatMap(([name]) => groups.get(name)!))]);
  out.push([label, '計', ...counts([...groups.values()].flat())]);
  return out;
}

function group(rows: readonly NotificationRow[], keyOf: (r: NotificationRow) => string): Map<string, NotificationRow[]> {
  const m = new Map<string, NotificationRow[]>();
  for (const r of rows) {
    const k = keyOf(r);
    m.set(k, [...(m.get(k) ?? []), r]);
  }
  return m;
}

/**
 * 国籍・地域 (top 20 by total, then その他, then 計) and 在留資格 (all, then 計) × 区分.
 * @example byNationalityAndStatus(rows).rows[0] // ['国籍・地域', '韓国', 0, 0, 0, 0, 1, 2, 3, 3]
 */
export function byNationalityAndStatus(rows: readonly NotificationRow[]): SimpleTable {
  const status = (r: NotificationRow) => r.在留資格 ?? (r.法30条45区分 === '特別永住者' ? '（特別永住者）' : '（在留資格なし）');
  return {
    name: '定期報告_国籍在留資格別',
    header: ['表', '国籍・地域／在留資格', ...KUBUN_ROWS.map((k) => k.label)],
    rows: [
      ...block('国籍・地域', group(rows, (r) => r.国籍 ?? '（不明）'), TOP_NATIONALITIES),
      ...block('在留資格', group(rows, status), undefined),
    ],
  };
}
