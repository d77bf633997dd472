// Foreign residents over time: 在留資格 and renewals (職権修正), planned departures, 通称, 帰化 and 国籍喪失.
import { fmt } from './dates.ts';
import { ABROAD, nat, nationalityLabel } from './nationality.ts';
import { C, clearForeign, type Person } from './person.ts';
import { romaji } from './people.ts';
import { afterLeave, depart, remove } from './records.ts';
import { weekday, type Unit } from './sim.ts';
import { cardNumber, dependentStatus, expiryOf, periodFor } from './visa.ts';

/** Set 法30条45区分 `cat` and 在留資格 `status` from day `from` (state only). */
export function giveStatus(u: Unit, p: Person, cat: string, status: string, from: number): void {
  const st = p.st;
  st[C.区分] = cat;
  st[C.在留資格] = cat === '中長期在留者' ? status : '';
  p.status = st[C.在留資格] as string;
  p.statusSince = from;
  p.period = cat === '中長期在留者' ? periodFor(u.rng, status) : null;
  p.expiry = p.period ? expiryOf(from, p.period) : 0;
  st[C.在留期間] = p.period ? p.period.text : '';
  st[C.満了日] = p.expiry ? fmt(p.expiry) : '';
  st[C.カード] = cat === '中長期在留者' || cat === '特別永住者' ? cardNumber(u.rng) : '';
}

/** Schedule the person's next renewal check and planned departure. */
export function planForeigner(u: Unit, p: Person): void {
  if (p.expiry) {
    const exp = p.expiry;
    u.at(exp - u.rng.int(10, 50), () => onExpiry(u, p, exp));
  }
  if (Number.isFinite(p.plannedExit)) {
    const when = p.plannedExit;
    u.at(when, () => foreignExit(u, p, when));
  }
}

/** Near the end of a 在留期間: renew, change 在留資格, or (when leaving anyway) nothing. */
function onExpiry(u: Unit, p: Person, exp: number): void {
  if (!p.present || !p.foreign || p.expiry !== exp) return;
  if (!p.dependent && p.plannedExit <= exp) return;
  const rng = u.rng;
  const t = Math.max(weekday(exp - rng.int(0, 25)), p.lastProc);
  const years = (t - p.statusSince) / 365;
  let next = p.status, detail = '在留期間更新';
  if (p.status === '技能実習' && years >= 2.5 && rng.chance(0.35)) next = '特定技能';
  else if (p.status === '留学' && years >= 1.5 && rng.chance(0.3)) next = '技術・人文知識・国際業務';
  else if (['技術・人文知識・国際業務', '技能', '定住者', '日本人の配偶者等', '永住者の配偶者等', '経営・管理'].includes(p.status) &&
    (t - (p.rows[0]?.a ?? t)) / 365 >= (p.status.endsWith('配偶者等') ? 3 : 8) && rng.chance(0.3)) next = '永住者';
  if (next !== p.status) {
    detail = '在留資格変更';
    if (Number.isFinite(p.plannedExit)) p.plannedExit = next === '永住者' ? Infinity : Math.max(p.plannedExit, t + rng.int(2, 6) * 365);
  }
  giveStatus(u, p, '中長期在留者', next, exp + 1);
  u.emit(p, '職権修正', t, u.atLeast(t, [p]), { detail });
  planForeigner(u, p);
}

/** A planned departure: abroad, elsewhere in Japan, or (rarely) a 職権消除 after the 在留期間 ran out. */
function foreignExit(u: Unit, p: Person, when: number): void {
  if (!p.present || !p.foreign || p.plannedExit !== when) return;
  const rng = u.rng;
  const h = p.hh;
  const family = h && h.head() === p ? h.members.filter((m) => m !== p && m.present && m.dependent) : [];
  const who = [p, ...family];
  if (rng.chance(0.04) && p.expiry) {
    // overstay: the 法務大臣 notifies the town, which removes the record weeks after the 在留期間 ended
    const d = weekday(Math.max(when, p.expiry) + rng.int(20, 90));
    u.at(d, () => {
      for (const m of who) if (m.present) remove(u, m, '職権消除', d, u.atLeast(d, [m]), '法務大臣通知');
      afterLeave(u, h, d, d);
    });
    return;
  }
  const abroad = p.exitAbroad;
  const dest = abroad ? { code: '', text: nat(p.natKey).country } : elsewhere(u);
  const rows = depart(u, who, abroad ? '国外転出' : '国内転出', when, dest);
  afterLeave(u, h, rows[0]!.a, rows[0]!.p);
}

function elsewhere(u: Unit): { code: string; text: string } {
  const [code, text] = u.ctx.muni.elsewhere.pick(u.rng);
  return { code: `${code}${String(u.rng.int(1, 12)).padStart(3, '0')}${String(u.rng.int(1, 5)).padStart(3, '0')}`, text: `${text}中央${u.rng.int(1, 5)}丁目${u.rng.int(1, 30)}番${u.rng.int(1, 20)}号` };
}

/** A foreign baby: 出生による経過滞在者 until a 在留資格 is granted within 60 days (職権修正). */
export function acquireStatusLater(u: Unit, baby: Person, parent: Person, birth: number): void {
  const t = weekday(birth + u.rng.int(20, 58));
  u.at(t, () => {
    if (!baby.present || baby.st[C.区分] !== '出生による経過滞在者') return;
    const special = parent.st[C.区分] === '特別永住者';
    giveStatus(u, baby, special ? '特別永住者' : '中長期在留者', special ? '' : dependentStatus(parent.status || '永住者', parent.st[C.区分] as string), t);
    baby.dependent = true;
    u.emit(baby, '職権修正', t, u.atLeast(t, [baby]), { detail: special ? '特別永住許可' : '在留資格取得' });
    planForeigner(u, baby);
  });
}

/** 帰化: 職権消除（帰化等） as 外国人, then 職権記載（帰化等） as 日本人, same 宛名番号 and dates. */
export function naturalise(u: Unit, p: Person, t: number): void {
  const a = t;
  const proc = u.atLeast(weekday(a + u.rng.int(5, 20)), [p]);
  p.st[C.住民状態] = '消除';
  p.st[C.消除年月日] = fmt(a);
  p.st[C.消除事由] = '職権消除（帰化等）';
  u.emit(p, '職権消除（帰化等）', a, proc);
  p.st[C.住民状態] = '現存';
  p.st[C.消除年月日] = '';
  p.st[C.消除事由] = '';
  if (/^[A-Z]/.test(p.st[C.氏名] as string)) p.st[C.氏名] = p.st[C.氏名カナ] as string;
  if (p.st[C.通称]) {
    // the 通称 usually becomes the legal name; keep the reading of the old name only if none is known
    p.st[C.氏名] = p.st[C.通称] as string;
  }
  clearForeign(p.st);
  p.st[C.住民種別] = '日本人';
  p.foreign = false;
  p.status = '';
  p.expiry = 0;
  p.plannedExit = Infinity;
  u.emit(p, '職権記載（帰化等）', a, proc);
}

const LOSS_NATIONALITY = ['米国', '米国', 'ブラジル', '英国', 'ペルー', 'フィリピン', '中国', '韓国'];

/** 国籍喪失: 職権消除（国籍喪失） as 日本人, then 職権記載（国籍喪失） as 外国人 (国籍喪失による経過滞在者), later 職権修正. */
export function loseNationality(u: Unit, p: Person, t: number): void {
  const rng = u.rng;
  const a = t;
  const proc = u.atLeast(weekday(a + rng.int(5, 25)), [p]);
  p.st[C.住民状態] = '消除';
  p.st[C.消除年月日] = fmt(a);
  p.st[C.消除事由] = '職権消除（国籍喪失）';
  u.emit(p, '職権消除（国籍喪失）', a, proc);
  const key = rng.pick(LOSS_NATIONALITY);
  p.st[C.住民状態] = '現存';
  p.st[C.消除年月日] = '';
  p.st[C.消除事由] = '';
  p.st[C.住民種別] = '外国人';
  p.st[C.住民となった年月日] = fmt(a);
  p.st[C.氏名英字] = romaji(p.st[C.氏名カナ] as string);
  p.st[C.国籍] = nationalityLabel(rng, key);
  p.foreign = true;
  p.natKey = key;
  giveStatus(u, p, '国籍喪失による経過滞在者', '', a);
  u.emit(p, '職権記載（国籍喪失）', a, proc);
  const t2 = weekday(a + rng.int(25, 59));
  u.at(t2, () => {
    if (!p.present || p.st[C.区分] !== '国籍喪失による経過滞在者') return;
    giveStatus(u, p, '中長期在留者', rng.chance(0.6) ? '定住者' : '日本人の配偶者等', t2);
    p.plannedExit = Infinity;
    u.emit(p, '職権修正', t2, u.atLeast(t2, [p]), { detail: '在留資格取得' });
    planForeigner(u, p);
  });
}

/** 通称の記載 (a Japanese-style alias, mostly for 特別永住者 and Chinese/Korean names). */
export function addAlias(u: Unit, p: Person, t: number, alias: string): void {
  p.st[C.通称] = alias;
  u.emit(p, '通称の記載', t, u.procDate(t, [p]), { notif: true });
}

export function dropAlias(u: Unit, p: Person, t: number): void {
  p.st[C.通称] = '';
  u.emit(p, '通称の削除', t, u.procDate(t, [p]), { notif: true });
}

/** A new 在留カード / 特別永住者証明書 (cards of 永住者 and 特別永住者 are renewed every 7 years). */
export function newCard(u: Unit, p: Person, t: number): void {
  p.st[C.カード] = cardNumber(u.rng);
  u.emit(p, '職権修正', t, u.atLeast(weekday(t), [p]), { detail: '在留カード等番号変更' });
}

export { ABROAD };
