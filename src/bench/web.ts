// `npm run bench` — web part (issue #4): 20 concurrent users previewing and downloading EUC
// extracts through the real server (a child `juki serve` on loopback), first with nothing else
// running (the baseline, measured in the same run), then while a nightly package is loaded into
// the store being served. Reports requests, throughput, p50/p95 latency, the p95 ratio against
// the baseline, errors (any non-2xx or network error) and the server's peak memory (VmHWM).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { synthesize } from '../synth/index.ts';
import { repoRoot } from '../store/db.ts';

const juki = path.join(repoRoot, 'bin/juki.mjs');

/** What one phase measured. */
export interface WebPhase {
  name: string;
  requests: number;
  seconds: number;
  /** requests per second */
  throughput: number;
  p50Ms: number;
  p95Ms: number;
  errors: number;
  /** the server's VmHWM at the end of the phase (cumulative since it started) */
  serverPeakRssMb: number;
  /** p50/p95 per operation, for finding the slow one */
  perOp: { op: string; requests: number; p50Ms: number; p95Ms: number }[];
}

/** One failed request, without personal data: method, path (download tokens elided), status, message. */
export interface WebError {
  phase: string;
  method: string;
  path: string;
  status?: number;
  message: string;
}

export interface WebBenchResult {
  residents: number;
  users: number;
  baseline: WebPhase;
  underLoad: WebPhase;
  /** the nightly load run during phase B */
  load: { seconds: number; peakRssMb: number };
  /** processedThrough served before and after phase B, and what the nightly package holds */
  snapshot: { before: string | null; after: string | null; expected: string; switched: boolean };
  /** the first few errors of both phases */
  firstErrors: WebError[];
  /** where the server's own log (stderr) was written */
  serverLog: string;
}

export interface WebBenchOptions {
  /** concurrent virtual users (default 20) */
  users?: number;
  /** length of phase A, the baseline (default 20 s) */
  baselineSeconds?: number;
  /** phase B lasts until the nightly load ends, and at least this long (default 10 s) */
  minLoadPhaseSeconds?: number;
  /** progress lines (default console.log) */
  log?: (line: string) => void;
}

/** The p95 under load may be at most this many times the baseline p95. */
export const P95_LIMIT = 3;

/**
 * The phase-B verdict: no errors, the snapshot switched, p95 within P95_LIMIT× the baseline.
 * @example const verdict = webOk(await benchWeb('.bench/web', 300_000)) ? 'OK' : '未達';
 */
export function webOk(r: WebBenchResult): boolean {
  return r.baseline.errors === 0 && r.underLoad.errors === 0 && r.snapshot.switched && r.underLoad.p95Ms <= P95_LIMIT * r.baseline.p95Ms;
}

// ---------------------------------------------------------------------------------------------
// child processes

interface ChildResult {
  seconds: number;
  peakRssMb: number;
  stdout: string;
}

function vmHwmKb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Runs `node <args>` (optionally feeding stdin), killing it after `timeoutMs`; rejects unless it exits 0. */
function runNode(args: string[], opts: { input?: string; timeoutMs: number; onStart?: (child: ChildProcess) => void }): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    opts.onStart?.(child);
    let stdout = '';
    let stderr = '';
    let peak = 0;
    let timedOut = false;
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin!.end(opts.input ?? '');
    const poll = setInterval(() => (peak = Math.max(peak, vmHwmKb(child.pid))), 50);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      const what = args.slice(1, 3).join(' ');
      if (timedOut) reject(new Error(`${what} が ${Math.round(opts.timeoutMs / 1000)} 秒で終わらないため中止しました`));
      else if (code !== 0) reject(new Error(`${what} が終了コード ${code} で終わりました: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      else resolve({ seconds, peakRssMb: peak / 1024, stdout });
    });
  });
}

interface ServerChild {
  origin: string;
  pid: number;
  /** VmHWM of the server now, in MB */
  peakRssMb(): number;
  /** SIGTERM, then SIGKILL after 10 s; resolves when it has exited */
  stop(): Promise<void>;
}

/** Starts `juki serve` on an ephemeral loopback port; resolves once it prints its URL. Its stderr goes to `logFile`. */
async function startServerChild(db: string, stateDir: string, logFile: string): Promise<ServerChild> {
  const child = spawn(process.execPath, [juki, 'serve', '--db', db, '--port', '0', '--host', '127.0.0.1', '--state', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => {
    exited = true;
    resolve();
  }));
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    }
    await writeFile(logFile, log);
  };
  try {
    const origin = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('サーバーが 60 秒以内に起動しませんでした')), 60_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`サーバーが起動せずに終了しました（終了コード ${code}）: ${log.trim().split('\n').slice(-3).join(' ')}`));
      });
    });
    child.stdout.resume();
    return { origin, pid: child.pid!, peakRssMb: () => vmHwmKb(child.pid) / 1024, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP client of one virtual user

interface Sample {
  op: string;
  ms: number;
}

/** Collects the latencies and errors of one phase. */
class Recorder {
  readonly samples: Sample[] = [];
  readonly errors: WebError[] = [];
  constructor(readonly phase: string) {}
}

class HttpError extends Error {
  constructor(readonly status: number | undefined, message: string) {
    super(message);
  }
}

/** Shortens a path for the error list: download tokens and chart parameters are not shown. */
function shownPath(p: string): string {
  return p.replace(/^\/api\/downloads\/.*/, '/api/downloads/…').replace(/\?.*$/, '?…');
}

/** One logged-in browser: cookie, CSRF token, same-origin headers. Requests time out after 120 s. */
class Client {
  private cookie = '';
  private csrf = '';
  constructor(private readonly origin: string) {}

  private async send(method: 'GET' | 'POST', p: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { Origin: this.origin };
    if (this.cookie) headers.Cookie = this.cookie;
    if (method === 'POST') {
      headers['Content-Type'] = 'application/json';
      if (this.csrf) headers['X-CSRF-Token'] = this.csrf;
    }
    return fetch(this.origin + p, {
      method, headers, body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined, signal: AbortSignal.timeout(120_000),
    });
  }

  /** A request whose body is read completely; throws HttpError unless 2xx. */
  async request(method: 'GET' | 'POST', p: string, body?: unknown): Promise<{ res: Response; bytes: Buffer }> {
    let res: Response;
    let bytes: Buffer;
    try {
      res = await this.send(method, p, body);
      bytes = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      const err = e as Error & { cause?: Error };
      throw new HttpError(undefined, `${err.name}: ${err.message}${err.cause ? ` (${err.cause.message})` : ''}`);
    }
    if (res.status < 200 || res.status > 299) {
      let message = bytes.toString('utf8').slice(0, 200);
      try {
        message = (JSON.parse(message) as { error?: string }).error ?? message;
      } catch { /* not JSON */ }
      throw new HttpError(res.status, message);
    }
    return { res, bytes };
  }

  async json<T>(method: 'GET' | 'POST', p: string, body?: unknown): Promise<T> {
    const { bytes } = await this.request(method, p, body);
    return JSON.parse(bytes.toString('utf8')) as T;
  }

  /** Logs in (POST /api/login) and fetches the CSRF token (GET /api/me). */
  async login(id: string, password: string): Promise<void> {
    const { res } = await this.request('POST', '/api/login', { id, password });
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('juki_session='));
    if (!cookie) throw new HttpError(res.status, 'ログインの応答にセッションのクッキーがありません');
    this.cookie = cookie;
    this.csrf = (await this.json<{ csrf: string }>('GET', '/api/me')).csrf;
  }
}

/** Runs one timed request into the recorder; returns its value, or undefined when it failed (the error is recorded). */
async function timed<T>(rec: Recorder, op: string, method: 'GET' | 'POST', p: string, run: () => Promise<T>): Promise<T | undefined> {
  const t0 = performance.now();
  try {
    const value = await run();
    rec.samples.push({ op, ms: performance.now() - t0 });
    return value;
  } catch (e) {
    rec.errors.push({ phase: rec.phase, method, path: shownPath(p), status: e instanceof HttpError ? e.status : undefined, message: (e as Error).message.slice(0, 200) });
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// the workload

interface FormParam {
  name: string;
  choices?: string[];
}
interface CatalogueEntry {
  id: string;
  kind: string;
  allowed: boolean;
  chart: boolean;
  params: FormParam[];
}

interface PreviewResponse {
  rows: unknown[];
  total: number;
  chartUrl?: string;
}
interface ExportResponse {
  url: string;
  bytes: number;
  rows: number;
}

/** The extracts and parameters the users run (checked against GET /api/euc once). */
const PURPOSE = '負荷試験';
const PERSON_PARAMS = { age_from: 99, age_to: 130 };
const WORK = {
  '01': {},
  '02': { kaikyu: '5歳階級' },
  '04': { breakdown: '在留資格' },
  '09': {},
  '10': PERSON_PARAMS,
} as const satisfies Record<string, Record<string, string | number>>;

/** Fails unless every extract of WORK exists, is allowed for the bench user, and takes the parameters used. */
function checkCatalogue(extracts: CatalogueEntry[]): void {
  for (const [id, params] of Object.entries(WORK)) {
    const def = extracts.find((e) => e.id === id);
    if (!def) throw new Error(`抽出 ${id} が GET /api/euc にありません`);
    if (!def.allowed) throw new Error(`抽出 ${id} がベンチの利用者（個人一覧）に許可されていません`);
    if (id === '02' && !def.chart) throw new Error('抽出 02 にグラフがありません');
    for (const [name, value] of Object.entries(params)) {
      const p = def.params.find((q) => q.name === name);
      if (!p) throw new Error(`抽出 ${id} にパラメータ ${name} がありません`);
      if (p.choices && !p.choices.includes(String(value))) throw new Error(`抽出 ${id} のパラメータ ${name} に「${value}」の選択肢がありません`);
    }
  }
}

/** The operations a user cycles through; each is one or two requests. */
type Step = (c: Client, rec: Recorder) => Promise<void>;

const preview = (id: keyof typeof WORK, purpose?: string) => (c: Client, rec: Recorder) => {
  const p = `/api/euc/${id}/preview`;
  return timed(rec, `${id} 表示`, 'POST', p, async () => {
    const r = await c.json<PreviewResponse>('POST', p, { params: WORK[id], ...(purpose ? { purpose } : {}) });
    if (!Array.isArray(r.rows) || typeof r.total !== 'number') throw new HttpError(200, '表示の応答に rows / total がありません');
    return r;
  });
};

const exportAndDownload = (id: keyof typeof WORK, format: 'xlsx' | 'csv', purpose?: string): Step => async (c, rec) => {
  const p = `/api/euc/${id}/export`;
  const label = format.toUpperCase();
  const made = await timed(rec, `${id} ${label} 作成`, 'POST', p, () =>
    c.json<ExportResponse>('POST', p, { params: WORK[id], format, ...(purpose ? { purpose } : {}) }));
  if (!made) return;
  await timed(rec, `${id} ${label} ダウンロード`, 'GET', made.url, async () => {
    const { bytes } = await c.request('GET', made.url);
    if (bytes.length !== made.bytes) throw new HttpError(200, `ダウンロードが ${bytes.length} バイトで、作成時の ${made.bytes} バイトと違います`);
  });
};

const STEPS: Step[] = [
  async (c, rec) => void (await preview('01')(c, rec)),
  async (c, rec) => {
    const r = await preview('02')(c, rec);
    if (!r) return;
    if (!r.chartUrl) {
      rec.errors.push({ phase: rec.phase, method: 'POST', path: '/api/euc/02/preview', status: 200, message: '表示の応答に chartUrl がありません' });
      return;
    }
    const url = r.chartUrl;
    await timed(rec, '02 グラフ', 'GET', url, async () => {
      const { res, bytes } = await c.request('GET', url);
      if (!(res.headers.get('content-type') ?? '').startsWith('image/svg+xml') || !bytes.includes('<svg')) throw new HttpError(res.status, 'グラフの応答が SVG ではありません');
    });
  },
  async (c, rec) => void (await preview('04')(c, rec)),
  async (c, rec) => void (await preview('09')(c, rec)),
  exportAndDownload('01', 'xlsx'),
  exportAndDownload('04', 'csv'),
  async (c, rec) => void (await preview('10', PURPOSE)(c, rec)),
  exportAndDownload('10', 'csv', PURPOSE),
];

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function summarise(name: string, rec: Recorder, seconds: number, serverPeakRssMb: number): WebPhase {
  const all = rec.samples.map((s) => s.ms).sort((a, b) => a - b);
  const ops = [...new Set(rec.samples.map((s) => s.op))].sort();
  return {
    name, seconds, serverPeakRssMb,
    requests: rec.samples.length + rec.errors.length,
    throughput: (rec.samples.length + rec.errors.length) / seconds,
    p50Ms: percentile(all, 0.5),
    p95Ms: percentile(all, 0.95),
    errors: rec.errors.length,
    perOp: ops.map((op) => {
      const ms = rec.samples.filter((s) => s.op === op).map((s) => s.ms).sort((a, b) => a - b);
      return { op, requests: ms.length, p50Ms: percentile(ms, 0.5), p95Ms: percentile(ms, 0.95) };
    }),
  };
}

/** Runs the users until `stop()` says so (checked between operations); user i starts at step i. */
async function runUsers(clients: Client[], rec: Recorder, stop: () => boolean): Promise<number> {
  const t0 = performance.now();
  await Promise.all(clients.map(async (c, i) => {
    // a dead server would make every request fail at once: give up after many errors
    for (let k = i; !stop() && rec.errors.length < 1000; k++) await STEPS[k % STEPS.length]!(c, rec);
  }));
  return (performance.now() - t0) / 1000;
}

// ---------------------------------------------------------------------------------------------
// setup

/** Synthesises (or reuses) the town with one nightly package; returns the full and the nightly package folders. */
async function town(dir: string, residents: number, log: (line: string) => void): Promise<{ full: string; nightly: string }> {
  const marker = path.join(dir, 'packages.json');
  const wanted = JSON.stringify({ residents, seed: 'bench-web', deltaDays: 1, version: 1 });
  const full = path.join(dir, 'town');
  if (!(existsSync(marker) && (await readFile(marker, 'utf8')) === wanted)) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const t0 = performance.now();
    const r = await synthesize({ residents, seed: 'bench-web', out: full, encoding: 'UTF-8', deltaDays: 1 });
    log(`  合成: 住民.csv ${r.personsCount.toLocaleString('ja-JP')} 行、異動履歴.csv ${r.historyRows.toLocaleString('ja-JP')} 行 (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    await writeFile(marker, wanted);
  }
  const nightlyName = (await readdir(full)).filter((n) => n.startsWith('nightly-')).sort()[0];
  if (!nightlyName) throw new Error(`${full} に夜間パッケージ（nightly-YYYY-MM-DD）がありません`);
  return { full, nightly: path.join(full, nightlyName) };
}

async function processedThroughOf(pkg: string): Promise<string> {
  return (JSON.parse(await readFile(path.join(pkg, 'manifest.json'), 'utf8')) as { processedThrough: string }).processedThrough;
}

interface Home {
  snapshot: { processedThrough: string } | null;
}

/** processedThrough of the snapshot the server serves (GET /api/home); a failure is recorded as an error. */
async function servedSnapshot(c: Client, rec: Recorder): Promise<string | null> {
  try {
    return (await c.json<Home>('GET', '/api/home')).snapshot?.processedThrough ?? null;
  } catch (e) {
    rec.errors.push({ phase: rec.phase, method: 'GET', path: '/api/home', status: e instanceof HttpError ? e.status : undefined, message: (e as Error).message.slice(0, 200) });
    return null;
  }
}

/**
 * Runs the web benchmark in `dir` (synthesised town reused; store and state folder fresh each run).
 * Throws when the setup fails (synthesis, load, user, server start); request errors are counted in
 * the result instead. The server and the nightly load are stopped before it returns.
 * @example const r = await benchWeb('.bench/web', 300_000); if (!webOk(r)) process.exitCode = 1;
 */
export async function benchWeb(dir: string, residents: number, opts: WebBenchOptions = {}): Promise<WebBenchResult> {
  const users = opts.users ?? 20;
  const log = opts.log ?? ((line: string) => console.log(line));
  const { full, nightly } = await town(dir, residents, log);
  const db = path.join(dir, 'store.duckdb');
  const stateDir = path.join(dir, 'state');
  for (const name of await readdir(dir)) if (name.startsWith('store.duckdb')) await rm(path.join(dir, name), { force: true });
  await rm(stateDir, { recursive: true, force: true });

  const loaded = await runNode([juki, 'load', full, '--db', db, '--json'], { timeoutMs: 30 * 60_000 });
  log(`  全件取り込み: ${loaded.seconds.toFixed(1)} s`);
  const password = randomBytes(18).toString('base64url');
  await runNode([juki, 'user', 'add', 'bench', '--role', '個人一覧', '--password-stdin', '--state', stateDir], { input: password, timeoutMs: 60_000 });

  const serverLog = path.join(dir, 'server.log');
  const server = await startServerChild(db, stateDir, serverLog);
  let loadChild: ChildProcess | undefined;
  try {
    log(`  サーバー: ${server.origin}/（pid ${server.pid}）、${users} 人がログイン`);
    const clients = Array.from({ length: users }, () => new Client(server.origin));
    await Promise.all(clients.map((c) => c.login('bench', password)));
    checkCatalogue((await clients[0]!.json<{ extracts: CatalogueEntry[] }>('GET', '/api/euc')).extracts);

    // Phase A: the baseline, nothing else running.
    const baselineSeconds = opts.baselineSeconds ?? 20;
    log(`  A: ${users} 人が ${baselineSeconds} 秒間、表示とダウンロードを繰り返す（取り込みなし）`);
    const recA = new Recorder('A');
    const endA = performance.now() + baselineSeconds * 1000;
    const secondsA = await runUsers(clients, recA, () => performance.now() >= endA);
    const baseline = summarise(`Web ${users}人同時（取り込みなし）`, recA, secondsA, server.peakRssMb());

    // Phase B: the same users while the nightly package is loaded into the served store.
    const before = await servedSnapshot(clients[0]!, recA);
    const expected = await processedThroughOf(nightly);
    const minSeconds = opts.minLoadPhaseSeconds ?? 10;
    log(`  B: 同じ ${users} 人が、夜間パッケージ ${path.basename(nightly)} の取り込みが終わるまで（${minSeconds} 秒以上）繰り返す`);
    const recB = new Recorder('B');
    const startB = performance.now();
    let loadDone = false;
    const nightlyLoad = runNode([juki, 'load', nightly, '--db', db, '--json'], { timeoutMs: 10 * 60_000, onStart: (c) => (loadChild = c) })
      .finally(() => (loadDone = true));
    nightlyLoad.catch(() => {}); // awaited below; avoid an unhandled rejection while the users run
    const secondsB = await runUsers(clients, recB, () => loadDone && performance.now() - startB >= minSeconds * 1000);
    const load = await nightlyLoad;
    log(`  夜間取り込み: ${load.seconds.toFixed(1)} s（最大メモリ ${(load.peakRssMb / 1024).toFixed(2)} GB）`);
    // the server keeps answering from the old snapshot while it prepares the new one: ask until it serves it
    let after = await servedSnapshot(clients[0]!, recB);
    for (let i = 0; i < 60 && after !== expected; i++) {
      await new Promise((r) => setTimeout(r, 500));
      after = await servedSnapshot(clients[0]!, recB);
    }
    const underLoad = summarise(`Web ${users}人同時（夜間取り込み中）`, recB, secondsB, server.peakRssMb());

    return {
      residents, users, baseline, underLoad,
      load: { seconds: load.seconds, peakRssMb: load.peakRssMb },
      snapshot: { before, after, expected, switched: before !== after && after === expected },
      firstErrors: [...recA.errors, ...recB.errors].slice(0, 5),
      serverLog,
    };
  } finally {
    const child = loadChild as ChildProcess | undefined;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await server.stop();
  }
}
