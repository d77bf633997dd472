// Japanese public holidays (国民の祝日に関する法律) for 1980–2099, computed rather than listed: the fixed
// and Happy-Monday days with the years each rule applied, the equinoxes from the standard formula,
// the one-off days of the imperial calendar and the 2020/2021 Olympic moves, then 振替休日 and 国民の休日.
// Used by the audit log's holiday-use analysis.

export const FIRST_YEAR = 1980;
export const LAST_YEAR = 2099;

type Rule = { name: string; from: number; to: number } & ({ month: number; day: number } | { month: number; monday: number });

/** The statutory days, each with the years it applied (inclusive). */
const RULES: readonly Rule[] = [
  { name: '元日', month: 1, day: 1, from: 1949, to: 9999 },
  { name: '成人の日', month: 1, day: 15, from: 1949, to: 1999 },
  { name: '成人の日', month: 1, monday: 2, from: 2000, to: 9999 },
  { name: '建国記念の日', month: 2, day: 11, from: 1967, to: 9999 },
  { name: '天皇誕生日', month: 2, day: 23, from: 2020, to: 9999 },
  { name: '天皇誕生日', month: 4, day: 29, from: 1949, to: 1988 },
  { name: 'みどりの日', month: 4, day: 29, from: 1989, to: 2006 },
  { name: '昭和の日', month: 4, day: 29, from: 2007, to: 9999 },
  { name: '憲法記念日', month: 5, day: 3, from: 1949, to: 9999 },
  { name: 'みどりの日', month: 5, day: 4, from: 2007, to: 9999 },
  { name: 'こどもの日', month: 5, day: 5, from: 1949, to: 9999 },
  { name: '海の日', month: 7, day: 20, from: 1996, to: 2002 },
  { name: '海の日', month: 7, monday: 3, from: 2003, to: 9999 },
  { name: '山の日', month: 8, day: 11, from: 2016, to: 9999 },
  { name: '敬老の日', month: 9, day: 15, from: 1966, to: 2002 },
  { name: '敬老の日', month: 9, monday: 3, from: 2003, to: 9999 },
  { name: '体育の日', month: 10, day: 10, from: 1966, to: 1999 },
  { name: '体育の日', month: 10, monday: 2, from: 2000, to: 2019 },
  { name: 'スポーツの日', month: 10, monday: 2, from: 2020, to: 9999 },
  { name: '文化の日', month: 11, day: 3, from: 1948, to: 9999 },
  { name: '勤労感謝の日', month: 11, day: 23, from: 1948, to: 9999 },
  { name: '天皇誕生日', month: 12, day: 23, from: 1989, to: 2018 },
];

/** One-off holidays by special acts, and the Olympic years' moved days (which replace the rule's day). */
const SPECIAL: Readonly<Record<string, string>> = {
  '1989-02-24': '昭和天皇の大喪の礼',
  '1990-11-12': '即位礼正殿の儀',
  '1993-06-09': '皇太子徳仁親王の結婚の儀',
  '2019-05-01': '天皇の即位の日',
  '2019-10-22': '即位礼正殿の儀',
  '2020-07-23': '海の日',
  '2020-07-24': 'スポーツの日',
  '2020-08-10': '山の日',
  '2021-07-22': '海の日',
  '2021-07-23': 'スポーツの日',
  '2021-08-08': '山の日',
};
const MOVED: ReadonlySet<string> = new Set(['2020|海の日', '2020|スポーツの日', '2020|山の日', '2021|海の日', '2021|スポーツの日', '2021|山の日']);

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
/** 0 = Sunday … 6 = Saturday */
const weekday = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay();

function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/**
 * The day of March of 春分の日 and of September of 秋分の日 (the formula used for 1980–2099, which
 * agrees with the 国立天文台's announcements).
 * @example equinoxDays(2024) // { spring: 20, autumn: 22 }
 */
export function equinoxDays(year: number): { spring: number; autumn: number } {
  const k = 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4);
  return { spring: Math.floor(20.8431 + k), autumn: Math.floor(23.2488 + k) };
}

const cache = new Map<number, ReadonlyMap<string, string>>();

/**
 * Every holiday of a year (1980–2099): date 'YYYY-MM-DD' → name, including 振替休日 and 国民の休日,
 * in date order. Throws RangeError outside 1980–2099.
 * @example holidaysOf(2019).get('2019-04-30') // '国民の休日'
 */
export function holidaysOf(year: number): ReadonlyMap<string, string> {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
    throw new RangeError(`国民の祝日は ${FIRST_YEAR}〜${LAST_YEAR} 年について計算します（${year} 年は対象外です）。`);
  }
  const cached = cache.get(year);
  if (cached) return cached;
  // 国民の祝日 proper
  const shukujitsu = new Map<string, string>();
  for (const rule of RULES) {
    if (year < rule.from || year > rule.to || MOVED.has(`${year}|${rule.name}`)) continue;
    const day = 'day' in rule ? rule.day : 1 + ((8 - weekday(year, rule.month, 1)) % 7) + 7 * (rule.monday - 1);
    shukujitsu.set(iso(year, rule.month, day), rule.name);
  }
  const { spring, autumn } = equinoxDays(year);
  shukujitsu.set(iso(year, 3, spring), '春分の日');
  shukujitsu.set(iso(year, 9, autumn), '秋分の日');
  for (const [date, name] of Object.entries(SPECIAL)) if (date.startsWith(`${year}-`)) shukujitsu.set(date, name);

  const all = new Map(shukujitsu);
  // 振替休日: a 祝日 on a Sunday makes the next day that is not a 祝日 a holiday (before 2007 only
  // the Monday; the two rules agree for every year from 1980 to 2006).
  for (const date of shukujitsu.keys()) {
    if (new Date(`${date}T00:00:00Z`).getUTCDay() !== 0) continue;
    let next = addDays(date, 1);
    while (shukujitsu.has(next)) next = addDays(next, 1);
    if (next.startsWith(`${year}-`)) all.set(next, '振替休日');
  }
  // 国民の休日 (from 1986): a day between two 祝日 that is not itself a holiday; until 2006 a
  // Sunday did not count.
  if (year >= 1986) {
    for (const date of shukujitsu.keys()) {
      const between = addDays(date, 1);
      if (all.has(between) || !shukujitsu.has(addDays(date, 2))) continue;
      if (year < 2007 && new Date(`${between}T00:00:00Z`).getUTCDay() === 0) continue;
      all.set(between, '国民の休日');
    }
  }
  const sorted = new Map([...all].sort(([a], [b]) => (a < b ? -1 : 1)));
  cache.set(year, sorted);
  return sorted;
}

/**
 * The holiday name of a date 'YYYY-MM-DD' (祝日, 振替休日 or 国民の休日), or undefined.
 * @example holidayName('2024-09-23') // '振替休日'
 */
export function holidayName(date: string): string | undefined {
  return holidaysOf(Number(date.slice(0, 4))).get(date.slice(0, 10));
}

/**
 * Whether a date 'YYYY-MM-DD' is a day off: Saturday, Sunday or a holiday.
 * @example isRestDay('2024-01-08') // true (成人の日)
 * @example isRestDay('2024-01-09') // false
 */
export function isRestDay(date: string): boolean {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  const w = weekday(y, m, d);
  return w === 0 || w === 6 || holidayName(date) !== undefined;
}
