// Households and ages: who lives in a unit when it starts (present at the window start, or arriving later).
import { Rng, weighted } from './rng.ts';
import { addPeriod, yearOf } from './dates.ts';
import { join as joinName } from './names.ts';
import { ABROAD, nat } from './nationality.ts';
import { randomAddress, elsewhereAddress } from './places.ts';
import { C, type Person } from './person.ts';
import { birthFor, foreigner, japanese, place, pyramidAge } from './people.ts';
import { register, relocate, scheduleCancel, type From } from './records.ts';
import { LAW_DAY, type Unit } from './sim.ts';
import { acquireStatusLater, giveStatus, planForeigner } from './foreign.ts';
import { ARRIVAL_TEMPLATES, INITIAL_TEMPLATES, dependentStatus, type ForeignTemplate } from './visa.ts';

type JType = 'singleYoung' | 'singleMid' | 'singleOld' | 'coupleYoung' | 'coupleMid' | 'coupleOld' | 'family' | 'singleParent' | 'threeGen' | 'other';

const J_INITIAL = weighted<JType>([
  ['singleYoung', 6], ['singleMid', 7], ['singleOld', 15], ['coupleYoung', 2], ['coupleMid', 13], ['coupleOld', 18],
  ['family', 26], ['singleParent', 8], ['threeGen', 8], ['other', 2],
]);
const J_ARRIVAL = weighted<JType>([
  ['singleYoung', 30], ['singleMid', 9], ['singleOld', 3], ['coupleYoung', 14], ['coupleOld', 4], ['family', 27], ['singleParent', 4],
]);

interface Member {
  male: boolean;
  age: number;
  rel: string;
  /** a foreign spouse (mixed household) */
  foreign?: boolean;
}

function clampAge(a: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.round(a)));
}

/** Members of a Japanese household of the given type; ages on the reference day. */
function jMembers(rng: Rng, type: JType, arriving: boolean): Member[] {
  const out: Member[] = [];
  const kids = (motherAge: number, n: number, maxAge: number) => {
    for (let i = 0; i < n; i++) {
      const age = motherAge - rng.int(22, 40);
      if (age >= 0 && age <= maxAge) out.push({ male: rng.chance(0.51), age, rel: '子' });
    }
  };
  const couple = (headAge: number) => {
    const male = rng.chance(0.96);
    out.push({ male, age: headAge, rel: '世帯主' });
    const sp = clampAge(headAge + (male ? -2 : 2) + rng.normal() * 3, 18, 105);
    out.push({ male: !male, age: sp, rel: male ? '妻' : '夫', foreign: rng.chance(0.015) });
    return male ? sp : headAge;
  };
  switch (type) {
    case 'singleYoung': {
      const age = arriving ? clampAge(18 + rng.exp(9), 18, 50) : pyramidAge(rng, 18, 34);
      out.push({ male: rng.chance(0.56), age, rel: '世帯主' });
      break;
    }
    case 'singleMid':
      out.push({ male: rng.chance(0.6), age: pyramidAge(rng, 35, 64), rel: '世帯主' });
      break;
    case 'singleOld': {
      const age = pyramidAge(rng, 65, 109);
      out.push({ male: rng.chance(age >= 75 ? 0.22 : 0.38), age, rel: '世帯主' });
      break;
    }
    case 'coupleYoung':
      couple(rng.int(22, 36));
      break;
    case 'coupleMid':
      couple(pyramidAge(rng, 50, 66));
      break;
    case 'coupleOld':
      couple(pyramidAge(rng, 65, 95));
      break;
    case 'family': {
      const head = arriving ? rng.int(27, 48) : pyramidAge(rng, 30, 60);
      const mother = couple(head);
      const n = rng.chance(0.38) ? 1 : rng.chance(0.75) ? 2 : rng.chance(0.85) ? 3 : 4;
      kids(mother, n, arriving ? 14 : 32);
      break;
    }
    case 'singleParent': {
      if (!arriving && rng.chance(0.35)) {
        const p = pyramidAge(rng, 70, 100);
        out.push({ male: rng.chance(0.2), age: p, rel: '世帯主' });
        out.push({ male: rng.chance(0.55), age: clampAge(p - rng.int(24, 38), 30, 75), rel: '子' });
      } else {
        const p = rng.int(26, 58);
        out.push({ male: rng.chance(0.15), age: p, rel: '世帯主' });
        kids(p, rng.chance(0.5) ? 1 : 2, 25);
        if (out.length === 1) out.push({ male: rng.chance(0.5), age: rng.int(0, 15), rel: '子' });
      }
      break;
    }
    case 'threeGen': {
      const head = pyramidAge(rng, 35, 60);
      const mother = couple(head);
      kids(mother, rng.int(1, 3), 30);
      const parent = head + rng.int(24, 36);
      if (parent <= 104) {
        out.push({ male: false, age: clampAge(parent - 2, 55, 104), rel: '母' });
        if (rng.chance(0.4)) out.push({ male: true, age: clampAge(parent + 1, 55, 104), rel: '父' });
      }
      break;
    }
    case 'other': {
      if (rng.chance(0.6)) {
        const a = pyramidAge(rng, 50, 85);
        out.push({ male: rng.chance(0.5), age: a, rel: '世帯主' });
        const b = clampAge(a + rng.int(-8, 8), 40, 100);
        const m = rng.chance(0.5);
        out.push({ male: m, age: b, rel: b > a ? (m ? '兄' : '姉') : m ? '弟' : '妹' });
      } else {
        out.push({ male: rng.chance(0.5), age: rng.int(20, 40), rel: '世帯主' });
        out.push({ male: rng.chance(0.5), age: rng.int(20, 40), rel: rng.chance(0.8) ? '同居人' : '縁故者' });
      }
      break;
    }
  }
  return out;
}

const SPOUSE_NATIONALITY = weighted([['フィリピン', 25], ['中国', 25], ['韓国', 15], ['タイ', 8], ['ブラジル', 6], ['ベトナム', 8], ['米国', 8], ['英国', 3], ['ペルー', 2]] as Array<[string, number]>);

/** A foreign spouse of a Japanese (日本人の配偶者等, later often 永住者). */
export function foreignSpouse(u: Unit, male: boolean, birth: number): Person {
  const p = foreigner(u, male, birth, SPOUSE_NATIONALITY.pick(u.rng));
  p.plannedExit = Infinity;
  return p;
}

function fromElsewhere(u: Unit): From {
  const [code, text] = elsewhereAddress(u.rng, u.ctx.muni);
  return { code, text };
}

/** A Japanese household living here when the history window starts, with its earlier rows. */
export function initialJapanese(u: Unit): void {
  const rng = u.rng;
  const S = u.ctx.start;
  const type = J_INITIAL.pick(rng);
  const members = jMembers(rng, type, false);
  const single = members.length === 1;
  const finalAddr = randomAddress(rng, u.ctx.muni, rng.chance(single ? 0.55 : 0.22));
  const h = u.newHousehold(finalAddr);
  const headAge = members[0]!.age;
  // when the household moved in (years before the window), capped at the head's 18th birthday
  const cap = Math.max(0.2, headAge - 18);
  const drawn = rng.exp(type === 'singleYoung' ? 3 : type === 'coupleOld' || type === 'singleOld' ? 25 : 12);
  const years = Math.min(drawn, cap);
  const arrive = S - Math.max(1, Math.floor(years * 365));
  const bornHere = drawn >= cap && rng.chance(0.5);
  const moved = rng.chance(years > 3 ? 0.3 : 0.05);
  h.addr = moved ? randomAddress(rng, u.ctx.muni, rng.chance(0.3)) : finalAddr;
  const fam = u.ctx.names.familyName(rng);
  const from = fromElsewhere(u);
  const abroad = rng.chance(0.03);
  const persons: Person[] = [];
  for (const m of members) {
    const birth = birthFor(rng, m.age, S);
    let p: Person;
    if (m.foreign) p = foreignSpouse(u, m.male, birth);
    else p = japanese(u, m.male, birth, m.rel === '同居人' || m.rel === '縁故者' ? u.ctx.names.familyName(rng) : fam);
    persons.push(p);
    // the day this member became a resident
    let day = arrive;
    const child = m.rel === '子' || m.rel === '孫';
    if (birth >= arrive) day = child ? birth : Math.min(Math.max(arrive, birth + 18 * 365), S - 1);
    else if (bornHere && (child || m.rel === '世帯主') && yearOf(birth) >= 1968) day = birth;
    else if (m.rel === '母' || m.rel === '父') day = arrive + Math.floor(rng.next() * (S - arrive));
    if (p.foreign) day = Math.max(day, LAW_DAY);
    const when = day;
    u.at(when, () => {
      place(u, p, h, m.rel);
      if (p.foreign) {
        giveStatus(u, p, '中長期在留者', rng.chance(0.5) ? '永住者' : '日本人の配偶者等', when);
        if (when === LAW_DAY && arrive < LAW_DAY) register(u, p, '職権記載', when, null, '仮住民票', undefined, arrive);
        else register(u, p, '国外転入等', when, { code: '', text: nat(p.natKey).country }, '30条の46届出');
        planForeigner(u, p);
      } else if (when === birth) register(u, p, '出生', when, null);
      else if (abroad) register(u, p, '国外転入等', when, { code: '', text: ABROAD.pick(rng) });
      else register(u, p, '国内転入', when, from);
    });
  }
  if (moved) {
    const t = arrive + Math.floor(rng.next() * (S - arrive));
    u.at(t, () => {
      const who = h.members.filter((m) => m.present);
      h.addr = finalAddr;
      if (who.length > 0) relocate(u, who, h, finalAddr, t);
    });
  }
  u.runUntil(S);
}

/** A Japanese household moving in on day t0 (国内転入, some 国外転入等, a few 職権記載). */
export function arrivingJapanese(u: Unit, t0: number): void {
  const rng = u.rng;
  const type = J_ARRIVAL.pick(rng);
  const members = jMembers(rng, type, true);
  const h = u.newHousehold(randomAddress(rng, u.ctx.muni, rng.chance(members.length === 1 ? 0.7 : 0.35)));
  const fam = u.ctx.names.familyName(rng);
  const r = rng.next();
  const mode = r < 0.91 ? '国内転入' : r < 0.985 ? '国外転入等' : '職権記載';
  const from: From = mode === '国内転入' ? fromElsewhere(u) : mode === '国外転入等' ? { code: '', text: ABROAD.pick(rng) } : { code: '', text: '' };
  const persons: Person[] = [];
  for (const m of members) {
    const birth = birthFor(rng, m.age, t0);
    const p = m.foreign && t0 >= LAW_DAY ? foreignSpouse(u, m.male, birth) : japanese(u, m.male, birth, m.rel === '同居人' || m.rel === '縁故者' ? u.ctx.names.familyName(rng) : fam);
    place(u, p, h, m.rel);
    persons.push(p);
  }
  const proc = u.procDate(t0, []);
  const rows = persons.map((p) => {
    if (p.foreign) {
      giveStatus(u, p, '中長期在留者', '日本人の配偶者等', t0);
      const row = register(u, p, '国外転入等', t0, { code: '', text: nat(p.natKey).country }, '30条の46届出', proc);
      planForeigner(u, p);
      return row;
    }
    if (mode === '職権記載') return register(u, p, mode, t0, null, rng.chance(0.5) ? '住所設定' : '実態調査', u.atLeast(t0, [p]));
    return register(u, p, mode, t0, from.text ? from : null, '', proc);
  });
  // a registration later found to be false: 異動の取消し（減）
  if (persons.length === 1 && rng.chance(0.02)) scheduleCancel(u, persons, rows, '異動の取消し（減）');
}

interface FMember {
  male: boolean;
  age: number;
  rel: string;
  status: string;
  cat: string;
  dependent: boolean;
}

/** Members of a foreign household made from a template. */
function fMembers(rng: Rng, t: ForeignTemplate, arriving: boolean): FMember[] {
  const out: FMember[] = [];
  const cat = t.kind === 'special' ? '特別永住者' : t.kind === 'asylum' ? (rng.chance(0.7) ? '仮滞在許可者' : '一時庇護許可者') : '中長期在留者';
  const head = (male: boolean, age: number) => out.push({ male, age, rel: '世帯主', status: t.status, cat, dependent: false });
  const dep = (male: boolean, age: number, rel: string) =>
    out.push({ male, age, rel, status: t.kind === 'special' ? '' : dependentStatus(t.status, cat), cat, dependent: true });
  const age0 = rng.int(t.age[0], t.age[1]);
  switch (t.kind) {
    case 'trainee': {
      const male = rng.chance(0.6);
      const n = arriving ? (rng.chance(0.3) ? 1 : rng.int(2, 5)) : rng.int(1, 3);
      head(male, age0);
      for (let i = 1; i < n; i++) out.push({ male, age: rng.int(t.age[0], t.age[1]), rel: '同居人', status: t.status, cat, dependent: false });
      break;
    }
    case 'worker':
    case 'student':
    case 'asylum':
      head(rng.chance(0.55), age0);
      if (t.kind === 'worker' && rng.chance(0.25)) out.push({ male: out[0]!.male, age: rng.int(t.age[0], t.age[1]), rel: '同居人', status: t.status, cat, dependent: false });
      break;
    case 'professional':
    case 'family':
    case 'nikkei':
    case 'permanent':
    case 'special': {
      const male = rng.chance(0.7);
      const old = t.kind === 'special' || t.kind === 'permanent' ? pyramidAge(rng, t.age[0], t.age[1]) : age0;
      head(male, old);
      const single = t.kind === 'professional' ? 0.6 : t.kind === 'special' ? 0.35 : 0.25;
      if (!rng.chance(single)) {
        const sp = clampAge(old + (male ? -2 : 2) + rng.normal() * 3, 18, 100);
        dep(!male, sp, male ? '妻' : '夫');
        const mother = male ? sp : old;
        const n = rng.chance(0.3) ? 0 : rng.int(1, 3);
        for (let i = 0; i < n; i++) {
          const a = mother - rng.int(22, 38);
          if (a >= 0 && a <= 25) dep(rng.chance(0.5), a, '子');
        }
      }
      break;
    }
  }
  if (t.kind === 'permanent') for (const m of out) if (m.dependent) m.status = m.rel === '子' ? '永住者の配偶者等' : rng.chance(0.5) ? '永住者' : '永住者の配偶者等';
  return out;
}

/** A foreign household: present at the window start (initial) or arriving on day t0. */
export function foreignHousehold(u: Unit, initial: boolean, t0: number): void {
  const rng = u.rng;
  const S = u.ctx.start;
  const t = (initial ? INITIAL_TEMPLATES : ARRIVAL_TEMPLATES).pick(rng);
  const members = fMembers(rng, t, !initial);
  const natKey = t.nationality.pick(rng);
  const dorm = t.kind === 'trainee' || (t.kind === 'worker' && members.length > 1);
  const h = u.newHousehold(randomAddress(rng, u.ctx.muni, t.kind !== 'special' && t.kind !== 'permanent' ? rng.chance(0.85) : rng.chance(0.3), dorm));
  // initial households arrived some time ago (special permanent residents long before 2012)
  let arrive = t0;
  if (initial) {
    const back = t.kind === 'special' ? 10 + rng.exp(20) : t.kind === 'permanent' ? 3 + rng.exp(10) : rng.next() * Math.min(t.stay[1], 6) * 0.8;
    // not before the head was 16
    arrive = S - Math.max(1, Math.floor(Math.min(back, Math.max(1, members[0]!.age - 16)) * 365));
  }
  const stay = t.stay[0] + rng.next() * (Math.min(t.stay[1], 40) - t.stay[0]);
  const abroadP = t.kind === 'trainee' ? 0.85 : t.kind === 'student' ? 0.6 : t.kind === 'nikkei' ? 0.35 : 0.5;
  const r = rng.next();
  const mode = t.kind === 'special'
    ? (r < 0.95 ? '国内転入' : '国外転入等')
    : t.kind === 'asylum' ? '国内転入'
    : r < (t.kind === 'nikkei' || t.kind === 'permanent' ? 0.35 : 0.68) ? '30条の46' : r < 0.93 ? '国内転入' : '30条の47';
  const from = fromElsewhere(u);
  let first: Person | undefined;
  let sharedProc: number | undefined;
  const alias = t.kind === 'special' && rng.chance(0.45);
  for (const m of members) {
    const birth = rng.chance(t.kind === 'asylum' || natKey === 'ミャンマー' ? 0.08 : 0.002) && m.age >= 18 ? NaN : birthFor(rng, m.age, initial ? S : t0);
    const p = foreigner(u, m.male, birth, natKey, m.dependent ? first : undefined);
    first ??= p;
    p.dependent = m.dependent;
    if (alias && !m.dependent) p.st[C.通称] = joinName(u.ctx.names.familyName(rng).kanji, u.ctx.names.givenName(rng, m.male, Number.isNaN(birth) ? 1960 : yearOf(birth)).kanji);
    // each dormitory member has a plan of its own; a family follows its head
    const own = m.dependent ? Infinity : t.kind === 'trainee' && rng.chance(0.35) ? 3 * 365 - rng.int(0, 40) : Math.floor((Number.isFinite(stay) ? stay + (m.rel === '同居人' ? rng.next() - 0.5 : 0) : Infinity) * 365);
    let settle = initial ? arrive - (m.rel === '同居人' ? rng.int(0, 200) : 0) : arrive;
    // adults came here as adults; only a child can have been born here
    if (m.rel !== '子') settle = Math.max(settle, Number.isNaN(birth) ? S - 20 * 365 : Math.min(birth + 18 * 365, S - 30));
    p.plannedExit = Number.isFinite(own) ? Math.max(settle + 60, settle + own) : Infinity;
    const here = Math.max(S, LAW_DAY, settle);
    if (p.plannedExit <= here + 30) p.plannedExit = here + rng.int(30, 500);
    p.exitAbroad = rng.chance(abroadP);
    const born = m.rel === '子' && !Number.isNaN(birth) && birth > settle && birth >= LAW_DAY;
    if (m.rel === '子' && !Number.isNaN(birth) && birth > settle) settle = birth;
    const day = Math.max(born ? birth : settle, LAW_DAY);
    u.at(day, () => {
      place(u, p, h, m.rel);
      if (born) {
        giveStatus(u, p, '出生による経過滞在者', '', day);
        register(u, p, '出生', day, null);
        acquireStatusLater(u, p, first!, day);
        return;
      } else if (day === LAW_DAY && settle < LAW_DAY) {
        // lived here before foreigners were registered: recorded from the 仮住民票 on 2012-07-09
        giveStatus(u, p, m.cat, m.status, addPeriod(LAW_DAY, -rng.int(0, 2), -rng.int(0, 11)));
        register(u, p, '職権記載', day, null, '仮住民票', undefined, settle);
      } else {
        giveStatus(u, p, m.cat, m.status, day);
        const proc = day === arrive ? (sharedProc ??= u.procDate(day, [p])) : undefined;
        if (mode === '30条の46') register(u, p, '国外転入等', day, { code: '', text: nat(natKey).country }, '30条の46届出', proc);
        else if (mode === '30条の47') register(u, p, '国外転入等', day, null, '30条の47届出', proc);
        else if (mode === '国外転入等') register(u, p, '国外転入等', day, { code: '', text: nat(natKey).country }, '', proc);
        else register(u, p, '国内転入', day, from, '', proc);
      }
      planForeigner(u, p);
    });
  }
  if (!initial && members.length === 1 && rng.chance(0.02)) {
    const p = first!;
    u.at(t0, () => {
      if (p.rows.length === 1) scheduleCancel(u, [p], [p.rows[0]!], '異動の取消し（減）');
    });
  }
  if (initial) u.runUntil(S);
}
