// One batch of simulated units, formatted and encoded for every package: the unit of work for worker threads.
import { Rng } from './rng.ts';
import { addPeriod, yearOf } from './dates.ts';
import { NameMaker } from './names.ts';
import { buildMunicipality, type Municipality } from './places.ts';
import { C, type Person } from './person.ts';
import { Unit, type Ctx } from './sim.ts';
import { simulate } from './events.ts';
import { arrivingJapanese, foreignHousehold, initialJapanese } from './population.ts';
import { residentRow, residentState, withPending } from './state.ts';
import { historyLine, stateCsv, type Encoding } from './csv.ts';
import { encodeCp932Into } from './cp932.ts';

/** Everything a batch needs; plain data so it can be sent to a worker. */
export interface BatchConfig {
  seed: string;
  residents: number;
  designated: boolean;
  years: number;
  /** processedThrough and the number of nightly packages after it */
  processedThrough: number;
  deltaDays: number;
  encoding: Encoding;
}

/** The encoded lines of one package's two files for a batch, with per-unit boundaries. */
export interface PkgChunk {
  residents: Uint8Array;
  history: Uint8Array;
  /** cumulative byte ends, rows and 現存 counts after each unit (length = units) */
  residentsEnd: Float64Array;
  historyEnd: Float64Array;
  residentsRows: Int32Array;
  historyRows: Int32Array;
  current: Int32Array;
}

export interface BatchResult {
  index: number;
  units: number;
  /** cumulative residents on the last simulated day after each unit */
  atEnd: Int32Array;
  pkgs: PkgChunk[];
}

/** Units per batch, and the 宛名番号 / 世帯番号 block each batch numbers from. */
export const UNITS_PER_BATCH = 400;
const ID_BLOCK = 4000;

/** Days the run simulates: the window start, processedThrough, and the last day (processedThrough + deltaDays). */
export function timeline(cfg: BatchConfig): { start: number; P: number; H: number } {
  const H = cfg.processedThrough + cfg.deltaDays;
  return { start: addPeriod(H, -cfg.years, 0) + 1, P: cfg.processedThrough, H };
}

const munis = new Map<string, Municipality>();

/** The municipality of a run (the same in every thread: it depends on the seed only). */
export function municipality(cfg: BatchConfig): Municipality {
  const key = `${cfg.seed}|${cfg.residents}|${cfg.designated}`;
  let m = munis.get(key);
  if (!m) {
    m = buildMunicipality(new Rng(`juki-synth:${cfg.seed}:town`), cfg.residents, cfg.designated);
    munis.set(key, m);
  }
  return m;
}

/**
 * Simulate batch `index`: UNITS_PER_BATCH units from their own random stream, so a batch gives the
 * same bytes in whichever thread and order it runs.
 */
export function runBatch(cfg: BatchConfig, index: number): BatchResult {
  const { start, P, H } = timeline(cfg);
  const rng = new Rng(`juki-synth:${cfg.seed}:${index}`);
  const muni = municipality(cfg);
  let personSeq = 0, householdSeq = 0;
  const block = index * ID_BLOCK;
  const ctx: Ctx = {
    rng, muni, names: names(muni.okinawa), start, end: H,
    nextPersonId: () => {
      if (++personSeq >= ID_BLOCK) throw new Error('internal: 宛名番号 block overflow');
      return String(1_000_000_000 + block + personSeq);
    },
    nextHouseholdId: () => {
      if (++householdSeq >= ID_BLOCK) throw new Error('internal: 世帯番号 block overflow');
      return String(5_000_000_000 + block + householdSeq);
    },
  };
  const cutoffs: number[] = [];
  for (let d = P; d <= H; d++) cutoffs.push(d);
  const out = cutoffs.map(() => new ChunkBuilder(cfg.encoding, UNITS_PER_BATCH));
  // Unit mix: households here at the start, and households arriving during the window.
  const mix = [1, 0.046 * cfg.years, 0.014, 0.0068 * cfg.years];
  const mixTotal = mix.reduce((a, b) => a + b, 0);
  const atEnd = new Int32Array(UNITS_PER_BATCH);
  let total = 0;
  for (let k = 0; k < UNITS_PER_BATCH; k++) {
    const u = new Unit(ctx);
    let x = rng.next() * mixTotal, kind = 0;
    while (kind < 3 && x >= mix[kind]!) x -= mix[kind++]!;
    let t0 = start;
    if (kind === 0) initialJapanese(u);
    else if (kind === 2) foreignHousehold(u, true, start);
    else {
      t0 = arrivalDay(rng, start, H, kind === 3);
      if (kind === 1) arrivingJapanese(u, t0);
      else foreignHousehold(u, false, t0);
    }
    simulate(u, t0);
    total += formatUnit(u.persons, cutoffs, out, H);
    atEnd[k] = total;
    for (const o of out) o.endUnit();
  }
  return { index, units: UNITS_PER_BATCH, atEnd, pkgs: out.map((o) => o.finish()) };
}

const nameMakers = new Map<boolean, NameMaker>();
function names(okinawa: boolean): NameMaker {
  let n = nameMakers.get(okinawa);
  if (!n) nameMakers.set(okinawa, (n = new NameMaker(okinawa)));
  return n;
}

/** A day in [start, end] for an arrival; foreigners arrive more in later years, fewer in 2020–21. */
function arrivalDay(rng: Rng, start: number, end: number, foreign: boolean): number {
  for (;;) {
    const d = start + Math.floor(rng.next() * (end - start + 1));
    if (!foreign) return d;
    const y = yearOf(d);
    const w = (1 + 0.05 * (y - 2015)) * (y === 2020 || y === 2021 ? 0.45 : 1);
    if (rng.next() * 2 < w) return d;
  }
}

/** An encoded file part that grows as units are appended. */
class Bytes {
  buf = new Uint8Array(1 << 16);
  len = 0;

  append(text: string, encoding: Encoding): void {
    const need = this.len + text.length * 3;
    if (need > this.buf.length) {
      const bigger = new Uint8Array(Math.max(need, this.buf.length * 2));
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    }
    if (encoding === 'UTF-8') {
      this.len += Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.length).write(text, this.len, 'utf8');
    } else this.len = encodeCp932Into(text, this.buf, this.len);
  }
}

/** Lines of one package for a batch, unit by unit. */
class ChunkBuilder {
  private res = new Bytes();
  private his = new Bytes();
  private resUnit = '';
  private hisUnit = '';
  private resRows = 0;
  private hisRows = 0;
  private cur = 0;
  private k = 0;
  readonly chunk: Omit<PkgChunk, 'residents' | 'history'>;

  constructor(private readonly encoding: Encoding, units: number) {
    this.chunk = {
      residentsEnd: new Float64Array(units), historyEnd: new Float64Array(units),
      residentsRows: new Int32Array(units), historyRows: new Int32Array(units), current: new Int32Array(units),
    };
  }

  resident(line: string, current: boolean): void {
    this.resUnit += line;
    this.resRows++;
    if (current) this.cur++;
  }

  history(line: string): void {
    this.hisUnit += line;
    this.hisRows++;
  }

  endUnit(): void {
    this.res.append(this.resUnit, this.encoding);
    this.his.append(this.hisUnit, this.encoding);
    this.resUnit = this.hisUnit = '';
    const c = this.chunk, k = this.k++;
    c.residentsEnd[k] = this.res.len;
    c.historyEnd[k] = this.his.len;
    c.residentsRows[k] = this.resRows;
    c.historyRows[k] = this.hisRows;
    c.current[k] = this.cur;
  }

  finish(): PkgChunk {
    // views on buffers this builder owns, so they can be transferred to another thread
    return { ...this.chunk, residents: this.res.buf.subarray(0, this.res.len), history: this.his.buf.subarray(0, this.his.len) };
  }
}

/** Format one unit's persons for every package; returns how many are residents on the last day H. */
function formatUnit(persons: readonly Person[], cutoffs: readonly number[], out: readonly ChunkBuilder[], H: number): number {
  let residentsAtEnd = 0;
  for (const p of persons) {
    const rows = p.rows;
    if (rows.length === 0) continue;
    const tails: string[] = new Array<string>(rows.length);
    let n = 0;
    for (let k = 0; k < cutoffs.length; k++) {
      const cutoff = cutoffs[k]!, o = out[k]!;
      const prev = n;
      while (n < rows.length && rows[n]!.p <= cutoff) n++;
      if (n === 0) continue;
      // history: the full package (k = 0) gets rows up to the cutoff; a nightly delta only those entered that day
      for (let i = k === 0 ? 0 : prev; i < n; i++) {
        const r = rows[i]!;
        o.history(historyLine(p.id, i + 1, r, (tails[i] ??= stateCsv(r.st))));
      }
      const w = residentRow(rows, n, cutoff);
      if (!w) throw new Error(`internal: no state for ${p.id}`);
      const best = rows[w.best]!;
      const tail = w.pending < 0 ? (tails[w.best] ??= stateCsv(best.st)) : stateCsv(withPending(best.st, rows[w.pending]!.st));
      o.resident(`${p.id},${tail}\r\n`, best.st[C.住民状態] === '現存');
    }
    let m = rows.length;
    while (m > 0 && rows[m - 1]!.p > H) m--;
    if (m > 0 && residentState(rows, m, H)?.[C.住民状態] === '現存') residentsAtEnd++;
  }
  return residentsAtEnd;
}
