// Calendar helpers for the generator: dates are integer day numbers (days since 1970-01-01, UTC).

const BASE_YEAR = 1840;
const END_YEAR = 2200;
const BASE_DAY = Date.UTC(BASE_YEAR, 0, 1) / 86_400_000;
const SPAN = Date.UTC(END_YEAR, 0, 1) / 86_400_000 - BASE_DAY;

let strs: string[] | null = null;
let ys: Int16Array, ms: Int8Array, ds: Int8Array;

function build(): void {
  strs = new Array<string>(SPAN);
  ys = new Int16Array(SPAN);
  ms = new Int8Array(SPAN);
  ds = new Int8Array(SPAN);
  const dt = new Date(Date.UTC(BASE_YEAR, 0, 1));
  for (let i = 0; i < SPAN; i++) {
    const y = dt.getUTCFullYear(), m = dt.getUTCMonth() + 1, d = dt.getUTCDate();
    ys[i] = y; ms[i] = m; ds[i] = d;
    strs[i] = `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
    dt.setUTCDate(d + 1);
  }
}

function idx(day: number): number {
  if (strs === null) build();
  const i = day - BASE_DAY;
  if (i < 0 || i >= SPAN || !Number.isInteger(i)) throw new Error(`date out of range: ${day}`);
  return i;
}

/** 'YYYY-MM-DD' for a day number. */
export function fmt(day: number): string {
  const i = idx(day);
  return (strs as string[])[i] as string;
}

/** Day number of a calendar date (month 1–12; overflowing days roll over). */
export function dayOf(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/** Parse 'YYYY-MM-DD' strictly. */
export function parseDay(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${s}`);
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const day = dayOf(y, mo, d);
  if (yearOf(day) !== y || monthOf(day) !== mo || dom(day) !== d) throw new Error(`no such date: ${s}`);
  return day;
}

export function yearOf(day: number): number {
  const i = idx(day);
  return ys[i] as number;
}
export function monthOf(day: number): number {
  const i = idx(day);
  return ms[i] as number;
}
export function dom(day: number): number {
  const i = idx(day);
  return ds[i] as number;
}

/** Completed years of age on `day` for someone born on `birth` (満年齢; Feb 29 births age on Mar 1). */
export function age(birth: number, day: number): number {
  const bi = idx(birth), di = idx(day); // idx() builds the tables before they are read
  let a = (ys[di] as number) - (ys[bi] as number);
  const bm = ms[bi] as number, dm = ms[di] as number;
  if (dm < bm || (dm === bm && (ds[di] as number) < (ds[bi] as number))) a--;
  return a;
}

/** Same calendar date `years` years and `months` months later, minus one day when `minusOne`
 *  (how a 在留期間 end date is computed: 2021-03-10 + 1年 → 2022-03-09). */
export function addPeriod(day: number, years: number, months: number, minusOne = false): number {
  const i = idx(day);
  const y = ys[i] as number, m = ms[i] as number, d = ds[i] as number; // after idx(): tables built
  let r = dayOf(y + years, m + months, d);
  // keep month-end dates inside the target month (Jan 31 + 1 month → Feb 28/29)
  const target = ((m - 1 + months) % 12 + 12) % 12 + 1;
  while (monthOf(r) !== target) r--;
  return minusOne ? r - 1 : r;
}

/** Random-day helpers take the first day of a year. */
export function yearStart(y: number): number {
  return dayOf(y, 1, 1);
}
