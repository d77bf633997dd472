// 在留資格, 在留期間 and 在留カード等番号 for foreign residents, and the kinds of foreign households that arrive.
import { Rng, Weighted, weighted } from './rng.ts';
import { addPeriod } from './dates.ts';

/** A 在留期間 as written ('1年6月') and its length. */
export interface Period {
  text: string;
  years: number;
  months: number;
}

function P(text: string): Period {
  const m = /^(?:(\d+)年)?(?:(\d+)月)?$/.exec(text);
  if (!m) throw new Error(`bad period ${text}`);
  return { text, years: Number(m[1] ?? 0), months: Number(m[2] ?? 0) };
}

/** Periods granted per 在留資格 (入管法 別表), weighted. 永住者 has none. */
const PERIODS: Record<string, Weighted<Period>> = {
  技能実習: weighted([[P('1年'), 6], [P('2年'), 3], [P('6月'), 1]]),
  留学: weighted([[P('1年3月'), 3], [P('2年3月'), 3], [P('2年'), 2], [P('4年3月'), 1], [P('1年'), 2]]),
  特定技能: weighted([[P('1年'), 6], [P('6月'), 1], [P('3年'), 2]]),
  '技術・人文知識・国際業務': weighted([[P('1年'), 4], [P('3年'), 4], [P('5年'), 3]]),
  技能: weighted([[P('1年'), 4], [P('3年'), 4], [P('5年'), 1]]),
  '経営・管理': weighted([[P('1年'), 5], [P('3年'), 3], [P('5年'), 1]]),
  教育: weighted([[P('1年'), 6], [P('3年'), 3]]),
  家族滞在: weighted([[P('1年'), 4], [P('3年'), 4], [P('5年'), 2], [P('1年3月'), 1]]),
  定住者: weighted([[P('1年'), 3], [P('3年'), 4], [P('5年'), 2], [P('6月'), 1]]),
  日本人の配偶者等: weighted([[P('1年'), 4], [P('3年'), 4], [P('5年'), 1], [P('6月'), 1]]),
  永住者の配偶者等: weighted([[P('1年'), 4], [P('3年'), 4], [P('5年'), 1]]),
  特定活動: weighted([[P('6月'), 3], [P('1年'), 4], [P('3月'), 1]]),
};

export function periodFor(rng: Rng, status: string): Period | null {
  const t = PERIODS[status];
  return t ? t.pick(rng) : null;
}

/** End of a 在留期間 that starts on `from`. */
export function expiryOf(from: number, p: Period): number {
  return addPeriod(from, p.years, p.months, true);
}

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A fake 在留カード / 特別永住者証明書 number: 2 letters, 8 digits, 2 letters. */
export function cardNumber(rng: Rng): string {
  let s = LETTERS[rng.int(0, 23)]! + LETTERS[rng.int(0, 23)]!;
  for (let i = 0; i < 8; i++) s += String(rng.int(0, 9));
  return s + LETTERS[rng.int(0, 23)]! + LETTERS[rng.int(0, 23)]!;
}

/** What a foreign household that arrives (or lives here at the start) is like. */
export interface ForeignTemplate {
  kind: 'trainee' | 'worker' | 'student' | 'professional' | 'family' | 'nikkei' | 'permanent' | 'special' | 'asylum';
  /** nationality keys with weights */
  nationality: Weighted<string>;
  /** 在留資格 of the head (or every member of a dormitory) */
  status: string;
  /** years they plan to stay: [min, max]; Infinity = no plan to leave */
  stay: [number, number];
  /** head age range */
  age: [number, number];
}

const N = (pairs: Array<[string, number]>) => weighted(pairs);

const TEMPLATES: Array<[ForeignTemplate, number, number]> = [
  // [template, weight among arrivals, weight among households present at the start]
  [{ kind: 'trainee', status: '技能実習', stay: [0.8, 3], age: [19, 32],
    nationality: N([['ベトナム', 45], ['インドネシア', 18], ['フィリピン', 10], ['ミャンマー', 12], ['中国', 10], ['タイ', 5]]) }, 30, 10],
  [{ kind: 'worker', status: '特定技能', stay: [1, 4], age: [20, 38],
    nationality: N([['ベトナム', 45], ['インドネシア', 18], ['フィリピン', 12], ['ミャンマー', 12], ['ネパール', 5], ['中国', 8]]) }, 12, 4],
  [{ kind: 'student', status: '留学', stay: [0.8, 3.5], age: [18, 28],
    nationality: N([['中国', 35], ['ネパール', 22], ['ベトナム', 20], ['韓国', 5], ['スリランカ', 6], ['ミャンマー', 5], ['台湾', 4], ['モンゴル', 3]]) }, 22, 6],
  [{ kind: 'professional', status: '技術・人文知識・国際業務', stay: [1.5, 7], age: [23, 45],
    nationality: N([['中国', 35], ['ベトナム', 15], ['韓国', 12], ['ネパール', 8], ['インド', 8], ['台湾', 5], ['米国', 7], ['英国', 3], ['フィリピン', 7]]) }, 14, 10],
  [{ kind: 'professional', status: '教育', stay: [1, 4], age: [23, 45],
    nationality: N([['米国', 50], ['英国', 25], ['フィリピン', 15], ['インド', 10]]) }, 2, 1],
  [{ kind: 'family', status: '技能', stay: [2, 10], age: [25, 50],
    nationality: N([['ネパール', 50], ['インド', 20], ['中国', 25], ['タイ', 5]]) }, 4, 4],
  [{ kind: 'family', status: '経営・管理', stay: [2, 12], age: [28, 60],
    nationality: N([['中国', 50], ['韓国', 20], ['ネパール', 15], ['台湾', 10], ['米国', 5]]) }, 2, 3],
  [{ kind: 'nikkei', status: '定住者', stay: [4, Infinity], age: [22, 55],
    nationality: N([['ブラジル', 60], ['ペルー', 20], ['フィリピン', 20]]) }, 3, 8],
  [{ kind: 'permanent', status: '永住者', stay: [8, Infinity], age: [28, 80],
    nationality: N([['中国', 30], ['フィリピン', 20], ['ブラジル', 15], ['韓国', 12], ['ペルー', 5], ['台湾', 6], ['米国', 4], ['タイ', 4], ['ベトナム', 4]]) }, 2, 26],
  [{ kind: 'special', status: '', stay: [Infinity, Infinity], age: [25, 90],
    nationality: N([['韓国', 85], ['朝鮮', 12], ['中国', 3]]) }, 1, 21],
  [{ kind: 'worker', status: '特定活動', stay: [1, 2], age: [20, 35],
    nationality: N([['ベトナム', 30], ['フィリピン', 25], ['インドネシア', 20], ['米国', 10], ['英国', 5], ['タイ', 10]]) }, 2, 1],
  [{ kind: 'asylum', status: '', stay: [1, 6], age: [22, 50],
    nationality: N([['ミャンマー', 40], ['スリランカ', 30], ['ネパール', 20], ['インド', 10]]) }, 0.3, 0.1],
];

export const ARRIVAL_TEMPLATES = new Weighted(TEMPLATES.map((t) => t[0]), TEMPLATES.map((t) => t[1]));
export const INITIAL_TEMPLATES = new Weighted(TEMPLATES.map((t) => t[0]), TEMPLATES.map((t) => t[2]));

/** 在留資格 of a foreign spouse / child joining a head with status `head`. */
export function dependentStatus(head: string, cat: string): string {
  if (cat === '特別永住者') return '';
  switch (head) {
    case '永住者': return '永住者の配偶者等';
    case '定住者': return '定住者';
    case '日本人の配偶者等': return '定住者';
    default: return '家族滞在';
  }
}

/** Everything these tables can write (for encoding tests). */
export function allVisaText(): string[] {
  const out = Object.keys(PERIODS);
  for (const t of Object.values(PERIODS)) out.push(...t.items.map((p) => p.text));
  out.push('永住者', '日本人の配偶者等', '永住者の配偶者等', '中長期在留者', '特別永住者', '一時庇護許可者', '仮滞在許可者', '出生による経過滞在者', '国籍喪失による経過滞在者');
  return out;
}
