// The synthetic municipality generator: simulates a register's history and writes a snapshot package (snapshot-format.md).
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { fmt, parseDay } from './dates.ts';
import { HISTORY_HEADER, RESIDENT_HEADER, Sink, assertCsvSafe, type Encoding } from './csv.ts';
import { municipality, runBatch, timeline, type BatchConfig, type BatchResult } from './batch.ts';
import { allNameText } from './names.ts';
import { allForeignText } from './nationality.ts';
import { allPlaceText } from './places.ts';
import { allVisaText } from './visa.ts';

export type { Encoding };

export interface SynthOptions {
  /** 現存 residents wanted in 住民.csv (±2%) */
  residents: number;
  /** same seed and options → byte-identical files (default 1) */
  seed?: string | number;
  /** output directory (created) */
  out: string;
  /** default UTF-8 (written with a BOM) */
  encoding?: Encoding;
  /** みほん市 (沖縄県, 471003) with 5 wards instead of さんぷる市 (北海道, 013871) */
  designatedCity?: boolean;
  /** years of history in the window (default 11) */
  years?: number;
  /** YYYY-MM-DD, default 2025-12-31 */
  processedThrough?: string;
  /** also write this many nightly delta packages for the following days (default 0) */
  deltaDays?: number;
  /** called now and then with (residents so far, target) */
  progress?: (done: number, total: number) => void;
  /** worker threads (default: none below 50,000 residents, else up to 4); the output does not depend on it */
  threads?: number;
}

export interface SynthResult {
  dir: string;
  municipalityCode: string;
  municipalityName: string;
  processedThrough: string;
  /** 現存 rows in the main 住民.csv */
  residentsCount: number;
  /** rows of the main 住民.csv */
  personsCount: number;
  /** rows of the main 異動履歴.csv */
  historyRows: number;
  /** directories of the nightly delta packages */
  nightly: string[];
}

interface Pkg {
  dir: string;
  cutoff: number;
  since: number | null;
  residents: Sink;
  history: Sink;
  current: number;
}

/**
 * Write a synthetic snapshot package. Example:
 * `await synthesize({ residents: 20_000, seed: 7, out: '/tmp/town' })` writes
 * /tmp/town/{manifest.json, 住民.csv, 異動履歴.csv}.
 */
export async function synthesize(opts: SynthOptions): Promise<SynthResult> {
  const target = Math.round(opts.residents);
  if (!Number.isFinite(target) || target < 10) throw new Error('residents must be at least 10');
  const encoding: Encoding = opts.encoding ?? 'UTF-8';
  if (encoding !== 'UTF-8' && encoding !== 'CP932') throw new Error(`encoding must be UTF-8 or CP932, not ${String(encoding)}`);
  const years = opts.years ?? 11;
  if (!Number.isInteger(years) || years < 1 || years > 60) throw new Error('years must be an integer from 1 to 60');
  const K = opts.deltaDays ?? 0;
  if (!Number.isInteger(K) || K < 0 || K > 366) throw new Error('deltaDays must be an integer from 0 to 366');
  const cfg: BatchConfig = {
    seed: String(opts.seed ?? 1), residents: target, designated: opts.designatedCity === true, years,
    processedThrough: parseDay(opts.processedThrough ?? '2025-12-31'), deltaDays: K, encoding,
  };
  // The simulation always runs to P + K, so a run with (P, K) and one with (P + K, 0) simulate the
  // same history: the nightly packages are exactly the rows a later full package contains.
  const { P, H } = timeline(cfg);
  assertCsvSafe([...allNameText(), ...allForeignText(), ...allPlaceText(), ...allVisaText()]);
  const muni = municipality(cfg);

  mkdirSync(opts.out, { recursive: true });
  const pkgs: Pkg[] = [];
  const open = (dir: string, cutoff: number, since: number | null): Pkg => {
    mkdirSync(dir, { recursive: true });
    return {
      dir, cutoff, since, current: 0,
      residents: new Sink(join(dir, '住民.csv'), encoding, RESIDENT_HEADER),
      history: new Sink(join(dir, '異動履歴.csv'), encoding, HISTORY_HEADER),
    };
  };
  pkgs.push(open(opts.out, P, null));
  for (let d = P + 1; d <= H; d++) pkgs.push(open(join(opts.out, `nightly-${fmt(d)}`), d, d));

  // Batches are written in order until the residents on the last day reach the target (exactly, at
  // a unit boundary), whichever thread simulated them.
  let atEnd = 0;
  const take = (b: BatchResult): boolean => {
    let k = 0;
    while (k < b.units - 1 && atEnd + b.atEnd[k]! < target) k++;
    pkgs.forEach((pkg, i) => {
      const c = b.pkgs[i]!;
      pkg.residents.chunk(c.residents.subarray(0, c.residentsEnd[k]!), c.residentsRows[k]!);
      pkg.history.chunk(c.history.subarray(0, c.historyEnd[k]!), c.historyRows[k]!);
      pkg.current += c.current[k]!;
    });
    atEnd += b.atEnd[k]!;
    opts.progress?.(Math.min(atEnd, target), target);
    return atEnd >= target;
  };
  const threads = opts.threads ?? (target < 50_000 ? 0 : Math.min(4, availableParallelism()));
  if (threads > 0) await inWorkers(cfg, threads, take);
  else for (let i = 0; !take(runBatch(cfg, i)); i++) if (i % 16 === 15) await new Promise<void>((r) => setImmediate(r));

  const extracted = (d: number) => `${fmt(d + 1)}T02:10:00+09:00`;
  let main: { persons: number; history: number; current: number } | null = null;
  for (const p of pkgs) {
    const r = p.residents.close();
    const h = p.history.close();
    const manifest = {
      format: 'juki-snapshot/1',
      municipalityCode: muni.code,
      municipalityName: muni.name,
      extractedAt: extracted(p.cutoff),
      processedThrough: fmt(p.cutoff),
      history: p.since === null ? { mode: 'full' } : { mode: 'delta', since: fmt(p.since) },
      encoding,
      files: { '住民.csv': r, '異動履歴.csv': h },
    };
    writeFileSync(join(p.dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    main ??= { persons: r.rows, history: h.rows, current: p.current };
  }
  return {
    dir: opts.out, municipalityCode: muni.code, municipalityName: muni.name, processedThrough: fmt(P),
    residentsCount: main!.current, personsCount: main!.persons, historyRows: main!.history,
    nightly: pkgs.slice(1).map((p) => p.dir),
  };
}

/** Run batches 0, 1, 2 … in worker threads (two in flight per worker) and hand them to `take` in order. */
function inWorkers(cfg: BatchConfig, threads: number, take: (b: BatchResult) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    const done = new Map<number, BatchResult>();
    let next = 0, want = 0, finished = false;
    const stop = (err?: unknown) => {
      if (finished) return;
      finished = true;
      for (const w of workers) void w.terminate();
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve();
    };
    for (let i = 0; i < threads; i++) {
      const w = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: cfg });
      w.on('message', (r: BatchResult) => {
        if (finished) return;
        done.set(r.index, r);
        try {
          while (done.has(want)) {
            const b = done.get(want)!;
            done.delete(want++);
            if (take(b)) return stop();
          }
        } catch (e) {
          return stop(e);
        }
        w.postMessage(next++);
      });
      w.on('error', (e) => stop(e));
      w.on('exit', (code) => { if (!finished) stop(new Error(`synth worker exited with code ${code}`)); });
      workers.push(w);
      w.postMessage(next++);
      w.postMessage(next++);
    }
  });
}
