// History simulation: yearly rates of births, deaths, moves, household changes and rarer register events for a unit.
import { join as joinName } from './names.ts';
import { ABROAD, nat } from './nationality.ts';
import { elsewhereAddress, randomAddress, type Address } from './places.ts';
import { C, type Household, type Person } from './person.ts';
import { ageAt, birthFor, familyOf, foreigner, japanese, place } from './people.ts';
import { foreignSpouse } from './population.ts';
import { afterLeave, depart, register, relocate, remake, remove, scheduleCancel } from './records.ts';
import { LAW_DAY, weekday, type Unit } from './sim.ts';
import { acquireStatusLater, addAlias, dropAlias, giveStatus, loseNationality, naturalise, newCard, planForeigner } from './foreign.ts';

/** Run a unit from day `from` to the end of the simulated period, one year of hazards at a time. */
export function simulate(u: Unit, from: number): void {
  const end = u.ctx.end;
  u.onReturn = (p) => {
    if (p.foreign && Number.isFinite(p.plannedExit)) {
      p.plannedExit = p.lastProc + u.rng.int(120, 900);
      planForeigner(u, p);
    }
  };
  for (let y = from; y <= end; ) {
    const yEnd = Math.min(y + 365, end + 1);
    yearOfHazards(u, y, yEnd);
    u.runUntil(yEnd);
    if (!u.pending() && !u.persons.some((p) => p.present)) break;
    y = yEnd;
  }
}

/** Yearly probability of dying at a given age (roughly Japan's life table). */
export function mortality(age: number, male: boolean): number {
  if (age === 0) return 0.002;
  const q = male ? 0.0003 + 0.0000176 * Math.exp(0.1 * age) : 0.0002 + 0.0000045 * Math.exp(0.11 * age);
  return Math.min(0.6, q);
}

/** Yearly probability of moving out alone (young adults move most). */
function moveOut(age: number): number {
  if (age < 15) return 0;
  if (age < 18) return 0.01;
  if (age < 20) return 0.12;
  if (age < 25) return 0.1;
  if (age < 30) return 0.085;
  if (age < 35) return 0.055;
  if (age < 45) return 0.03;
  if (age < 65) return 0.014;
  if (age < 80) return 0.007;
  return 0.014;
}

/** Married fertility by age of the mother. */
function fertility(age: number): number {
  if (age < 18 || age > 44) return 0;
  if (age < 25) return 0.15;
  if (age < 30) return 0.15;
  if (age < 35) return 0.12;
  if (age < 40) return 0.06;
  return 0.012;
}

function sameAddress(a: Address, b: Address): boolean {
  return a.area === b.area && a.text === b.text && a.kata === b.kata;
}

function yearOfHazards(u: Unit, y0: number, y1: number): void {
  const rng = u.rng;
  const frac = (y1 - y0) / 365;
  const span = y1 - y0;
  const households: Household[] = [];
  for (const p of u.persons) if (p.present && p.hh && p.hh.members[0] === p) households.push(p.hh);

  for (const h of households) {
    const ms = h.members; // members are the household's present persons
    if (ms.length === 0) continue;
    const head = h.head() ?? ms[0]!;
    const ha = ageAt(head, y0);
    const allForeign = ms.every((m) => m.foreign);
    const settled = ms.every((m) => !m.foreign || !Number.isFinite(m.plannedExit));
    const f = allForeign ? 2 : 1;
    const r = rng.next() / frac;
    let acc = (ha < 30 ? 0.085 : ha < 45 ? 0.055 : ha < 65 ? 0.028 : 0.014) * f;
    if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => moveHousehold(u, h, d)); continue; }
    if (ms.length > 1 && settled) {
      acc += (ha < 35 ? 0.055 : ha < 50 ? 0.03 : ha < 65 ? 0.012 : 0.006) * (allForeign ? 1.5 : 1);
      if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => leaveTogether(u, h, d, '国内転出')); continue; }
      acc += 0.0015;
      if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => leaveTogether(u, h, d, '国外転出')); continue; }
    }
    acc += 0.004;
    if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => minorFix(u, h, d)); continue; }
    const other = households.find((o) => o !== h && sameAddress(o.addr, h.addr));
    if (other) {
      acc += 0.15;
      if (r < acc && ms.length <= other.members.length) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => merge(u, h, other, d)); continue; }
      acc += 0.06;
      if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => changeHousehold(u, h, other, d)); continue; }
    }
  }

  for (const p of u.persons) {
    if (!p.present) continue;
    const a = ageAt(p, y0);
    const h = p.hh!;
    const size = h.members.length;
    const rel = p.rel();
    const r = rng.next() / frac;
    let acc = mortality(a, p.male);
    if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => die(u, p, d)); continue; }
    const alone = size === 1 || (rel !== '世帯主' && rel !== '妻' && rel !== '夫');
    if (alone) {
      acc += moveOut(a) * (p.foreign ? (Number.isFinite(p.plannedExit) ? 0.15 : 1.3) : 1);
      if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => leaveAlone(u, p, d, '国内転出')); continue; }
      acc += !p.foreign && a >= 18 && a < 40 ? 0.003 : 0;
      if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => leaveAlone(u, p, d, '国外転出')); continue; }
    }
    if ((rel === '子' || rel === '孫') && a >= 20) {
      acc += a < 40 ? 0.01 : 0.003;
      if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => moveOutInTown(u, p, d)); continue; }
      acc += 0.01;
      if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => split(u, [p], d)); continue; }
    }
    if (rel === '父' || rel === '母' || rel === '祖父' || rel === '祖母') {
      acc += 0.04;
      if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => split(u, h.members.filter((m) => m.rel() === '父' || m.rel() === '母'), d)); continue; }
    }
    if (!p.male && (rel === '妻' || rel === '子の妻')) {
      acc += fertility(a);
      if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => birth(u, p, d)); continue; }
    }
    if (size === 1 && a >= 24 && a <= 42) {
      acc += 0.05;
      if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => marryIn(u, p, d, '妻')); continue; }
    }
    if (rel === '子' && p.male && a >= 25 && a <= 40) {
      acc += 0.01;
      if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => marryIn(u, p, d, '子の妻')); continue; }
    }
    if (a >= 18 && a < 75) {
      acc += size === 1 ? 0.0015 : 0.0003;
      if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => struckOff(u, p, d)); continue; }
    }
    acc += 0.0003;
    if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => p.present && remake(u, p, d, '改製')); continue; }
    acc += 0.00004;
    if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => p.present && remake(u, p, d, '再製')); continue; }
    if (!p.foreign) {
      acc += a >= 20 && a < 65 ? 0.00004 : 0;
      if (r < acc) { const d = weekday(y0 + Math.floor(rng.next() * span)); u.at(d, () => p.present && !p.foreign && d >= LAW_DAY && loseNationality(u, p, d)); continue; }
      acc += a >= 20 && a < 70 ? 0.0015 : 0;
      if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => renamed(u, p, d)); continue; }
      continue;
    }
    const cat = p.st[C.区分];
    acc += a < 15 ? 0 : cat === '特別永住者' ? 0.004 : p.status === '永住者' ? 0.003 : p.status === '日本人の配偶者等' ? 0.003 : 0.0003;
    if (r < acc) { const d = weekday(y0 + Math.floor(rng.next() * span)); u.at(d, () => p.present && p.foreign && naturalise(u, p, d)); continue; }
    const kanji = /^[^A-Z]/.test(p.st[C.氏名] as string);
    if (p.st[C.通称]) {
      acc += 0.06;
      if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => p.present && p.st[C.通称] && dropAlias(u, p, d)); continue; }
    } else if (kanji && a >= 18 && !Number.isFinite(p.plannedExit)) {
      acc += 0.01;
      if (r < acc) {
        const d = y0 + Math.floor(rng.next() * span);
        const alias = joinName(u.ctx.names.familyName(rng).kanji, u.ctx.names.givenName(rng, p.male, 1960 + rng.int(0, 40)).kanji);
        u.at(d, () => p.present && !p.st[C.通称] && p.foreign && addAlias(u, p, d, alias));
        continue;
      }
    }
    if (cat === '特別永住者' || p.status === '永住者') {
      acc += 1 / 7;
      if (r < acc) { const d = y0 + Math.floor(rng.next() * span); u.at(d, () => p.present && p.foreign && newCard(u, p, d)); continue; }
    }
  }
}

function present(h: Household): Person[] {
  return h.members.filter((m) => m.present);
}

function die(u: Unit, p: Person, d: number): void {
  if (!p.present) return;
  const h = p.hh;
  const notif = weekday(d + u.rng.int(0, 3));
  const proc = u.atLeast(u.rng.chance(0.02) ? notif + u.rng.int(10, 60) : weekday(notif + u.rng.int(0, 4)), [p]);
  remove(u, p, '死亡', d, proc, '', Math.min(notif, proc));
  afterLeave(u, h, d, proc);
}

function dest(u: Unit, reason: '国内転出' | '国外転出'): { code: string; text: string } {
  if (reason === '国外転出') return { code: '', text: ABROAD.pick(u.rng) };
  const [code, text] = elsewhereAddress(u.rng, u.ctx.muni);
  return { code, text };
}

function leaveAlone(u: Unit, p: Person, d: number, reason: '国内転出' | '国外転出'): void {
  if (!p.present) return;
  const h = p.hh;
  const rows = depart(u, [p], reason, d, dest(u, reason));
  afterLeave(u, h, rows[0]!.a, rows[0]!.p);
}

function leaveTogether(u: Unit, h: Household, d: number, reason: '国内転出' | '国外転出'): void {
  const who = present(h);
  if (who.length === 0) return;
  depart(u, who, reason, d, dest(u, reason));
}

function moveHousehold(u: Unit, h: Household, d: number): void {
  const who = present(h);
  if (who.length === 0) return;
  const old = h.addr;
  const addr = randomAddress(u.rng, u.ctx.muni, u.rng.chance(who.length === 1 ? 0.6 : 0.3));
  h.addr = addr;
  const rows = relocate(u, who, h, addr, d);
  if (u.rng.chance(0.008)) scheduleCancel(u, who, rows, '異動の取消し（修正）', () => { h.addr = old; });
}

function moveOutInTown(u: Unit, p: Person, d: number): void {
  if (!p.present) return;
  const old = p.hh;
  const h = u.newHousehold(randomAddress(u.rng, u.ctx.muni, u.rng.chance(0.6)));
  u.join(p, h, '世帯主');
  relocate(u, [p], h, h.addr, d);
  afterLeave(u, old, d, p.lastProc);
}

/** 世帯分離 at the same address: the persons form a household of their own. */
function split(u: Unit, who: Person[], d: number): void {
  const ps = who.filter((p) => p.present);
  if (ps.length === 0) return;
  const old = ps[0]!.hh!;
  const h = u.newHousehold(old.addr);
  const proc = u.procDate(d, ps);
  ps.sort((a, b) => Number(b.male) - Number(a.male));
  ps.forEach((p, i) => {
    u.join(p, h, i === 0 ? '世帯主' : p.male ? '夫' : '妻');
    u.emit(p, '世帯分離', d, proc, { notif: true });
  });
}

function relTo(head: Person, p: Person): string {
  const diff = (p.birth - head.birth) / 365;
  if (diff < -18) return p.male ? '父' : '母';
  if (diff > 18) return '子';
  return '同居人';
}

/** 世帯合併: the members of `from` join household `into` at the same address. */
function merge(u: Unit, from: Household, into: Household, d: number): void {
  const ps = present(from);
  const head = into.head() ?? present(into)[0];
  if (ps.length === 0 || !head || !sameAddress(from.addr, into.addr)) return;
  const proc = u.procDate(d, ps);
  for (const p of ps) {
    u.join(p, into, relTo(head, p));
    u.emit(p, '世帯合併', d, proc, { notif: true });
  }
}

/** 世帯変更: one member moves to another household at the same address. */
function changeHousehold(u: Unit, from: Household, to: Household, d: number): void {
  const p = present(from).find((m) => m.rel() !== '世帯主');
  const head = to.head() ?? present(to)[0];
  if (!p || !head || !sameAddress(from.addr, to.addr)) return;
  u.join(p, to, relTo(head, p) === '子' ? '孫' : relTo(head, p));
  u.emit(p, '世帯変更', d, u.procDate(d, [p]), { notif: true });
}

function minorFix(u: Unit, h: Household, d: number): void {
  const who = present(h);
  if (who.length === 0) return;
  const kata = h.addr.kata;
  const room = kata.match(/\d+$/)?.[0];
  const next = room ? `${u.rng.pick(['メゾン', 'ハイツ', 'コーポ', 'レジデンス'])}${u.ctx.muni.name.replace('市', '')}${room}` : '';
  if (!next || next === kata) return;
  h.addr = { ...h.addr, kata: next };
  const proc = u.procDate(d, who);
  for (const p of who) {
    p.st[C.方書] = next;
    u.emit(p, '軽微な修正', d, proc, { detail: '方書変更', notif: true });
  }
}

function birth(u: Unit, mother: Person, d: number): void {
  if (!mother.present || !mother.hh) return;
  const h = mother.hh;
  const rel = mother.rel();
  const father = h.members.find((m) => m.present && (rel === '子の妻' ? m.rel() === '子' && m.male : m.rel() === (rel === '妻' ? '世帯主' : '夫')));
  const male = u.rng.chance(0.512);
  const babyRel = rel === '子の妻' || rel === '子' ? '孫' : '子';
  let baby: Person;
  if (!mother.foreign || (father && !father.foreign)) {
    const jp = father && !father.foreign ? father : mother.foreign ? father! : mother;
    baby = japanese(u, male, d, familyOf(jp));
    place(u, baby, h, babyRel);
    register(u, baby, '出生', d, null);
  } else {
    const parent = father ?? mother;
    baby = foreigner(u, male, d, parent.natKey, parent);
    baby.dependent = true;
    place(u, baby, h, babyRel);
    giveStatus(u, baby, '出生による経過滞在者', '', d);
    register(u, baby, '出生', d, null);
    acquireStatusLater(u, baby, parent, d);
  }
}

/** A spouse moves in (国内転入; some from abroad, some foreign). */
function marryIn(u: Unit, p: Person, d: number, rel: '妻' | '子の妻'): void {
  if (!p.present || !p.hh) return;
  const rng = u.rng;
  const male = rel === '妻' ? !p.male : false;
  const b = birthFor(rng, Math.max(18, ageAt(p, d) + rng.int(-4, 3)), d);
  const h = p.hh;
  let s: Person;
  if (!p.foreign && d >= LAW_DAY && rng.chance(0.04)) {
    s = foreignSpouse(u, male, b);
    place(u, s, h, rel === '妻' ? (male ? '夫' : '妻') : rel);
    giveStatus(u, s, '中長期在留者', '日本人の配偶者等', d);
    register(u, s, '国外転入等', d, { code: '', text: nat(s.natKey).country }, '30条の46届出');
    planForeigner(u, s);
    return;
  }
  if (p.foreign) {
    s = foreigner(u, male, b, p.natKey, p);
    s.dependent = true;
    s.plannedExit = Infinity;
    place(u, s, h, rel === '妻' ? (male ? '夫' : '妻') : rel);
    giveStatus(u, s, p.st[C.区分] === '特別永住者' ? '特別永住者' : '中長期在留者', p.st[C.区分] === '特別永住者' ? '' : '家族滞在', d);
  } else {
    // a husband moving in keeps his own name (most couples take the husband's name)
    s = japanese(u, male, b, male ? u.ctx.names.familyName(rng) : familyOf(p));
    place(u, s, h, rel === '妻' ? (male ? '夫' : '妻') : rel);
  }
  const [code, text] = elsewhereAddress(rng, u.ctx.muni);
  register(u, s, '国内転入', d, { code, text });
  if (male && !p.foreign && rng.chance(0.9)) {
    // the wife takes the husband's name: the change comes from the 戸籍 (職権修正)
    const t = weekday(d + rng.int(0, 20));
    u.at(t, () => {
      if (!p.present || !s.present) return;
      const fam = familyOf(s);
      p.st[C.氏名] = joinName(fam.kanji, (p.st[C.氏名] as string).split('\u3000')[1]!);
      p.st[C.氏名カナ] = joinName(fam.kana, (p.st[C.氏名カナ] as string).split('\u3000')[1]!);
      u.emit(p, '職権修正', t, u.atLeast(t, [p]), { detail: '婚姻' });
    });
  }
}

/** 職権消除 after a 実態調査 (not living here); some are found again and recorded by 職権記載. */
function struckOff(u: Unit, p: Person, d: number): void {
  if (!p.present) return;
  const t = weekday(d);
  const h = p.hh;
  remove(u, p, '職権消除', t, u.atLeast(t, [p]), '実態調査');
  afterLeave(u, h, t, t);
  if (!u.rng.chance(0.3)) return;
  const back = weekday(t + u.rng.int(60, 1500));
  u.at(back, () => {
    if (p.present) return;
    const nh = u.newHousehold(randomAddress(u.rng, u.ctx.muni, true));
    place(u, p, nh, '世帯主');
    p.st[C.転入前住所コード] = '';
    register(u, p, '職権記載', back, null, '実態調査', u.atLeast(back, [p]));
  });
}

/** A change of family name entered from the 戸籍 (職権修正). */
function renamed(u: Unit, p: Person, d: number): void {
  if (!p.present || p.foreign) return;
  const fam = u.ctx.names.familyName(u.rng);
  const t = weekday(d);
  p.st[C.氏名] = joinName(fam.kanji, (p.st[C.氏名] as string).split('\u3000')[1]!);
  p.st[C.氏名カナ] = joinName(fam.kana, (p.st[C.氏名カナ] as string).split('\u3000')[1]!);
  u.emit(p, '職権修正', t, u.atLeast(t, [p]), { detail: '戸籍届出' });
}

