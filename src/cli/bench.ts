// `juki bench` (npm run bench): performance figures at designated-city scale, each beside a
// baseline measured in the same run, as a ratio, with peak memory. Three parts, run in this order
// unless --only picks one: ingest (loads and reports), euc (the wizard's count, XLSX and CSV on the
// ingest part's store) and web (20 concurrent users during a load).
import path from 'node:path';
import { Option, type Command } from 'commander';
import { benchIngest, type BenchRow } from '../bench/ingest.ts';
import { benchWeb, P95_LIMIT, webOk, type WebBenchResult, type WebPhase } from '../bench/web.ts';
import { baselineLoad } from '../bench/baseline.ts';
import { EUC_CASES, EUC_RUNS, benchEuc, eucStep, planEuc, type EucCase } from '../bench/euc.ts';
import { timeReports } from '../bench/reports.ts';

const HEADER = '| 測定 | 時間 | 基準 | 比 | 目標 | 最大メモリ | 判定 |\n|---|---:|---:|---:|---|---:|---|';

function tableRow(r: BenchRow): string {
  if (r.error) return `| ${r.name} | 失敗 | — | — | ${r.target} | — | 失敗: ${r.error} |`;
  const ratio = r.baselineSeconds ? `${(r.seconds / r.baselineSeconds).toFixed(2)}×` : '—';
  const base = r.baselineSeconds ? `${r.baselineSeconds.toFixed(1)} s` : '—';
  return `| ${r.name} | ${r.seconds.toFixed(1)} s | ${base} | ${ratio} | ${r.target} | ${(r.peakRssMb / 1024).toFixed(2)} GB | ${r.ok ? 'OK' : '未達'} |`;
}

const WEB_HEADER = '| 測定 | 要求数 | スループット | p50 | p95 | p95 比 | 目標 | エラー | サーバー最大メモリ | 判定 |\n|---|---:|---:|---:|---:|---:|---|---:|---:|---|';
const WEB_TARGET = `エラー 0、p95 ≤ ${P95_LIMIT}× 基準`;

/** A figure, or '—' when there is none (no successful request, server gone). */
const fig = (v: number, text: (v: number) => string): string => (Number.isFinite(v) && v > 0 ? text(v) : '—');
const ms = (v: number): string => fig(v, (x) => `${x.toFixed(0)} ms`);

function webRow(p: WebPhase, verdict: boolean, baseline?: WebPhase): string {
  const ratio = baseline ? fig(p.p95Ms / baseline.p95Ms, (x) => `${x.toFixed(2)}×`) : '（基準）';
  const memory = fig(p.serverPeakRssMb, (x) => `${(x / 1024).toFixed(2)} GB`);
  return `| ${p.name} | ${p.requests.toLocaleString('ja-JP')} | ${p.throughput.toFixed(1)} 件/s | ${ms(p.p50Ms)} | ${ms(p.p95Ms)} | ${ratio} | ${baseline ? WEB_TARGET : 'エラー 0'} | ${p.errors} | ${memory} | ${verdict ? 'OK' : '未達'} |`;
}

/** The web part's table, the per-operation p50/p95 and the notes, as printed. */
function webReport(r: WebBenchResult): string[] {
  const lines = [WEB_HEADER, webRow(r.baseline, r.baseline.errors === 0), webRow(r.underLoad, webOk(r), r.baseline), ''];
  lines.push('| 操作 | 要求数 A | p50 A | p95 A | 要求数 B | p50 B | p95 B |', '|---|---:|---:|---:|---:|---:|---:|');
  for (const a of r.baseline.perOp) {
    const b = r.underLoad.perOp.find((x) => x.op === a.op);
    lines.push(`| ${a.op} | ${a.requests} | ${ms(a.p50Ms)} | ${ms(a.p95Ms)} | ${b?.requests ?? 0} | ${b ? ms(b.p50Ms) : '—'} | ${b ? ms(b.p95Ms) : '—'} |`);
  }
  lines.push('');
  lines.push(`夜間取り込み: ${r.load.seconds.toFixed(1)} s、最大メモリ ${(r.load.peakRssMb / 1024).toFixed(2)} GB。表示中のスナップショット: ${r.snapshot.before ?? '（なし）'} 処理分 → ${r.snapshot.after ?? '（なし）'} 処理分（${r.snapshot.switched ? '切り替わった' : `切り替わらなかった。期待値 ${r.snapshot.expected}`}）。`);
  lines.push(`基準 = 同じ実行で、取り込みなしに同じ ${r.users} 人が ${r.baseline.seconds.toFixed(0)} 秒間行った同じ操作。要求数はグラフ・ダウンロードを含む HTTP 要求の数、p50/p95 は要求ごとの応答時間（本文を読み終えるまで）。サーバー最大メモリは juki serve の VmHWM（起動からの累積）。`);
  const errors = r.baseline.errors + r.underLoad.errors;
  if (errors > 0) {
    lines.push(`エラー ${errors} 件（最初の ${r.firstErrors.length} 件。サーバーのログ: ${r.serverLog}）:`);
    for (const e of r.firstErrors) lines.push(`  ${e.phase}: ${e.method} ${e.path} → ${e.status ?? '通信エラー'} ${e.message}`);
  }
  return lines;
}

export function registerBenchCommands(program: Command): void {
  program
    .command('bench')
    .description('性能測定（政令市規模の合成データ）: 取り込み・帳票、EUC（ウィザード）と、Web 20 人同時利用')
    .option('--residents <n>', '取り込みの測定の住民数', '3800000')
    .option('--web-residents <n>', 'Web の測定の住民数', '300000')
    .addOption(new Option('--only <part>', 'この部分だけ測る').choices(['ingest', 'euc', 'web']))
    .option('--dir <dir>', '作業フォルダ（合成パッケージは再利用）', '.bench')
    .action(async (o: { residents: string; webResidents: string; only?: 'ingest' | 'euc' | 'web'; dir: string }) => {
      if (o.only === undefined || o.only === 'ingest') {
        const residents = Number(o.residents);
        console.log(`取り込みの測定: ${residents.toLocaleString('ja-JP')} 人、作業フォルダ ${path.resolve(o.dir)}`);
        let first = true;
        const rows = await benchIngest(path.resolve(o.dir), residents, (row) => {
          if (first) console.log(HEADER);
          first = false;
          console.log(tableRow(row));
        });
        if (rows.some((r) => r.error)) process.exitCode = 1;
        console.log('基準 = 同じ実行で測った DuckDB 自身の read_csv（UTF-8、型指定）による同じファイルの取り込み。最大メモリは取り込みプロセスの VmHWM。');
      }
      if (o.only === undefined || o.only === 'euc') {
        if (o.only === undefined) console.log('');
        console.log(`EUC（ウィザード）の測定: 作業フォルダ ${path.resolve(o.dir)}`);
        try {
          let first = true;
          const r = await benchEuc(path.resolve(o.dir), Number(o.residents), (row) => {
            if (first) console.log(HEADER);
            first = false;
            console.log(tableRow(row));
          });
          if (r.rows.some((row) => row.error)) process.exitCode = 1;
          console.log(`時間 = 定義の翻訳と実行（件数: previewSpec で表示用の先頭 100 行と総行数、個人一覧: writeSpecFile でファイルの書き出し。XLSX は先に件数を数える）。ストアを開く時間は含まない。基準と交互に ${EUC_RUNS} 回ずつ測った速い方。`);
          console.log('基準 = 同じ実行で、同じ翻訳済みの SQL と同じ値で DuckDB 自身が COPY (…) TO \'….csv\' (FORMAT CSV, HEADER) した時間。最大メモリは測定ごとの子プロセスの VmHWM。');
          for (const note of r.notes) console.log(`  ${note}`);
        } catch (e) {
          console.log(`EUC の測定に失敗しました: ${(e as Error).message.split('\n').slice(0, 4).join(' ')}`);
          process.exitCode = 1;
        }
      }
      if (o.only === undefined || o.only === 'web') {
        const residents = Number(o.webResidents);
        const dir = path.resolve(o.dir, 'web');
        if (o.only === undefined) console.log('');
        console.log(`Web の測定: ${residents.toLocaleString('ja-JP')} 人、作業フォルダ ${dir}（127.0.0.1 のみ）`);
        try {
          const r = await benchWeb(dir, residents);
          for (const line of webReport(r)) console.log(line);
          if (r.baseline.errors + r.underLoad.errors > 0 || !r.snapshot.switched) process.exitCode = 1;
        } catch (e) {
          console.log(`Web の測定に失敗しました: ${(e as Error).message.split('\n').slice(0, 4).join(' ')}`);
          process.exitCode = 1;
        }
      }
    });
  program
    .command('bench-reports', { hidden: true })
    .requiredOption('--db <file>')
    .requiredOption('--year <Y>')
    .action(async (o: { db: string; year: string }) => {
      console.log(JSON.stringify(await timeReports(o.db, Number(o.year))));
    });
  program
    .command('bench-euc-one', { hidden: true })
    .requiredOption('--db <file>')
    .addOption(new Option('--step <step>').choices(['plan', ...EUC_CASES]).makeOptionMandatory())
    .option('--ages <from-to>', '個人一覧の年齢の範囲')
    .option('--out <file>', '書き出すファイル')
    .option('--baseline', 'DuckDB の COPY（基準）を測る')
    .action(async (o: { db: string; step: 'plan' | EucCase; ages?: string; out?: string; baseline?: boolean }) => {
      if (o.step === 'plan') {
        console.log(JSON.stringify(await planEuc(o.db)));
        return;
      }
      const m = o.ages === undefined ? undefined : /^(\d+)-(\d+)$/.exec(o.ages);
      if (o.ages !== undefined && !m) throw new Error(`--ages は 40-60 の形で指定してください: ${o.ages}`);
      if (!o.out) throw new Error('--out を指定してください');
      const ages = m ? ([Number(m[1]), Number(m[2])] as [number, number]) : undefined;
      console.log(JSON.stringify(await eucStep({ db: o.db, which: o.step, ages, baseline: o.baseline === true, out: o.out })));
    });
  program
    .command('bench-baseline', { hidden: true })
    .argument('<package>')
    .requiredOption('--db <file>')
    .action(async (pkg: string, o: { db: string }) => baselineLoad(pkg, o.db));
}
