// The simulation core for one "unit" (a household and everyone who ever joins it): event queue, dates, history rows.
import { Rng } from './rng.ts';
import { fmt } from './dates.ts';
import type { NameMaker } from './names.ts';
import type { Address, Municipality } from './places.ts';
import { C, Household, Person, STATE_WIDTH, type Row } from './person.ts';

/** Everything shared by all units of one run. */
export interface Ctx {
  rng: Rng;
  muni: Municipality;
  names: NameMaker;
  /** first day of the simulated history window */
  start: number;
  /** last day simulated (processedThrough + deltaDays) */
  end: number;
  nextPersonId(): string;
  nextHouseholdId(): string;
}

/** 2012-07-09: foreigners became 住民 (改正住基法 施行). No foreigner row is dated earlier. */
export const LAW_DAY = Date.UTC(2012, 6, 9) / 86_400_000;

interface Ev {
  t: number;
  seq: number;
  run: () => void;
}

export interface RowOpts {
  detail?: string;
  /** 届出日: true = same as 処理日, a day number, or omitted for 職権 rows */
  notif?: boolean | number;
  cancelT?: number;
  fixT?: number;
  kubun?: string;
}

export class Unit {
  readonly persons: Person[] = [];
  private q: Ev[] = [];
  private seq = 0;
  readonly rng: Rng;
  /** called when a 取消し brings a person back into the register */
  onReturn?: (p: Person) => void;

  constructor(readonly ctx: Ctx) {
    this.rng = ctx.rng;
  }

  /** Schedule `run` on day t (dropped when past the simulated end). */
  at(t: number, run: () => void): void {
    if (t > this.ctx.end) return;
    this.q.push({ t, seq: this.seq++, run });
  }

  /** Run queued events with t < limit in date order. */
  runUntil(limit: number): void {
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.q.length; i++) {
        const e = this.q[i]!;
        if (e.t >= limit) continue;
        if (best < 0 || e.t < this.q[best]!.t || (e.t === this.q[best]!.t && e.seq < this.q[best]!.seq)) best = i;
      }
      if (best < 0) return;
      const e = this.q[best]!;
      this.q[best] = this.q[this.q.length - 1]!;
      this.q.pop();
      e.run();
    }
  }

  pending(): boolean {
    return this.q.length > 0;
  }

  newPerson(male: boolean, birth: number): Person {
    const p = new Person(this.ctx.nextPersonId(), male, birth);
    p.st[C.性別] = male ? '男' : '女';
    p.st[C.生年月日] = Number.isNaN(birth) ? '' : fmt(birth);
    p.st[C.生年月日不詳] = Number.isNaN(birth) ? '1' : '0';
    p.st[C.住民状態] = '現存';
    p.st[C.支援措置] = '0';
    this.persons.push(p);
    return p;
  }

  newHousehold(addr: Address): Household {
    return new Household(this.ctx.nextHouseholdId(), addr);
  }

  /** Put p into household h with 続柄 rel (state only; no row). */
  join(p: Person, h: Household, rel: string): void {
    if (p.hh && p.hh !== h) leave(p);
    p.hh = h;
    if (!h.members.includes(p)) h.members.push(p);
    p.st[C.世帯番号] = h.id;
    p.st[C.続柄] = rel;
  }

  /** A 処理日 for a change on day a filed at the counter: usually within two weeks, a few much later. */
  procDate(a: number, who: readonly Person[], late = true): number {
    const r = this.rng.next();
    let d: number;
    if (r < 0.3) d = 0;
    else if (r < 0.7) d = this.rng.int(1, 4);
    else if (r < 0.92) d = this.rng.int(5, 10);
    else if (r < 0.99 || !late) d = this.rng.int(11, 14);
    else d = this.rng.int(20, 150);
    return this.atLeast(weekday(a + d), who);
  }

  /** The day itself (職権 changes are entered on their 異動日), but never before earlier rows. */
  atLeast(p: number, who: readonly Person[]): number {
    for (const w of who) if (w.lastProc > p) p = w.lastProc;
    return p;
  }

  /** Append a history row holding p's current state. */
  emit(p: Person, reason: string, a: number, proc: number, o: RowOpts = {}): Row {
    if (proc < p.lastProc) throw new Error(`internal: 処理日 goes back for ${p.id}`);
    let notif = '';
    if (o.notif === true) notif = fmt(proc);
    else if (typeof o.notif === 'number') notif = fmt(o.notif);
    const row: Row = {
      reason, detail: o.detail ?? '', a, p: proc, notif,
      cancelT: o.cancelT ?? 0, fixT: o.fixT ?? 0, kubun: o.kubun ?? '', st: p.st.slice(),
    };
    if (row.st.length !== STATE_WIDTH) throw new Error('internal: state width');
    p.rows.push(row);
    p.lastProc = proc;
    return row;
  }
}

/** Remove p from its household's member list. */
export function leave(p: Person): void {
  const h = p.hh;
  if (!h) return;
  const i = h.members.indexOf(p);
  if (i >= 0) h.members.splice(i, 1);
}

/** Move a Saturday/Sunday to the next Monday (offices are closed). */
export function weekday(d: number): number {
  const dow = (((d + 4) % 7) + 7) % 7; // 0 = Sunday
  return dow === 6 ? d + 2 : dow === 0 ? d + 1 : d;
}
