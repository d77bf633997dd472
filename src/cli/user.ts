// `juki user add|list|passwd|disable|enable`: manage the web application's users in the state
// directory's users.json. Every change is written to the audit log as user '(cli)'. A generated
// password is printed once, when a user is added without --password-stdin; no other password is
// ever printed.
import type { Command } from 'commander';
import { AuditLog, type AuditEvent } from '../audit/log.ts';
import { stateDirOf, statePaths } from '../audit/state-dir.ts';
import { parseRole, rolesHelp } from '../auth/roles.ts';
import { generatePassword, UserError, UserStore } from '../auth/users.ts';

/** Exit codes of the user and audit commands. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The audit log's user for changes made on the command line. */
export const CLI_USER = '(cli)';

export interface StateOpts {
  state?: string;
  db?: string;
}

/**
 * Adds --state and --db (which only locate the state directory) to a command.
 * @example stateOptions(cmd.command('list')).action(...)
 */
export function stateOptions(cmd: Command): Command {
  return cmd
    .option('--state <dir>', '状態フォルダ（users.json・監査ログ。省略時は --db のストアと同じフォルダの juki-state）')
    .option('--db <file>', 'ストア（DuckDB ファイル。--state がないとき状態フォルダの場所を決める）', 'juki.duckdb');
}

/**
 * Makes commander's own usage errors (unknown option, missing argument …) exit with 2 on a command
 * and the subcommands created after this call; --help still exits 0.
 * @example usageExitCode(program.command('user'));
 */
export function usageExitCode(cmd: Command): Command {
  return cmd.exitOverride((err) => {
    process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
  });
}

/** Replaces control characters so that ids from the audit log cannot drive the terminal. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Prints an error and sets the exit code. */
function failWith(code: number, message: string): void {
  console.error(message);
  process.exitCode = code;
}

/** The whole of standard input, without its final line break. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    let value = '';
    process.stderr.write(question);
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    const done = (err?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (data: string) => {
      for (const ch of data) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new Error('中断しました。'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    input.on('data', onData);
  });
}

/** The new password for `passwd`: from stdin, or typed twice on the terminal. */
async function newPassword(fromStdin: boolean): Promise<string | undefined> {
  if (fromStdin) return readStdin();
  if (!process.stdin.isTTY) {
    failWith(EXIT.usage, 'パスワードを入力する端末がありません。--password-stdin を付けて標準入力から渡してください。');
    return undefined;
  }
  const first = await promptHidden('新しいパスワード: ');
  const second = await promptHidden('もう一度: ');
  if (first !== second) {
    failWith(EXIT.usage, '2回の入力が一致しません。パスワードは変更していません。');
    return undefined;
  }
  return first;
}

/** Runs a change and audits it; maps refusals to exit codes and messages. */
async function change(o: StateOpts, work: (users: UserStore) => Promise<{ event: AuditEvent; message: string } | undefined>): Promise<void> {
  const dir = stateDirOf(o);
  let result;
  try {
    result = await work(new UserStore(statePaths(dir).users));
  } catch (e) {
    if (e instanceof UserError) return failWith(e.code === 'invalid' ? EXIT.usage : EXIT.failed, e.message);
    return failWith(EXIT.failed, `利用者を変更できませんでした: ${(e as Error).message}`);
  }
  if (!result) return;
  try {
    await new AuditLog(dir).append({ user: CLI_USER }, result.event);
  } catch (e) {
    console.log(result.message);
    return failWith(EXIT.failed, `変更は済みましたが、監査ログに記録できませんでした: ${(e as Error).message}`);
  }
  console.log(result.message);
}

/** Display width in a terminal (East Asian wide characters count 2). */
function width(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => width(r[i]!))));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - width(c)))).join('  ')).join('\n');
}

/**
 * Registers `juki user add|list|passwd|disable|enable` on a commander program.
 * @example registerUserCommand(program); // juki user add tanaka --role 閲覧者
 */
export function registerUserCommand(program: Command): void {
  const user = usageExitCode(program.command('user')).description('Web 画面の利用者を管理する（追加・一覧・パスワード変更・無効化・有効化）');

  stateOptions(user.command('add')
    .description('利用者を追加する。--password-stdin がなければパスワードを生成し、この時だけ表示する')
    .argument('<id>', '利用者ID（半角英数字と . _ - @）')
    .requiredOption('--role <役割>', `役割: ${rolesHelp()}`)
    .option('--shien', '支援措置閲覧の権限を与える（個人一覧に支援措置対象者を含める）')
    .option('--password-stdin', 'パスワードを標準入力から読む（10 文字以上）'))
    .action(async (id: string, o: StateOpts & { role: string; shien?: boolean; passwordStdin?: boolean }) => {
      const role = parseRole(o.role);
      if (!role) return failWith(EXIT.usage, `役割「${o.role}」はありません。次のいずれかです: ${rolesHelp()}`);
      const generated = o.passwordStdin ? undefined : generatePassword();
      const password = generated ?? (await readStdin());
      await change(o, async (users) => {
        await users.add({ id, role, shien: o.shien ?? false, password });
        const lines = [`利用者「${id}」を追加しました（役割 ${role}、支援措置閲覧 ${o.shien ? 'あり' : 'なし'}）。`];
        if (generated) lines.push(`初期パスワード: ${generated}`, '（このパスワードは今回かぎり表示します。本人に安全な方法で伝え、変更してもらってください。）');
        return { event: { type: 'user.added', target: id, role, shien: o.shien ?? false }, message: lines.join('\n') };
      });
    });

  stateOptions(user.command('list').description('利用者の一覧（パスワードは表示しない）'))
    .action(async (o: StateOpts) => {
      try {
        const list = await new UserStore(statePaths(stateDirOf(o)).users).list();
        if (list.length === 0) {
          console.log('利用者はまだ登録されていません。最初の管理者を juki user add <id> --role 管理者 で追加してください。');
          return;
        }
        console.log(table([
          ['利用者ID', '役割', '支援措置閲覧', '状態', '登録日時'],
          ...list.map((u) => [u.id, u.role, u.shien ? 'あり' : 'なし', u.disabled ? '無効' : '有効', u.createdAt]),
        ]));
      } catch (e) {
        failWith(EXIT.failed, (e as Error).message);
      }
    });

  stateOptions(user.command('passwd')
    .description('パスワードを変更する（端末で2回入力、または --password-stdin）')
    .argument('<id>', '利用者ID')
    .option('--password-stdin', '新しいパスワードを標準入力から読む（10 文字以上）'))
    .action(async (id: string, o: StateOpts & { passwordStdin?: boolean }) => {
      const store = new UserStore(statePaths(stateDirOf(o)).users);
      try {
        if (!(await store.get(id))) return failWith(EXIT.failed, `利用者ID「${id}」は登録されていません。`);
      } catch (e) {
        return failWith(EXIT.failed, (e as Error).message);
      }
      const password = await newPassword(o.passwordStdin ?? false);
      if (password === undefined) return;
      await change(o, async (users) => {
        await users.setPassword(id, password);
        return { event: { type: 'user.password_changed', target: id }, message: `利用者「${id}」のパスワードを変更しました。` };
      });
    });

  for (const [name, disabled] of [['disable', true], ['enable', false]] as const) {
    stateOptions(user.command(name)
      .description(disabled ? '利用者を無効にする（ログインできなくなる。ログイン中なら次の操作で締め出される）' : '無効にした利用者を有効に戻す')
      .argument('<id>', '利用者ID'))
      .action(async (id: string, o: StateOpts) => {
        await change(o, async (users) => {
          const current = await users.get(id);
          if (current && current.disabled === disabled) {
            console.log(`利用者「${id}」はすでに${disabled ? '無効' : '有効'}です。`);
            return undefined;
          }
          await users.setDisabled(id, disabled);
          return {
            event: { type: disabled ? 'user.disabled' : 'user.enabled', target: id },
            message: `利用者「${id}」を${disabled ? '無効' : '有効'}にしました。`,
          };
        });
      });
  }
}
