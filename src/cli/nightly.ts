// `juki nightly <package>`: the nightly chain — load the snapshot, then write the current year's
// 年報 and the current fiscal year's 定期報告 (April to the snapshot's month) into a folder named
// for the snapshot's processedThrough, and append one line to <out>/nightly.log. Any failure is a
// non-zero exit with a clear message (2 rejected package, 3 failed 整合性チェック, 1 anything else).
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { loadPackage, type LoadReport } from '../ingest/load.ts';
import { LoadRejected } from '../ingest/problems.ts';
import { nowJst } from '../reports/common/provenance.ts';
import { runNenpo, formatChecks, type ReportFormat } from '../reports/nenpo/index.ts';
import { runZairyu } from '../reports/zairyu/index.ts';
import { currentFiscalYearToDate } from '../reports/zairyu/period.ts';
import { parseFormats } from './report.ts';

export interface NightlyOptions {
  /** package folder or .zip */
  source: string;
  db: string;
  out: string;
  formats?: ReportFormat[];
  now?: Date;
}

export interface NightlyResult {
  ok: boolean;
  /** 0 ok, 1 error, 2 package rejected, 3 整合性チェック failed */
  exitCode: 0 | 1 | 2 | 3;
  message: string;
  /** the dated folder (out/<processedThrough>) */
  dir?: string;
  steps: { step: string; ok: boolean; ms: number; detail: string }[];
  logLine: string;
}

/** The 年報 year a snapshot completes: the year of the day after processedThrough. */
export function nenpoYearFor(processedThrough: string): number {
  const d = new Date(`${processedThrough}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.getUTCFullYear();
}

async function step<T>(steps: NightlyResult['steps'], name: string, work: () => Promise<T>, detail: (t: T) => string): Promise<T> {
  const t0 = Date.now();
  try {
    const value = await work();
    steps.push({ step: name, ok: true, ms: Date.now() - t0, detail: detail(value) });
    return value;
  } catch (e) {
    steps.push({ step: name, ok: false, ms: Date.now() - t0, detail: (e as Error).message.split('\n')[0]! });
    throw e;
  }
}

/**
 * Runs the nightly chain and appends its line to <out>/nightly.log. Never throws: the result says
 * what failed.
 * @example const r = await runNightly({ source: '/import/2022-01-31', db: 'juki.duckdb', out: '/reports' });
 */
export async function runNightly(opts: NightlyOptions): Promise<NightlyResult> {
  const started = Date.now();
  const steps: NightlyResult['steps'] = [];
  let exitCode: NightlyResult['exitCode'] = 0;
  let message = '';
  let dir: string | undefined;
  try {
    const load: LoadReport = await step(steps, 'load', () => loadPackage({ source: opts.source, db: opts.db }),
      (r) => `${r.status} ${r.municipalityCode} processedThrough=${r.processedThrough} 新規履歴 ${r.historyRowsNew}`);
    dir = path.join(opts.out, load.processedThrough);
    const year = nenpoYearFor(load.processedThrough);
    const nenpo = await step(steps, `nenpo ${year}`, () => runNenpo({ db: opts.db, year, outDir: path.join(dir!, `年報_${year}`), formats: opts.formats, now: opts.now }),
      (r) => `整合性チェック ${r.ok ? 'OK' : 'NG'}`);
    const period = currentFiscalYearToDate(load.processedThrough);
    await step(steps, `zairyu ${period.from}..${period.to}`, () => runZairyu({ db: opts.db, ...period, outDir: path.join(dir!, `定期報告_${period.from}_${period.to}`), formats: opts.formats, now: opts.now }),
      (r) => `${r.files.length} ファイル`);
    if (!nenpo.ok) {
      exitCode = 3;
      message = `年報 ${year} の整合性チェックに不合格があります（報告は作成済み）:\n${formatChecks(nenpo.checks).join('\n')}`;
    } else {
      message = `完了: ${dir}`;
    }
  } catch (e) {
    exitCode = e instanceof LoadRejected ? 2 : 1;
    const failed = steps.at(-1)?.step ?? 'nightly';
    message = `${failed} で失敗しました: ${(e as Error).message}`;
  }
  const total = Date.now() - started;
  const result = exitCode === 0 ? 'OK' : exitCode === 3 ? 'CHECK-NG' : 'FAILED';
  const logLine = [
    nowJst(opts.now), 'nightly', `package=${opts.source}`, `result=${result}`,
    steps.map((s) => `${s.step}:${s.ok ? 'ok' : 'failed'}:${(s.ms / 1000).toFixed(1)}s(${s.detail.replace(/[\t\r\n]/g, ' ')})`).join(' '),
    `total=${(total / 1000).toFixed(1)}s`, `out=${dir ?? '-'}`,
  ].join('\t');
  try {
    await mkdir(opts.out, { recursive: true });
    await appendFile(path.join(opts.out, 'nightly.log'), `${logLine}\n`);
  } catch (e) {
    exitCode = exitCode === 0 ? 1 : exitCode;
    message += `\n実行ログ ${path.join(opts.out, 'nightly.log')} に書けません: ${(e as Error).message}`;
  }
  return { ok: exitCode === 0, exitCode, message, dir, steps, logLine };
}

/**
 * Registers `juki nightly <package> --db <file> --out <dir>` on a commander program.
 * @example registerNightlyCommand(program);
 */
export function registerNightlyCommand(program: Command): void {
  program
    .command('nightly')
    .description('夜間処理: スナップショットを取り込み、今年の年報と今年度の定期報告を <out>/<processedThrough>/ に書き、<out>/nightly.log に1行追記する')
    .argument('<package>', 'パッケージのフォルダまたは .zip')
    .requiredOption('--db <file>', 'ストア（DuckDB ファイル）')
    .requiredOption('--out <dir>', '出力フォルダ')
    .option('--format <list>', '出力形式 csv,xlsx', parseFormats, ['csv', 'xlsx'] as ReportFormat[])
    .action(async (source: string, o: { db: string; out: string; format: ReportFormat[] }) => {
      const r = await runNightly({ source, db: o.db, out: o.out, formats: o.format });
      (r.ok ? console.log : console.error)(r.message);
      process.exitCode = r.exitCode;
    });
}
