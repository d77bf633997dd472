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
import { UserStore, generatePassword } from '../auth/users.ts';
import { AuditLog } from '../audit/log.ts';
import { startServer } from '../server/serve.ts';
import { closeOnSignal } from './serve.ts';

export interface DemoOptions {
  dir: string;
  residents: number;
  seed: string;
}

/** The demo's first login: a fresh state folder with one 管理者 whose password is made up now. */
export async function demoFirstLogin(stateDir: string): Promise<{ id: string; password: string }> {
  await rm(stateDir, { recursive: true, force: true });
  const id = 'admin';
  const password = generatePassword();
  await new UserStore(path.join(stateDir, 'users.json')).add({ id, role: '管理者', password });
  await new AuditLog(stateDir).append({ user: '(cli)' }, { type: 'user.added', target: id, role: '管理者' });
  return { id, password };
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
    .option('--port <n>', 'Web 画面のポート番号', '8787')
    .option('--no-serve', '最後に Web 画面を起動しない')
    .action(async (o: { dir: string; residents: string; seed: string; port: string; serve: boolean }) => {
      const db = await runDemo({ dir: o.dir, residents: Number(o.residents), seed: o.seed });
      if (!o.serve) return;
      const stateDir = path.join(o.dir, 'juki-state');
      const login = await demoFirstLogin(stateDir);
      const server = await startServer({ db: path.resolve(db), stateDir, port: Number(o.port) });
      console.log(`\nWeb 画面: ${server.url}`);
      console.log(`最初のログイン: 利用者ID ${login.id} / パスワード ${login.password}（管理者。利用者の追加は画面の「利用者」から）`);
      console.log('Ctrl-C で終了します。');
      await closeOnSignal(server);
    });
}
