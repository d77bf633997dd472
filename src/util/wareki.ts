// Japanese calendar helpers for report titles and labels: 西暦 → 和暦 (令和6年1月1日 / R6.1.1),
// and the check digit of 全国地方公共団体コード (JIS X 0402 code + 1 check digit).
// Dates are calendar dates: no time zone is ever applied.

interface Era {
  name: string;
  letter: string;
  /** first day of the era as YYYYMMDD */
  start: number;
  startYear: number;
}

// Newest first. 明治 formally began 1868-01-25 (太陽暦), but Japan used the lunisolar calendar
// until 明治5年12月2日, so 西暦 dates before 1873-01-01 do not map to 明治 dates by year arithmetic.
const ERAS: readonly Era[] = [
  { name: '令和', letter: 'R', start: 2019_05_01, startYear: 2019 },
  { name: '平成', letter: 'H', start: 1989_01_08, startYear: 1989 },
  { name: '昭和', letter: 'S', start: 1926_12_25, startYear: 1926 },
  { name: '大正', letter: 'T', start: 1912_07_30, startYear: 1912 },
  { name: '明治', letter: 'M', start: 1868_01_25, startYear: 1868 },
];

/** Earliest date converted to 和暦; earlier dates are written in 西暦. */
const EARLIEST = 1873_01_01;

interface YMD {
  y: number;
  m: number;
  d: number;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(y: number, m: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return m === 2 && leap ? 29 : MONTH_DAYS[m - 1]!;
}

function checkYMD(y: number, m: number, d: number, what: string): YMD {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d) || y < 1 || y > 9999) {
    throw new RangeError(`not a calendar date: ${what}`);
  }
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
    throw new RangeError(`not a calendar date: ${what}`);
  }
  return { y, m, d };
}

function parseDate(date: string | Date): YMD {
  if (date instanceof Date) {
    if (Number.isNaN(date.getTime())) throw new RangeError('invalid Date');
    const y = date.getUTCFullYear();
    return checkYMD(y, date.getUTCMonth() + 1, date.getUTCDate(), date.toISOString());
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`expected YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return checkYMD(Number(m[1]), Number(m[2]), Number(m[3]), date);
}

function eraOf({ y, m, d }: YMD): Era | undefined {
  const key = y * 10000 + m * 100 + d;
  if (key < EARLIEST) return undefined;
  return ERAS.find((e) => key >= e.start);
}

function eraYearText(era: Era, y: number): string {
  const n = y - era.startYear + 1;
  return n === 1 ? '元' : String(n);
}

/**
 * A calendar date in 和暦.
 *
 * Strings must be `YYYY-MM-DD`; a `Date` is read by its UTC parts. Dates before 1873-01-01
 * (the adoption of the solar calendar) are written in 西暦 (`1872年12月31日`, short `1872.12.31`).
 * Throws `RangeError` for a malformed string or a day the calendar does not have.
 *
 * @example
 * toWareki('2024-01-01')                     // '令和6年1月1日'
 * toWareki('2019-05-01')                     // '令和元年5月1日'
 * toWareki('2024-01-01', { style: 'short' }) // 'R6.1.1'
 */
export function toWareki(date: string | Date, opts: { style?: 'kanji' | 'short' } = {}): string {
  const ymd = parseDate(date);
  const era = eraOf(ymd);
  const short = opts.style === 'short';
  if (!era) return short ? `${ymd.y}.${ymd.m}.${ymd.d}` : `${ymd.y}年${ymd.m}月${ymd.d}日`;
  if (short) return `${era.letter}${ymd.y - era.startYear + 1}.${ymd.m}.${ymd.d}`;
  return `${era.name}${eraYearText(era, ymd.y)}年${ymd.m}月${ymd.d}日`;
}

/**
 * The 和暦 year for a title. Without a day the era is the one in force on the last day of the
 * given month (or of the year without a month), so 2019 → 令和元年, 2019 + April → 平成31年,
 * 1989 → 平成元年. Years before 1873 are written in 西暦 (`1872年`).
 *
 * @example
 * warekiYear(2022)        // '令和4年'
 * warekiYear(2019, 4)     // '平成31年'
 * warekiYear(1989, 1, 7)  // '昭和64年'
 */
export function warekiYear(year: number, month?: number, day?: number): string {
  if (day !== undefined && month === undefined) throw new RangeError('day given without month');
  const m = month ?? 12;
  const what = `${year}-${month ?? ''}-${day ?? ''}`;
  if (!Number.isInteger(m) || m < 1 || m > 12) throw new RangeError(`not a month: ${what}`);
  const ymd = checkYMD(year, m, day ?? daysInMonth(year, m), what);
  const era = eraOf(ymd);
  return era ? `${era.name}${eraYearText(era, year)}年` : `${year}年`;
}

const WEIGHTS = [6, 5, 4, 3, 2] as const;

/**
 * Check digit of a 5-digit 全国地方公共団体コード (都道府県2 + 市区町村3): weights 6,5,4,3,2,
 * remainder of the sum mod 11, check digit = last digit of (11 − remainder).
 * Throws `RangeError` unless given exactly five ASCII digits.
 *
 * @example
 * municipalityCheckDigit('01400') // '1'  (倶知安町 = 014001)
 */
export function municipalityCheckDigit(code5: string): string {
  if (!/^[0-9]{5}$/.test(code5)) throw new RangeError(`expected 5 digits, got ${JSON.stringify(code5)}`);
  let sum = 0;
  for (let i = 0; i < 5; i++) sum += Number(code5[i]) * WEIGHTS[i]!;
  return String((11 - (sum % 11)) % 10);
}

/**
 * True for a 6-digit 全国地方公共団体コード whose 都道府県 part is 01–47 and whose last digit is
 * the check digit of the first five.
 *
 * @example
 * isValidMunicipalityCode('014001') // true
 * isValidMunicipalityCode('014000') // false
 */
export function isValidMunicipalityCode(code6: string): boolean {
  if (!/^[0-9]{6}$/.test(code6)) return false;
  const pref = Number(code6.slice(0, 2));
  if (pref < 1 || pref > 47) return false;
  return municipalityCheckDigit(code6.slice(0, 5)) === code6[5];
}
