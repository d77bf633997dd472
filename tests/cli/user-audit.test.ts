// `juki user …` and `juki audit …` as separate processes, as an administrator runs them: users.json in
// the state directory beside the store (or --state), a generated password printed once and only
// then, exit codes 0 / 1 (failure, broken log) / 2 (bad usage), every change audited as '(cli)'.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, verifyAudit } from '../../src/audit/log.ts';
import { stateDirOf } from '../../src/audit/state-dir.ts';
import { UserStore } from '../../src/auth/users.ts';
import { removeTempDirs, tempDir } from '../helpers/package.ts';
import { juki, type CliRun as Run } from '../helpers/cli.ts';


let db: string;
let state: string;
let users: UserStore;
let adminPassword: string;

beforeAll(async () => {
  db = path.join(await tempDir('cli-users'), 'data', 'juki.duckdb');
  state = path.join(path.dirname(db), 'juki-state');
  users = new UserStore(path.join(state, 'users.json'));
});
afterAll(removeTempDirs);

describe('state directory', () => {
  it('is --state, else juki-state beside --db (default juki.duckdb)', () => {
    expect(stateDirOf({ db: '/srv/juki/juki.duckdb' })).toBe('/srv/juki/juki-state');
    expect(stateDirOf({ state: '/var/lib/juki', db: '/srv/juki/juki.duckdb' })).toBe('/var/lib/juki');
    expect(stateDirOf({})).toBe('juki-state');
  });
});

describe('juki user', () => {
  it('add without a password: generates one, prints it once, stores only its hash; audited as (cli)', async () => {
    const r = await juki(['user', 'add', 'admin', '--role', '管理者', '--db', db]);
    expect(r.status).toBe(0);
    adminPassword = /初期パスワード: (\S+)/.exec(r.stdout)?.[1] ?? '';
    expect(adminPassword).toMatch(/^[A-Za-z2-9]{16}$/);
    expect(r.stdout.split(adminPassword)).toHaveLength(2);
    expect((await users.verify('admin', adminPassword))?.role).toBe('管理者');
    expect(await readFile(users.file, 'utf8')).not.toContain(adminPassword);
    const [entry] = await new AuditLog(state).search({});
    expect(entry).toMatchObject({ seq: 1, user: '(cli)', event: { type: 'user.added', target: 'admin', role: '管理者', shien: false } });
  });

  it('add with --password-stdin, --shien and a romaji role; the password is never printed', async () => {
    const r = await juki(['user', 'add', 'tanaka', '--role', 'persons', '--shien', '--password-stdin', '--db', db], 'tanaka-secret-1\n');
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('tanaka-secret-1');
    expect(await users.verify('tanaka', 'tanaka-secret-1')).toMatchObject({ role: '個人一覧', shien: true });
  });

  it('refuses: an id already taken (1), an unknown role, a missing --role, a weak password, an unknown option (2)', async () => {
    const [dup, role, missing, weak, option] = await Promise.all([
      juki(['user', 'add', 'tanaka', '--role', '閲覧者', '--db', db]),
      juki(['user', 'add', 'suzuki', '--role', 'boss', '--db', db]),
      juki(['user', 'add', 'suzuki', '--db', db]),
      juki(['user', 'add', 'suzuki', '--role', '閲覧者', '--password-stdin', '--db', db], 'short\n'),
      juki(['user', 'add', 'suzuki', '--role', '閲覧者', '--bogus', '--db', db]),
    ]);
    expect([dup.status, role.status, missing.status, weak.status, option.status]).toEqual([1, 2, 2, 2, 2]);
    expect(dup.stderr).toMatch(/すでに登録されています/);
    expect(role.stderr).toMatch(/役割「boss」はありません.*閲覧者（viewer）/);
    expect(weak.stderr).toMatch(/10 文字以上/);
    expect(weak.stderr).not.toContain('short');
    expect((await users.list()).map((u) => u.id)).toEqual(['admin', 'tanaka']);
  });

  it('list: ids, roles, permissions, state — no hashes', async () => {
    const r = await juki(['user', 'list', '--state', state]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/admin\s+管理者\s+なし\s+有効/);
    expect(r.stdout).toMatch(/tanaka\s+個人一覧\s+あり\s+有効/);
    expect(r.stdout).not.toContain('scrypt');
  });

  it('passwd from stdin; without a terminal or --password-stdin it is bad usage; an unknown user fails', async () => {
    const ok = await juki(['user', 'passwd', 'tanaka', '--password-stdin', '--db', db], 'tanaka-secret-2\n');
    expect(ok.status).toBe(0);
    expect(await users.verify('tanaka', 'tanaka-secret-1')).toBeUndefined();
    expect(await users.verify('tanaka', 'tanaka-secret-2')).toBeDefined();
    const [noTty, unknown] = await Promise.all([
      juki(['user', 'passwd', 'tanaka', '--db', db]),
      juki(['user', 'passwd', 'nobody', '--password-stdin', '--db', db], 'whatever-long-1\n'),
    ]);
    expect(noTty.status).toBe(2);
    expect(noTty.stderr).toMatch(/--password-stdin/);
    expect(unknown.status).toBe(1);
  });

  it('disable and enable', async () => {
    expect((await juki(['user', 'disable', 'tanaka', '--db', db])).status).toBe(0);
    expect(await users.verify('tanaka', 'tanaka-secret-2')).toBeUndefined();
    expect((await juki(['user', 'list', '--db', db])).stdout).toMatch(/tanaka\s+個人一覧\s+あり\s+無効/);
    expect((await juki(['user', 'enable', 'tanaka', '--db', db])).status).toBe(0);
    expect(await users.verify('tanaka', 'tanaka-secret-2')).toBeDefined();
    const types = (await new AuditLog(state).search({ user: '(cli)' })).map((e) => `${e.event.type} ${'target' in e.event ? e.event.target : ''}`);
    expect(types).toEqual(['user.enabled tanaka', 'user.disabled tanaka', 'user.password_changed tanaka', 'user.added tanaka', 'user.added admin']);
  });
});

describe('juki audit', () => {
  it('show: filtered by type, user and period, newest first; showing is itself audited', async () => {
    const r = await juki(['audit', 'show', '--type', 'user', '--user', '(cli)', '--from', '2000-01-01', '--to', '2099-12-31', '--db', db]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('seq\t日時\t利用者\t役割\t接続元\t種類\t内容');
    expect(lines.slice(1).map((l) => l.split('\t')[5])).toEqual(['user.enabled', 'user.disabled', 'user.password_changed', 'user.added', 'user.added']);
    expect(lines[4]).toContain('{"role":"個人一覧","shien":true,"target":"tanaka"}');
    const [viewed] = await new AuditLog(state).search({ type: 'audit.viewed' });
    expect(viewed?.event).toEqual({ type: 'audit.viewed', filter: { from: '2000-01-01', to: '2099-12-31', user: '(cli)', type: 'user' } });
    const [badType, badDate] = await Promise.all([
      juki(['audit', 'show', '--type', 'delete', '--db', db]),
      juki(['audit', 'show', '--from', '2024-13-01', '--db', db]),
    ]);
    expect([badType.status, badDate.status]).toEqual([2, 2]);
  });

  it('verify: 0 when intact; 1 naming the line and seq of a changed or deleted entry', async () => {
    const ok = await juki(['audit', 'verify', '--db', db]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/正常です（6 件/);

    const file = path.join(state, 'audit.jsonl');
    const original = await readFile(file, 'utf8');
    const lines = original.trim().split('\n');
    await writeFile(file, `${[lines[0], lines[1]!.replace('"tanaka"', '"tanako"'), ...lines.slice(2)].join('\n')}\n`);
    const changed = await juki(['audit', 'verify', '--state', state]);
    expect(changed.status).toBe(1);
    expect(changed.stderr).toMatch(/2 行目（seq 2）.*書き換えられています/);

    await writeFile(file, `${lines.slice(0, -1).join('\n')}\n`);
    const tail = await juki(['audit', 'verify', '--state', state]);
    expect(tail.status).toBe(1);
    expect(tail.stderr).toMatch(/6 行目（seq 6）.*末尾の記録（seq 6）がありません/);

    await writeFile(file, original);
    expect(await verifyAudit(state)).toEqual({ ok: true, entries: 6 });
  });
});
