// `npm run bench` — EUC part (issue #5): the wizard engine at designated-city scale. Three
// measurements, each in its own child process so its peak memory (VmHWM) is its own: a count grouped
// by three items (previewSpec), a person list of about 100,000 persons written as XLSX and one of about
// 1,000,000 rows written as CSV (writeSpecFile). Beside each, the baseline measured in the same run,
// also in its own child: DuckDB's own `COPY (<the same compiled query>) TO '….csv' (FORMAT CSV, HEADER)`
// with the same bound values. Each runs twice, alternately with its baseline; the faster run is shown
// (the machine may be shared), the larger peak memory. The store is the ingest part's
// (`<dir>/store-UTF-8.duckdb`) when it is there, else `<dir>/store-euc.duckdb`, loaded from `<dir>/utf8`
// once and reused while its latest load is that package.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureHelpers } from '../euc/helpers.ts';
import { latestSnapshot } from '../reports/common/provenance.ts';
import { openStore, repoRoot } from '../store/db.ts';
import { synthesize } from '../synth/index.ts';
import { compileSpec, type CompiledSpec } from '../wizard/compile.ts';
import { previewSpec, writeSpecFile } from '../wizard/run.ts';
import { parseSpec, type ExtractSpec } from '../wizard/spec.ts';
import type { BenchRow } from './ingest.ts';
import { measureNode, type Measured } from './measure.ts';

const juki = path.join(repoRoot, 'bin/juki.mjs');

/** The three measurements. */
export type EucCase = 'count' | 'xlsx' | 'csv';
export const EUC_CASES: readonly EucCase[] = ['count', 'xlsx', 'csv'];

/** Runs of each measurement and of its baseline (alternately); the faster run is reported. */
export const EUC_RUNS = 2;
/** Peak memory limit of every EUC measurement (MB). */
export const EUC_MEMORY_LIMIT_MB = 1024;
/** Time targets (seconds). */
export const EUC_TARGET_SECONDS: Readonly<Record<EucCase, number>> = { count: 2, xlsx: 10, csv: 10 };
/** The group-by items of the count (三項目). */
export const COUNT_GROUP_BY = ['地区', '年齢5歳階級', '性別'] as const;
/** Wanted size of the person lists, and the age each list's 年齢 range starts at. */
export const LIST_SIZES: Readonly<Record<'xlsx' | 'csv', { rows: number; fromAge: number }>> = {
  xlsx: { rows: 100_000, fromAge: 20 },
  csv: { rows: 1_000_000, fromAge: 40 },
};
const PURPOSE = '性能測定';

/**
 * The definition a measurement runs: residents as of the snapshot; the count grouped by
 * COUNT_GROUP_BY, or a person list of 年齢 between `ages`.
 * @example eucSpec('csv', [40, 60]).conditions // [{ item: '年齢', op: 'between', values: [40, 60] }]
 */
export function eucSpec(which: EucCase, ages?: readonly [number, number]): ExtractSpec {
  if (which === 'count') {
    return parseSpec({
      format: 'juki-extract/1', title: `${COUNT_GROUP_BY.join('・')}別 人口`, base: { kind: 'residents', asOf: 'snapshot' },
      conditions: [], output: { kind: 'count', groupBy: [...COUNT_GROUP_BY] },
    });
  }
  if (!ages) throw new Error(`${which}: 年齢の範囲がありません`);
  return parseSpec({
    format: 'juki-extract/1', title: `${ages[0]}～${ages[1]}歳の住民`, base: { kind: 'residents', asOf: 'snapshot' },
    conditions: [{ item: '年齢', op: 'between', values: [...ages] }], output: { kind: 'persons' },
  });
}

/** This process's VmHWM in MB (0 when /proc is not there). */
function ownPeakMb(): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** What the plan step reads from the store. */
export interface EucPlan {
  /** package_fingerprint of the latest load (sha256 of its manifest.json). */
  fingerprint: string;
  processedThrough: string;
  /** 基準日 of 'snapshot' (the day after processedThrough). */
  asOf: string;
  /** Residents as of asOf, without 支援措置 subjects (who are not in a CLI person list). */
  residents: number;
  /** [満年齢, residents of that age] of the same residents, ascending; 生年月日不詳 left out. */
  ages: [number, number][];
}

/** What one measurement (wizard or baseline) reports from its child process. */
export interface EucStepResult {
  /** Compile and run (wizard), or the COPY alone (baseline): what a user waits for after the click; opening the store is not included. */
  seconds: number;
  /** Result rows (count: rows of the cross table including 合計 rows). */
  rows: number;
  /** Person lists: persons written. */
  persons?: number;
  /** Size of the file written (count: the preview writes none; the baseline's CSV). */
  bytes: number;
  /** VmHWM of the child at the end, MB. */
  peakRssMb: number;
}

/**
 * The plan step (in a child): the latest load's fingerprint and the age histogram as of the snapshot,
 * from which the person lists' 年齢 ranges are chosen.
 * @example const plan = await planEuc('.bench/store-euc.duckdb'); // plan.ages[40] = [40, 52311]
 */
export async function planEuc(db: string): Promise<EucPlan> {
  const store = await openStore(db, { readOnly: true });
  try {
    const snap = await latestSnapshot(store.conn);
    const compiled = await compileSpec(store.conn, eucSpec('count'), { includeShien: false });
    const asOf = compiled.dates.asOf!;
    const reader = await store.conn.runAndReadAll(
      `SELECT age_on("生年月日", $d::DATE) AS age, count(*)::BIGINT AS n FROM residents_asof($d::DATE)
       WHERE NOT "支援措置" AND NOT coalesce("生年月日不詳", false) AND "生年月日" IS NOT NULL GROUP BY ALL ORDER BY age`,
      { d: asOf },
    );
    const ages = reader.getRows().map(([a, n]) => [Number(a), Number(n)] as [number, number]).filter(([a]) => a >= 0);
    const all = await store.conn.runAndReadAll('SELECT count(*)::BIGINT FROM residents_asof($d::DATE) WHERE NOT "支援措置"', { d: asOf });
    return { fingerprint: snap.packageFingerprint, processedThrough: snap.processedThrough, asOf, residents: Number(all.getRows()[0]![0]), ages };
  } finally {
    store.close();
  }
}

/**
 * The 年齢 range [fromAge, b] whose residents come closest to `rows` (the whole tail when they never
 * reach it), and its expected size.
 * @example ageRange([[40, 60_000], [41, 60_000]], 100_000, 40) // { ages: [40, 41], expected: 120000 }
 * @example ageRange([[40, 60_000], [41, 60_000]], 80_000, 40) // { ages: [40, 40], expected: 60000 }
 */
export function ageRange(ages: readonly [number, number][], rows: number, fromAge: number): { ages: [number, number]; expected: number } {
  let best = { ages: [fromAge, fromAge] as [number, number], expected: 0 };
  let sum = 0;
  for (const [age, n] of ages) {
    if (age < fromAge) continue;
    sum += n;
    if (best.expected === 0 || Math.abs(sum - rows) < Math.abs(best.expected - rows)) best = { ages: [fromAge, age], expected: sum };
    if (sum >= rows) break;
  }
  return best;
}

/**
 * One measurement (run in a child by `juki bench-euc-one`): opens the store read-only, compiles the
 * definition and either runs it through the wizard engine (count: previewSpec; xlsx / csv:
 * writeSpecFile) or, as the baseline, `COPY (<compiled SQL>) TO <out> (HEADER, DELIMITER ',')` with the
 * same bound values. Opening the store is not timed.
 * @example const r = await eucStep({ db, which: 'csv', ages: [40, 60], baseline: true, out: '/tmp/b.csv' }); // r.seconds, r.rows
 */
export async function eucStep(o: { db: string; which: EucCase; ages?: [number, number]; baseline: boolean; out: string }): Promise<EucStepResult> {
  const spec = eucSpec(o.which, o.ages);
  const store = await openStore(o.db, { readOnly: true });
  try {
    const conn = store.conn;
    if (o.baseline) {
      const compiled = await compileSpec(conn, spec, { includeShien: false });
      if (compiled.needsChochoNames) await ensureHelpers(conn);
      const t0 = performance.now();
      const reader = await conn.runAndReadAll(`COPY (\n${compiled.sql}\n) TO '${o.out.replaceAll("'", "''")}' (FORMAT CSV, HEADER, DELIMITER ',')`, compiled.params);
      const seconds = (performance.now() - t0) / 1000;
      const rows = Number(reader.getRows()[0]?.[0] ?? 0);
      return { seconds, rows, bytes: (await stat(o.out)).size, peakRssMb: ownPeakMb() };
    }
    const t0 = performance.now();
    const compiled: CompiledSpec = await compileSpec(conn, spec, { includeShien: false });
    if (o.which === 'count') {
      const p = await previewSpec(conn, compiled, 100);
      return { seconds: (performance.now() - t0) / 1000, rows: p.total, bytes: 0, peakRssMb: ownPeakMb() };
    }
    const r = await writeSpecFile(conn, compiled, {
      file: o.out, format: o.which,
      conditions: [['利用目的', PURPOSE], ['作成者', '(bench)']],
    });
    return { seconds: (performance.now() - t0) / 1000, rows: r.rows, ...(r.persons !== undefined ? { persons: r.persons } : {}), bytes: r.bytes, peakRssMb: ownPeakMb() };
  } finally {
    store.close();
  }
}

const fingerprintOf = async (pkg: string): Promise<string> => createHash('sha256').update(await readFile(path.join(pkg, 'manifest.json'))).digest('hex');

async function childJson<T>(args: string[]): Promise<{ value: T; measured: Measured }> {
  const measured = await measureNode([juki, ...args]);
  return { value: JSON.parse(measured.stdout.trim().split('\n').pop()!) as T, measured };
}

const plan = (db: string) => childJson<EucPlan>(['bench-euc-one', '--db', db, '--step', 'plan']);

/** The package to load when the ingest part left no store: `<dir>/utf8` if there, else a UTF-8 town synthesised into `<dir>/euc-utf8`. */
async function packageDir(dir: string, residents: number, log: (line: string) => void): Promise<string> {
  const utf8 = path.join(dir, 'utf8');
  if (existsSync(path.join(utf8, 'manifest.json'))) return utf8;
  const own = path.join(dir, 'euc-utf8');
  const marker = path.join(dir, 'euc-utf8.json');
  const wanted = JSON.stringify({ residents, seed: 'bench', deltaDays: 1, version: 1 });
  if (existsSync(marker) && (await readFile(marker, 'utf8')) === wanted) return own;
  await rm(own, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const t0 = performance.now();
  const r = await synthesize({ residents, seed: 'bench', out: own, encoding: 'UTF-8', deltaDays: 1 });
  log(`  合成 UTF-8: 住民.csv ${r.personsCount.toLocaleString('ja-JP')} 行、異動履歴.csv ${r.historyRows.toLocaleString('ja-JP')} 行 (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  await writeFile(marker, wanted);
  return own;
}

/**
 * The store to measure on and its plan: the ingest part's store when there is one; else
 * `<dir>/store-euc.duckdb`, reused while its latest load is the package (same manifest fingerprint),
 * otherwise loaded afresh with `juki load` (about 4 minutes at 3.8 million residents).
 */
async function storeFor(dir: string, residents: number, log: (line: string) => void): Promise<{ db: string; plan: EucPlan }> {
  const ingestStore = path.join(dir, 'store-UTF-8.duckdb');
  if (existsSync(ingestStore)) {
    log(`  ストア: ${ingestStore}（取り込みの測定のもの）`);
    return { db: ingestStore, plan: (await plan(ingestStore)).value };
  }
  const db = path.join(dir, 'store-euc.duckdb');
  const pkg = await packageDir(dir, residents, log);
  const wanted = await fingerprintOf(pkg);
  if (existsSync(db)) {
    const existing = await plan(db).catch(() => undefined);
    if (existing?.value.fingerprint === wanted) {
      log(`  ストア: ${db}（再利用: 最後の取り込みが ${pkg} と同じパッケージ）`);
      return { db, plan: existing.value };
    }
  }
  for (const f of [db, `${db}.wal`]) await rm(f, { force: true });
  log(`  ストア: ${db} に ${pkg} を取り込みます（380 万人規模で 4～5 分）…`);
  const loaded = await measureNode([juki, 'load', pkg, '--db', db, '--json']);
  log(`  取り込み ${loaded.seconds.toFixed(0)} s、最大メモリ ${(loaded.peakRssMb / 1024).toFixed(2)} GB`);
  return { db, plan: (await plan(db)).value };
}

const n = (v: number) => v.toLocaleString('ja-JP');
const mb = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** The EUC part's rows and, for after the table, one note per measurement (process time, file sizes, the baseline's memory). */
export interface EucBenchResult {
  rows: BenchRow[];
  notes: string[];
}

/**
 * Runs the EUC benchmark in `dir`; each row goes to `onRow` as soon as it is measured, progress before
 * the first measurement to `log`. Output files go to `<dir>/euc-out` and are removed after each measurement.
 * `residents` is used only when there is no package to load (a town of that size is synthesised).
 * @example const { rows, notes } = await benchEuc('.bench', 3_800_000, (r) => console.log(r.name, r.seconds));
 */
export async function benchEuc(dir: string, residents: number, onRow: (row: BenchRow) => void = () => {}, log: (line: string) => void = console.log): Promise<EucBenchResult> {
  const { db, plan: p } = await storeFor(dir, residents, log);
  log(`  基準日 ${p.asOf}（${p.processedThrough} 処理分）、住民 ${n(p.residents)} 人（支援措置の対象者を除く）`);
  const outDir = path.join(dir, 'euc-out');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  for (const which of EUC_CASES) {
    const range = which === 'count' ? undefined : ageRange(p.ages, LIST_SIZES[which].rows, LIST_SIZES[which].fromAge);
    const target = `< ${EUC_TARGET_SECONDS[which]} 秒、< 1 GB`;
    const label = which === 'count' ? `EUC 件数 ${COUNT_GROUP_BY.join('×')}` : `EUC 個人一覧 ${which.toUpperCase()}`;
    const condition = range ? `年齢 ${range.ages[0]}～${range.ages[1]}歳、` : '';
    const args = (baseline: boolean, out: string) => [
      'bench-euc-one', '--db', db, '--step', which, '--out', out,
      ...(range ? ['--ages', `${range.ages[0]}-${range.ages[1]}`] : []), ...(baseline ? ['--baseline'] : []),
    ];
    let row: BenchRow;
    try {
      /** One child run; its output file removed. Peak = the larger of the poller's and the child's own VmHWM. */
      const once = async (baseline: boolean) => {
        const out = path.join(outDir, `${which}${baseline ? '-baseline.csv' : which === 'xlsx' ? '.xlsx' : '.csv'}`);
        const r = await childJson<EucStepResult>(args(baseline, out));
        await rm(out, { force: true });
        return { ...r.value, peakRssMb: Math.max(r.measured.peakRssMb, r.value.peakRssMb), processSeconds: r.measured.seconds };
      };
      // baseline and wizard alternately, EUC_RUNS times each: the faster run of each counts, the larger peak
      const bases: Awaited<ReturnType<typeof once>>[] = [];
      const wizs: Awaited<ReturnType<typeof once>>[] = [];
      for (let i = 0; i < EUC_RUNS; i++) {
        bases.push(await once(true));
        wizs.push(await once(false));
      }
      const fastest = <T extends { seconds: number }>(runs: T[]): T => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
      const base = fastest(bases);
      const w = fastest(wizs);
      const peak = Math.max(...wizs.map((r) => r.peakRssMb));
      const basePeak = Math.max(...bases.map((r) => r.peakRssMb));
      const size = which === 'count' ? `${n(w.rows)} 行` : `${n(w.persons ?? w.rows)} 人`;
      row = {
        name: `${label}（${condition}${size}）`, seconds: w.seconds, baselineSeconds: base.seconds, target, peakRssMb: peak,
        ok: w.seconds < EUC_TARGET_SECONDS[which] && peak < EUC_MEMORY_LIMIT_MB,
      };
      const secs = (runs: { seconds: number }[]) => runs.map((r) => `${r.seconds.toFixed(1)} s`).join(' / ');
      const bytes = which === 'count' ? '' : `、ファイル ${mb(w.bytes)}`;
      notes.push(`${row.name}: 各回 ${secs(wizs)}（プロセス全体 ${w.processSeconds.toFixed(1)} s）${bytes}。基準の COPY: 各回 ${secs(bases)}、${n(base.rows)} 行、${mb(base.bytes)}、最大メモリ ${(basePeak / 1024).toFixed(2)} GB`);
    } catch (e) {
      row = { name: label, target, seconds: NaN, peakRssMb: NaN, ok: false, error: (e as Error).message.split('\n').slice(0, 4).join(' ') };
    }
    rows.push(row);
    onRow(row);
  }
  await rm(outDir, { recursive: true, force: true });
  return { rows, notes };
}
