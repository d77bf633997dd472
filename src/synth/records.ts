// Register changes shared by all events: 記載, 転出 (also filed in advance), 消除, 転居, 改製, 誤記修正 and 取消し rows.
import { fmt } from './dates.ts';
import type { Address } from './places.ts';
import { C, clearRemoval, type Household, type Person, type Row } from './person.ts';
import { LAW_DAY, leave, weekday, type Unit } from './sim.ts';

/** 住居地届出区分 for a foreigner's move in or 転居 (empty for 日本人 and for non-中長期在留者). */
export function kubun(p: Person, reason: string, detail = ''): string {
  if (!p.foreign) return '';
  const cat = p.st[C.区分];
  if (cat === '特別永住者') return reason === '国外転入等' ? '特例法10条1項' : reason === '国内転入' || reason === '転居' ? '特例法10条2項' : '';
  if (cat !== '中長期在留者') return '';
  if (reason === '国外転入等') return detail === '30条の47届出' ? '19条の8' : '19条の7';
  if (reason === '国内転入' || reason === '転居') return '19条の9';
  return '';
}

export interface From {
  code: string;
  text: string;
}

/**
 * A 記載 row: the person becomes a resident on day a at the household's address.
 * `from` is the previous address (domestic) or the country (code '').
 */
export function register(u: Unit, p: Person, reason: string, a: number, from: From | null, detail = '', proc?: number, settled?: number): Row {
  const st = p.st;
  clearRemoval(st);
  st[C.住民となった年月日] = fmt(a);
  st[C.住定日] = fmt(settled ?? a);
  st[C.転入前住所コード] = from ? from.code : '';
  st[C.転入前住所] = from ? from.text : '';
  p.present = true;
  if (p.foreign && a < LAW_DAY) throw new Error(`internal: foreigner ${p.id} recorded before 2012-07-09`);
  const shokken = reason.startsWith('職権') || reason === '改製' || reason === '再製';
  const pr = proc ?? (shokken ? u.atLeast(weekday(a), [p]) : u.procDate(a, [p]));
  const row = u.emit(p, reason, a, pr, { detail, notif: !shokken, kubun: kubun(p, reason, detail) });
  maybeMistake(u, p, row);
  return row;
}

/** About 1% of new entries carry a typo (生年月日 or 氏名カナ) that a 誤記修正 fixes weeks later. */
function maybeMistake(u: Unit, p: Person, row: Row): void {
  if (p.rows.length !== 1 || !u.rng.chance(0.011)) return;
  const st = row.st;
  let field: number, wrong: string;
  if (!Number.isNaN(p.birth) && u.rng.chance(0.6)) {
    field = C.生年月日;
    // a wrong year or day, never after the day of the entry (a 出生 gets a kana typo instead)
    if (row.reason === '出生') return;
    const shift = u.rng.chance(0.5) ? u.rng.int(1, 10) * 365 : u.rng.int(1, 40);
    wrong = fmt(u.rng.chance(0.5) && p.birth + shift < row.a ? p.birth + shift : p.birth - shift);
  } else {
    field = C.氏名カナ;
    const k = st[C.氏名カナ] as string;
    wrong = k.length > 3 ? k.slice(0, -1) : k + 'ウ';
  }
  const right = st[field] as string;
  if (wrong === right) return;
  st[field] = wrong;
  p.st[field] = wrong;
  const no = p.rows.length;
  const t = row.p + u.rng.int(2, 120);
  u.at(t, () => {
    if (!p.present || p.st[field] !== wrong) return;
    p.st[field] = right;
    u.emit(p, '誤記修正', t, u.atLeast(t, [p]), { fixT: no });
  });
}

/**
 * 国内転出 / 国外転出 of the persons in `who` (all present). A 転出 is often filed before the move:
 * then 異動日 (the planned day) is after 処理日. Returns the rows, for a possible 取消し.
 */
export function depart(u: Unit, who: Person[], reason: '国内転出' | '国外転出', t: number, dest: From): Row[] {
  const rng = u.rng;
  let a = t, proc: number;
  const filed = weekday(t);
  if (rng.chance(0.55) && filed === t) {
    // filed in advance: the move is 1–14 days later
    proc = u.atLeast(filed, who);
    a = proc + rng.int(1, 14);
  } else {
    proc = u.procDate(a, who);
  }
  const rows: Row[] = [];
  for (const p of who) {
    const st = p.st;
    st[C.住民状態] = '消除';
    st[C.転出予定年月日] = fmt(a);
    st[C.転出先住所コード] = dest.code;
    st[C.転出先住所] = dest.text;
    st[C.消除年月日] = fmt(a);
    st[C.消除事由] = reason;
    rows.push(u.emit(p, reason, a, proc, { notif: true }));
    p.present = false;
    leave(p);
  }
  if (rng.chance(0.012)) scheduleCancel(u, who, rows, '異動の取消し（増）');
  return rows;
}

/** 死亡, 職権消除 …: p leaves the register on day a. */
export function remove(u: Unit, p: Person, reason: string, a: number, proc: number, detail = '', notif?: number): Row {
  p.st[C.住民状態] = '消除';
  p.st[C.消除年月日] = fmt(a);
  p.st[C.消除事由] = reason;
  const row = u.emit(p, reason, a, proc, { detail, notif });
  p.present = false;
  leave(p);
  return row;
}

/** 転居 of the given members to a new address (and maybe a new household). */
export function relocate(u: Unit, who: Person[], h: Household, addr: Address, t: number, reason = '転居'): Row[] {
  const proc = u.procDate(t, who);
  const m = u.ctx.muni;
  const area = m.areas[addr.area]!;
  const rows: Row[] = [];
  for (const p of who) {
    const st = p.st;
    st[C.住所コード] = area.code;
    st[C.住所] = addr.text;
    st[C.方書] = addr.kata;
    st[C.郵便番号] = area.zip;
    st[C.地区コード] = area.district;
    st[C.住定日] = fmt(t);
    if (p.hh !== h) u.join(p, h, p.rel());
    rows.push(u.emit(p, reason, t, proc, { notif: true, kubun: kubun(p, '転居') }));
  }
  return rows;
}

/**
 * Schedule an 異動の取消し of `rows` (one per person in `who`): （増） undoes a 消除, （減） a 記載,
 * （修正） a change. The state goes back to the one before the row ((減): 消除).
 */
export function scheduleCancel(u: Unit, who: Person[], rows: Row[], reason: string, onUndo?: () => void): void {
  const rng = u.rng;
  const r0 = rows[0]!;
  let t: number;
  if (reason === '異動の取消し（増）' && r0.a > r0.p && rng.chance(0.6)) t = rng.int(r0.p + 1, r0.a); // withdrawn before the day
  else t = Math.max(r0.a, r0.p) + (rng.chance(0.7) ? rng.int(3, 60) : rng.int(61, 500));
  t = weekday(t);
  u.at(t, () => {
    const ok = who.filter((p, i) => p.rows[p.rows.length - 1] === rows[i]);
    if (ok.length === 0) return;
    const proc = u.atLeast(t, ok);
    for (const p of ok) {
      const i = p.rows.length - 1;
      const target = i + 1; // 履歴番号 of the cancelled row
      if (reason === '異動の取消し（減）') {
        p.st[C.住民状態] = '消除';
        p.st[C.消除年月日] = fmt(t);
        p.st[C.消除事由] = reason;
        p.present = false;
        leave(p);
      } else {
        const before = p.rows[i - 1]!.st;
        for (let k = 0; k < before.length; k++) p.st[k] = before[k]!;
        if (reason === '異動の取消し（増）') {
          p.present = true;
          if (p.hh && !p.hh.members.includes(p)) p.hh.members.push(p);
          u.onReturn?.(p);
        }
      }
      u.emit(p, reason, t, proc, { cancelT: target });
    }
    onUndo?.();
  });
}

/** 改製 / 再製: a 消除 row and a 記載 row on the same day that together change nothing. */
export function remake(u: Unit, p: Person, t: number, reason: '改製' | '再製'): void {
  const proc = u.atLeast(weekday(t), [p]);
  const a = proc;
  const keep = p.st.slice();
  p.st[C.住民状態] = '消除';
  p.st[C.消除年月日] = fmt(a);
  p.st[C.消除事由] = reason;
  u.emit(p, reason, a, proc);
  for (let k = 0; k < keep.length; k++) p.st[k] = keep[k]!;
  u.emit(p, reason, a, proc);
}

/** After someone left household h on day t (row entered on proc): usually a 世帯主変更 follows within two weeks. */
export function afterLeave(u: Unit, h: Household | null, t: number, proc: number): void {
  if (!h || h.members.length === 0 || h.head()) return;
  if (!u.rng.chance(0.85)) return; // some households never file one (a household without 世帯主)
  const d = t + u.rng.int(0, 14);
  u.at(d, () => {
    if (h.members.length === 0 || h.head()) return;
    headChange(u, h, d, proc);
  });
}

const SIBLING = (older: boolean, male: boolean) => (older ? (male ? '兄' : '姉') : male ? '弟' : '妹');

/** 世帯主変更: the spouse, else the oldest adult, becomes 世帯主; others' 続柄 follow. */
export function headChange(u: Unit, h: Household, t: number, minProc: number): void {
  const ms = h.members.filter((m) => m.present);
  if (ms.length === 0) return;
  const byAge = ms.slice().sort((x, y) => (Number.isNaN(x.birth) ? 0 : x.birth) - (Number.isNaN(y.birth) ? 0 : y.birth));
  const spouse = ms.find((m) => m.rel() === '妻' || m.rel() === '夫');
  const nh = spouse ?? byAge[0]!;
  const was = nh.rel();
  const proc = Math.max(u.procDate(t, ms), minProc);
  for (const m of ms) {
    const old = m.rel();
    let rel = old;
    if (m === nh) rel = '世帯主';
    else if (was === '子') {
      if (old === '子') rel = SIBLING(m.birth < nh.birth, m.male);
      else if (old === '妻' || old === '夫') rel = m.male ? '父' : '母';
      else if (old === '孫') rel = '子';
      else if (old === '子の妻') rel = '妻';
      else if (old === '子の夫') rel = '夫';
      else if (old === '父' || old === '母') rel = m.male ? '祖父' : '祖母';
    } else if (was !== '妻' && was !== '夫' && old !== '同居人') {
      rel = old === '子' || old === '孫' ? '縁故者' : old;
    }
    if (rel === old && m !== nh) continue;
    m.st[C.続柄] = rel;
    u.emit(m, '世帯主変更', t, Math.max(proc, m.lastProc), { notif: true });
  }
}
