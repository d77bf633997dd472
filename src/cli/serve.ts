// `juki serve`: the web UI over a store, until interrupted (Ctrl-C). Listens on loopback unless
// --host says otherwise; the state folder holds users, the audit log and pending downloads.
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { startServer, type RunningServer } from '../server/serve.ts';
import { stateDirOf } from '../audit/state-dir.ts';

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`--port は 0〜65535 の整数です: ${value}`);
  return n;
}

/** Keeps serving until SIGINT/SIGTERM, then closes the server and the store. */
export function closeOnSignal(server: RunningServer): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Web 画面を起動する（統計・EUC・監査ログ）')
    .requiredOption('--db <file>', 'ストアのファイル')
    .option('--port <n>', 'ポート番号', parsePort, 8787)
    .option('--host <addr>', '待ち受けるアドレス（庁内ネットワークに公開するときは 0.0.0.0）', '127.0.0.1')
    .option('--state <dir>', '利用者・監査ログ・ダウンロードの保存先（既定: ストアと同じフォルダの juki-state）')
    .action(async (o: { db: string; port: number; host: string; state?: string }) => {
      const stateDir = stateDirOf({ state: o.state, db: o.db });
      const server = await startServer({ db: path.resolve(o.db), stateDir, port: o.port, host: o.host });
      const users = await server.deps.users.list();
      console.log(`juki-stats を ${server.url} で公開しています（ストア ${o.db}、状態 ${stateDir}）。Ctrl-C で終了します。`);
      if (users.length === 0) console.log(`利用者がいません。先に juki user add <ID> --role 管理者 --state ${stateDir} で最初の管理者を作ってください。`);
      await closeOnSignal(server);
    });
}
