// Making persons: ages from a Japanese population pyramid, birth dates, names and the initial register state.
import { Rng, Weighted } from './rng.ts';
import { age as ageOn, dayOf, yearOf } from './dates.ts';
import { join as joinName, type Name } from './names.ts';
import { foreignName, nat, nationalityLabel, type ForeignName } from './nationality.ts';
import { C, type Household, type Person } from './person.ts';
import type { Unit } from './sim.ts';

/** Japan's population by 5-year age group, 2015 census (thousands), 0–4 … 95–99, 100+. */
const PYRAMID_2015 = [4988, 5299, 5614, 6063, 5968, 6410, 7290, 8316, 9732, 8662, 7930, 7510, 8455, 9643, 7695, 6276, 4961, 3117, 1305, 330, 62];

/** Weight of each single year of age 0..109 (100+ spread thinly over 100–109). */
const AGE_WEIGHTS: number[] = (() => {
  const w: number[] = [];
  for (let a = 0; a < 110; a++) {
    if (a < 100) w.push((PYRAMID_2015[Math.floor(a / 5)] as number) / 5);
    else w.push((62 * Math.pow(0.62, a - 100)) / 2.6);
  }
  return w;
})();

const ageTables = new Map<number, Weighted<number>>();

/** An age in [lo, hi] drawn from the pyramid. */
export function pyramidAge(rng: Rng, lo: number, hi: number): number {
  const key = lo * 1000 + hi;
  let t = ageTables.get(key);
  if (!t) {
    const items: number[] = [];
    for (let a = Math.max(0, lo); a <= Math.min(109, hi); a++) items.push(a);
    t = new Weighted(items, items.map((a) => AGE_WEIGHTS[a] as number));
    ageTables.set(key, t);
  }
  return t.pick(rng);
}

/** A birth date making the person `age` years old on day `ref`. Old people are more often born on Jan 1. */
export function birthFor(rng: Rng, age: number, ref: number): number {
  let b = ref - Math.floor((age + rng.next()) * 365.2425) - 1;
  if (yearOf(b) < 1950 && rng.chance(0.01)) b = dayOf(yearOf(b), 1, 1);
  // keep the requested age exactly
  while (ageOn(b, ref) > age) b += 1;
  while (ageOn(b, ref) < age) b -= 1;
  return b;
}

export function ageAt(p: Person, day: number): number {
  return Number.isNaN(p.birth) ? 40 : ageOn(p.birth, day);
}

/** A new Japanese person with family name `family` (state only, no row yet). */
export function japanese(u: Unit, male: boolean, birth: number, family: Name): Person {
  const p = u.newPerson(male, birth);
  const g = u.ctx.names.givenName(u.rng, male, yearOf(birth));
  p.st[C.住民種別] = '日本人';
  p.st[C.氏名] = joinName(family.kanji, g.kanji);
  p.st[C.氏名カナ] = joinName(family.kana, g.kana);
  if (u.rng.chance(0.0005)) p.st[C.支援措置] = '1';
  return p;
}

export function familyOf(p: Person): Name {
  const n = (p.st[C.氏名] as string).split('\u3000');
  const k = (p.st[C.氏名カナ] as string).split('\u3000');
  return { kanji: n[0] as string, kana: k[0] as string };
}

export function foreignNameOf(p: Person): ForeignName {
  return { name: p.st[C.氏名] as string, kana: p.st[C.氏名カナ] as string, latin: p.st[C.氏名英字] as string };
}

/** A new foreigner of nationality `natKey` (status columns are set by the caller). */
export function foreigner(u: Unit, male: boolean, birth: number, natKey: string, family?: Person): Person {
  const p = u.newPerson(male, birth);
  const n = nat(natKey);
  const fam = family && family.natKey === natKey ? foreignNameOf(family) : undefined;
  const nm = foreignName(u.rng, n, male, fam);
  p.foreign = true;
  p.natKey = natKey;
  p.st[C.住民種別] = '外国人';
  p.st[C.氏名] = nm.name;
  p.st[C.氏名カナ] = nm.kana;
  p.st[C.氏名英字] = nm.latin;
  p.st[C.国籍] = family && family.natKey === natKey ? (family.st[C.国籍] as string) : nationalityLabel(u.rng, natKey);
  if (u.rng.chance(0.0005)) p.st[C.支援措置] = '1';
  return p;
}

/** Put a person into a household at its address (state only). */
export function place(u: Unit, p: Person, h: Household, rel: string): void {
  u.join(p, h, rel);
  const m = u.ctx.muni;
  const area = m.areas[h.addr.area]!;
  p.st[C.住所コード] = area.code;
  p.st[C.住所] = h.addr.text;
  p.st[C.方書] = h.addr.kata;
  p.st[C.郵便番号] = area.zip;
  p.st[C.地区コード] = area.district;
}

const ROMAJI: Record<string, string> = {};
(() => {
  const rows = 'ア:A イ:I ウ:U エ:E オ:O カ:KA キ:KI ク:KU ケ:KE コ:KO サ:SA シ:SHI ス:SU セ:SE ソ:SO タ:TA チ:CHI ツ:TSU テ:TE ト:TO ナ:NA ニ:NI ヌ:NU ネ:NE ノ:NO ハ:HA ヒ:HI フ:FU ヘ:HE ホ:HO マ:MA ミ:MI ム:MU メ:ME モ:MO ヤ:YA ユ:YU ヨ:YO ラ:RA リ:RI ル:RU レ:RE ロ:RO ワ:WA ヲ:O ン:N ガ:GA ギ:GI グ:GU ゲ:GE ゴ:GO ザ:ZA ジ:JI ズ:ZU ゼ:ZE ゾ:ZO ダ:DA ヂ:JI ヅ:ZU デ:DE ド:DO バ:BA ビ:BI ブ:BU ベ:BE ボ:BO パ:PA ピ:PI プ:PU ペ:PE ポ:PO ヴ:VU';
  for (const e of rows.split(' ')) {
    const [k, r] = e.split(':') as [string, string];
    ROMAJI[k] = r;
  }
})();

/** Katakana to Hepburn-ish capitals (for a Japanese who becomes a foreigner): ミホン　タロウ → MIHON TAROU. */
export function romaji(kana: string): string {
  let out = '';
  let dbl = false;
  const chars = [...kana];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\u3000') { out += ' '; continue; }
    if (c === 'ッ') { dbl = true; continue; }
    if (c === 'ー') continue;
    let r = ROMAJI[c] ?? '';
    const next = chars[i + 1];
    if (next && 'ャュョ'.includes(next) && r.length > 0) {
      const y = next === 'ャ' ? 'A' : next === 'ュ' ? 'U' : 'O';
      r = r.endsWith('I') ? (/^(SH|CH|J)/.test(r) ? r.slice(0, -1) + y : r.slice(0, -1) + 'Y' + y) : r;
      i++;
    } else if (next && 'ァィゥェォ'.includes(next) && r.length > 0) {
      r = r.slice(0, -1) + ({ ァ: 'A', ィ: 'I', ゥ: 'U', ェ: 'E', ォ: 'O' } as Record<string, string>)[next]!;
      i++;
    }
    if (dbl && r) r = r[0] + r;
    dbl = false;
    out += r;
  }
  return out;
}

