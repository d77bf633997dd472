// `juki load <package> --db <file>`: load a snapshot package, print the load report.
import type { Command } from 'commander';
import { loadPackage } from '../ingest/load.ts';
import { LoadRejected } from '../ingest/problems.ts';
import { formatLoadReport } from '../ingest/report.ts';
import { phaseProgress } from './progress.ts';

export function registerLoadCommand(program: Command): void {
  program
    .command('load')
    .description('スナップショット（フォルダまたは .zip）をストアに取り込む')
    .argument('<package>', 'パッケージのフォルダまたは .zip')
    .requiredOption('--db <file>', 'ストア（DuckDB ファイル。初回は作成）')
    .option('--json', '取り込みレポートを JSON で出力')
    .action(async (source: string, opts: { db: string; json?: boolean }) => {
      const progress = phaseProgress();
      try {
        const report = await loadPackage({ source, db: opts.db, onPhase: progress.update });
        progress.stop();
        console.log(opts.json ? JSON.stringify(report, null, 2) : formatLoadReport(report));
      } catch (e) {
        progress.stop();
        if (e instanceof LoadRejected) {
          console.error(e.message);
          process.exitCode = 2;
          return;
        }
        console.error(`取り込みに失敗しました。ストアは変更していません。\n${(e as Error).message}`);
        process.exitCode = 1;
      }
    });
}
