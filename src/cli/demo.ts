// `juki demo`: the README's first command — synthesise a town, load it, print the load report, and
// write the 年報 and the 定期報告 for it.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { synthesize } from '../synth/index.ts';
import { loadPackage } from '../ingest/load.ts';
import { formatLoadReport } from '../ingest/report.ts';
import { phaseProgress } from './progress.ts';
import { formatChecks, runNenpo } from '../reports/nenpo/index.ts';
import { runZairyu } from '../reports/zairyu/index.ts';

export interface DemoOptions {
  dir: string;
  residents: number;
  seed: string;
}

/** Builds the demo town from scratch in `dir` and returns the store path. */
export async function runDemo(opts: DemoOptions): Promise<string> {
  const pkg = path.join(opts.dir, 'package');
  const db = path.join(opts.dir, 'juki.duckdb');
  await rm(pkg, { recursive: true, force: true });
  await rm(db, { force: true });
  console.log(`合成の町（約 ${opts.residents.toLocaleString('ja-JP')} 人、seed ${opts.seed}）を ${pkg} に作成しています…`);
  const town = await synthesize({ residents: opts.residents, seed: opts.seed, out: pkg });
  console.log(`${town.municipalityName}（${town.municipalityCode}）: 住民.csv ${town.personsCount.toLocaleString('ja-JP')} 行、異動履歴.csv ${town.historyRows.toLocaleString('ja-JP')} 行`);
  console.log(`ストア ${db} に取り込んでいます…`);
  const progress = phaseProgress();
  const report = await loadPackage({ source: pkg, db, onPhase: progress.update });
  progress.stop();
  console.log(formatLoadReport(report));

  // The 年報 the snapshot completes (基準日 = the January 1st after processedThrough) and the last
  // complete fiscal year's 定期報告.
  const year = Number(report.processedThrough.slice(0, 4)) + 1;
  const nenpoDir = path.join(opts.dir, 'reports', `年報_${year}`);
  const nenpo = await runNenpo({ db, year, outDir: nenpoDir, formats: ['csv', 'xlsx'], bom: true });
  console.log(`\n年報（${year}年1月1日）: ${path.resolve(nenpoDir)}`);
  for (const line of formatChecks(nenpo.checks)) console.log(`  ${line}`);
  const zairyuDir = path.join(opts.dir, 'reports', '定期報告');
  const zairyu = await runZairyu({ db, outDir: zairyuDir, formats: ['csv', 'xlsx'], bom: true });
  console.log(`定期報告（${zairyu.period.from}〜${zairyu.period.to}）: ${path.resolve(zairyuDir)}`);
  return db;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('デモ: 合成の町を作り、取り込み、結果を表示する')
    .option('--dir <dir>', '作業フォルダ', 'demo')
    .option('--residents <n>', '住民数', '20000')
    .option('--seed <s>', '乱数の種', '1')
    .action(async (o: { dir: string; residents: string; seed: string }) => {
      await runDemo({ dir: o.dir, residents: Number(o.residents), seed: o.seed });
    });
}
