// Report periods in months (YYYY-MM … YYYY-MM, inclusive) and the fiscal years (4月〜3月) the
// 定期報告 uses by default.

const YM = /^(\d{4})-(0[1-9]|1[0-2])$/;

export interface MonthPeriod {
  from: string;
  to: string;
}

function parse(ym: string, what: string): [number, number] {
  const m = YM.exec(ym);
  if (!m) throw new Error(`${what} は YYYY-MM の形で指定してください（${JSON.stringify(ym)}）`);
  return [Number(m[1]), Number(m[2])];
}

const fmt = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`;

/**
 * The months of a period, in order; throws when `to` is before `from` or the period exceeds 10 years.
 * @example monthsOf({ from: '2021-11', to: '2022-02' }) // ['2021-11', '2021-12', '2022-01', '2022-02']
 */
export function monthsOf(p: MonthPeriod): string[] {
  const [fy, fm] = parse(p.from, '--from');
  const [ty, tm] = parse(p.to, '--to');
  const n = (ty - fy) * 12 + (tm - fm) + 1;
  if (n < 1) throw new Error(`--to（${p.to}）が --from（${p.from}）より前です`);
  if (n > 120) throw new Error(`期間が長すぎます（${n} か月。120 か月まで）`);
  return Array.from({ length: n }, (_, i) => {
    const k = fy * 12 + (fm - 1) + i;
    return fmt(Math.floor(k / 12), (k % 12) + 1);
  });
}

/**
 * [first day, day after the last month) as ISO dates, for the SQL.
 * @example periodDates({ from: '2023-04', to: '2024-03' }) // { d1: '2023-04-01', d2: '2024-04-01' }
 */
export function periodDates(p: MonthPeriod): { d1: string; d2: string } {
  const months = monthsOf(p);
  const [ty, tm] = parse(months.at(-1)!, '--to');
  return { d1: `${months[0]}-01`, d2: tm === 12 ? `${ty + 1}-01-01` : `${fmt(ty, tm + 1)}-01` };
}

/**
 * The fiscal year (its April's calendar year) that contains a date.
 * @example fiscalYearOf('2024-03-31') // 2023
 */
export function fiscalYearOf(isoDate: string): number {
  const y = Number(isoDate.slice(0, 4));
  const m = Number(isoDate.slice(5, 7));
  return m >= 4 ? y : y - 1;
}

/**
 * The fiscal year before the one containing `processedThrough`: the 定期報告's default period.
 * @example previousFiscalYear('2022-01-31') // { from: '2020-04', to: '2021-03' }
 */
export function previousFiscalYear(processedThrough: string): MonthPeriod {
  const fy = fiscalYearOf(processedThrough) - 1;
  return { from: `${fy}-04`, to: `${fy + 1}-03` };
}

/**
 * The current fiscal year up to the month of `processedThrough` (the nightly run's period).
 * @example currentFiscalYearToDate('2022-01-31') // { from: '2021-04', to: '2022-01' }
 */
export function currentFiscalYearToDate(processedThrough: string): MonthPeriod {
  const fy = fiscalYearOf(processedThrough);
  return { from: `${fy}-04`, to: processedThrough.slice(0, 7) };
}
