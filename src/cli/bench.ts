// `juki bench` (npm run bench): performance figures at designated-city scale, each beside a
// baseline measured in the same run, as a ratio, with peak memory.
import path from 'node:path';
import type { Command } from 'commander';
import { benchIngest, type BenchRow } from '../bench/ingest.ts';
import { baselineLoad } from '../bench/baseline.ts';
import { timeReports } from '../bench/reports.ts';

const HEADER = '| 測定 | 時間 | 基準 | 比 | 目標 | 最大メモリ | 判定 |\n|---|---:|---:|---:|---|---:|---|';

function tableRow(r: BenchRow): string {
  if (r.error) return `| ${r.name} | 失敗 | — | — | ${r.target} | — | 失敗: ${r.error} |`;
  const ratio = r.baselineSeconds ? `${(r.seconds / r.baselineSeconds).toFixed(2)}×` : '—';
  const base = r.baselineSeconds ? `${r.baselineSeconds.toFixed(1)} s` : '—';
  return `| ${r.name} | ${r.seconds.toFixed(1)} s | ${base} | ${ratio} | ${r.target} | ${(r.peakRssMb / 1024).toFixed(2)} GB | ${r.ok ? 'OK' : '未達'} |`;
}

export function registerBenchCommands(program: Command): void {
  program
    .command('bench')
    .description('性能測定（政令市規模の合成データ）')
    .option('--residents <n>', '住民数', '3800000')
    .option('--dir <dir>', '作業フォルダ（合成パッケージは再利用）', '.bench')
    .action(async (o: { residents: string; dir: string }) => {
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
    });
  program
    .command('bench-reports', { hidden: true })
    .requiredOption('--db <file>')
    .requiredOption('--year <Y>')
    .action(async (o: { db: string; year: string }) => {
      console.log(JSON.stringify(await timeReports(o.db, Number(o.year))));
    });
  program
    .command('bench-baseline', { hidden: true })
    .argument('<package>')
    .requiredOption('--db <file>')
    .action(async (pkg: string, o: { db: string }) => baselineLoad(pkg, o.db));
}
