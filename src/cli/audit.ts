// `juki audit verify|show`: check the audit log's hash chain (exit 1 naming the line and seq of the
// first changed, missing or unreadable entry) and list entries by period, user and event type.
// Showing the log is itself audited (audit.viewed, user '(cli)').
import type { Command } from 'commander';
import { canonicalJson } from '../audit/chain.ts';
import { AuditFilterError, AuditLog, verifyAudit, type AuditEntry } from '../audit/log.ts';
import { stateDirOf } from '../audit/state-dir.ts';
import { CLI_USER, EXIT, printable, stateOptions, usageExitCode, type StateOpts } from './user.ts';

const SHOW_LIMIT = 1000;

/**
 * One entry as a tab-separated line: seq, time, user, role, ip, type, the rest of the event as JSON.
 * @example formatEntry(entry) // '12\t2024-04-01T09:00:00+09:00\ttanaka\t閲覧者\t10.0.0.5\tlogin.ok\t'
 */
export function formatEntry(e: AuditEntry): string {
  const { type, ...rest } = e.event;
  const detail = Object.keys(rest).length > 0 ? canonicalJson(rest) : '';
  return [String(e.seq), e.at, e.user, e.role ?? '-', e.ip ?? '-', type, detail].map(printable).join('\t');
}

/**
 * Registers `juki audit verify` and `juki audit show` on a commander program.
 * @example registerAuditCommand(program); // juki audit verify --state /srv/juki/juki-state
 */
export function registerAuditCommand(program: Command): void {
  const audit = usageExitCode(program.command('audit')).description('監査ログを検証・表示する');

  stateOptions(audit.command('verify')
    .description('監査ログのハッシュの連鎖を検証する（改ざん・削除があれば最初の箇所の行と seq を示して終了コード 1）'))
    .action(async (o: StateOpts) => {
      const dir = stateDirOf(o);
      try {
        const r = await verifyAudit(dir);
        if (r.ok) {
          console.log(r.entries === 0 ? `監査ログ（${dir}）にはまだ記録がありません。` : `監査ログは正常です（${r.entries} 件、連鎖と末尾を確認しました）。`);
          return;
        }
        console.error(`監査ログに問題があります（最初の箇所のみ表示。それより前の ${r.entries} 件は正常）:\n${r.message}`);
        process.exitCode = EXIT.failed;
      } catch (e) {
        console.error(`監査ログを検証できませんでした: ${(e as Error).message}`);
        process.exitCode = EXIT.failed;
      }
    });

  stateOptions(audit.command('show')
    .description(`監査ログを新しい順に表示する（最大 ${SHOW_LIMIT} 件。タブ区切り: seq、日時、利用者、役割、接続元、種類、内容）`)
    .option('--from <date>', 'この日から（YYYY-MM-DD、または YYYY-MM-DDTHH:MM。日本時間）')
    .option('--to <date>', 'この日まで（その日を含む）')
    .option('--user <id>', '利用者ID（ログイン失敗は入力された ID）')
    .option('--type <type>', '種類（login.failed など。login のように前半だけなら login.* すべて）'))
    .action(async (o: StateOpts & { from?: string; to?: string; user?: string; type?: string }) => {
      const log = new AuditLog(stateDirOf(o));
      const filter: Record<string, string> = {};
      for (const key of ['from', 'to', 'user', 'type'] as const) if (o[key] !== undefined) filter[key] = o[key]!;
      let entries;
      try {
        entries = await log.search({ ...filter, limit: SHOW_LIMIT });
      } catch (e) {
        console.error((e as Error).message);
        process.exitCode = e instanceof AuditFilterError ? EXIT.usage : EXIT.failed;
        return;
      }
      if (entries.length === 0) console.log('該当する記録はありません。');
      else console.log(['seq\t日時\t利用者\t役割\t接続元\t種類\t内容', ...entries.map(formatEntry)].join('\n'));
      if (entries.length === SHOW_LIMIT) console.error(`新しい ${SHOW_LIMIT} 件だけを表示しました。--from / --to で期間を絞ってください。`);
      try {
        await log.append({ user: CLI_USER }, { type: 'audit.viewed', filter });
      } catch (e) {
        console.error(`監査ログの閲覧を記録できませんでした: ${(e as Error).message}`);
        process.exitCode = EXIT.failed;
      }
    });
}
