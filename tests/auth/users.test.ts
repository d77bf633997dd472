// The user store: scrypt hashes, password policy, users.json written atomically with mode 0600 and
// re-read when another process changed it, login checks that do not reveal which ids exist.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkPassword, generatePassword, hashPassword, PASSWORD_ALPHABET, passwordProblem, UserError, UserStore,
} from '../../src/auth/users.ts';
import { removeTempDirs, tempDir } from '../helpers/package.ts';

afterAll(removeTempDirs);

async function store(): Promise<UserStore> {
  return new UserStore(path.join(await tempDir('users'), 'state', 'users.json'));
}

describe('password hashes', () => {
  it('are scrypt with N=16384 r=8 p=1, a 16-byte salt and a 64-byte key', async () => {
    const hash = await hashPassword('correct horse battery');
    const [kind, N, r, p, salt, key] = hash.split('$');
    expect([kind, N, r, p]).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64')).toHaveLength(64);
    expect(await hashPassword('correct horse battery')).not.toBe(hash); // fresh salt
    expect(await checkPassword('correct horse battery', hash)).toBe(true);
    expect(await checkPassword('correct horse batterY', hash)).toBe(false);
  });

  it('a malformed or absurd stored hash matches nothing', async () => {
    expect(await checkPassword('x', '')).toBe(false);
    expect(await checkPassword('x', 'bcrypt$1$2$3$4$5')).toBe(false);
    const [, , r, p, salt, key] = (await hashPassword('x')).split('$');
    expect(await checkPassword('x', ['scrypt', 2 ** 24, r, p, salt, key].join('$'))).toBe(false);
  });

  it('generated passwords: 16 characters of the unambiguous alphabet, all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const pw = generatePassword();
      expect(pw).toMatch(/^[A-Za-z2-9]{16}$/);
      for (const ch of pw) expect(PASSWORD_ALPHABET).toContain(ch);
      expect(pw).not.toMatch(/[0O1lIio]/);
      seen.add(pw);
    }
    expect(seen.size).toBe(200);
  });

  it('policy: at least 10 characters (counted as characters, not bytes), no control characters', () => {
    expect(passwordProblem('123456789')).toMatch(/10 文字以上/);
    expect(passwordProblem('1234567890')).toBeUndefined();
    expect(passwordProblem('あいうえおかきくけ')).toMatch(/9 文字です/);
    expect(passwordProblem('abcdefghij\n')).toMatch(/制御文字/);
  });
});

describe('UserStore', () => {
  it('adds, lists without hashes, writes users.json atomically with mode 0600', async () => {
    const users = await store();
    expect(await users.list()).toEqual([]);
    await users.add({ id: 'tanaka', role: '閲覧者', password: 'tanaka-pass-1' });
    await users.add({ id: 'admin', role: '管理者', shien: true, password: 'admin-pass-12' });
    const list = await users.list();
    expect(list.map((u) => [u.id, u.role, u.shien, u.disabled])).toEqual([['admin', '管理者', true, false], ['tanaka', '閲覧者', false, false]]);
    expect(JSON.stringify(list)).not.toContain('scrypt');
    expect(list[0]!.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
    expect((await stat(users.file)).mode & 0o777).toBe(0o600);
    const file = JSON.parse(await readFile(users.file, 'utf8'));
    expect(file.version).toBe(1);
    expect(file.users[0].passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(JSON.stringify(file)).not.toContain('tanaka-pass-1');
    // no temp files or lock left behind
    expect((await readdir(path.dirname(users.file))).sort()).toEqual(['users.json']);
  });

  it('refuses a duplicate id, a weak password, a bad id; unknown users for changes', async () => {
    const users = await store();
    await users.add({ id: 'tanaka', role: '閲覧者', password: 'tanaka-pass-1' });
    await expect(users.add({ id: 'tanaka', role: '管理者', password: 'other-pass-12' })).rejects.toThrow(/すでに登録/);
    await expect(users.add({ id: 'suzuki', role: '閲覧者', password: 'short' })).rejects.toThrow(/10 文字以上/);
    await expect(users.add({ id: '../etc', role: '閲覧者', password: 'long-enough-1' })).rejects.toThrow(/使えません/);
    await expect(users.add({ id: '(cli)', role: '閲覧者', password: 'long-enough-1' })).rejects.toBeInstanceOf(UserError);
    await expect(users.setPassword('nobody', 'long-enough-1')).rejects.toThrow(/登録されていません/);
    await expect(users.setPassword('tanaka', 'short')).rejects.toThrow(/10 文字以上/);
    await expect(users.setDisabled('nobody', true)).rejects.toThrow(/登録されていません/);
    expect((await users.list()).map((u) => u.id)).toEqual(['tanaka']);
  });

  it('verify: right password → the user; wrong, unknown or disabled → undefined, with the reason from authenticate', async () => {
    const users = await store();
    await users.add({ id: 'tanaka', role: '個人一覧', password: 'tanaka-pass-1' });
    expect((await users.verify('tanaka', 'tanaka-pass-1'))?.role).toBe('個人一覧');
    expect(await users.verify('tanaka', 'tanaka-pass-2')).toBeUndefined();
    expect(await users.verify('suzuki', 'tanaka-pass-1')).toBeUndefined();
    expect(await users.authenticate('tanaka', 'nope-nope-nope')).toEqual({ ok: false, reason: 'password' });
    expect(await users.authenticate('suzuki', 'nope-nope-nope')).toEqual({ ok: false, reason: 'unknown_user' });
    await users.setDisabled('tanaka', true);
    expect(await users.verify('tanaka', 'tanaka-pass-1')).toBeUndefined();
    expect(await users.authenticate('tanaka', 'tanaka-pass-1')).toEqual({ ok: false, reason: 'disabled' });
    await users.setDisabled('tanaka', false);
    await users.setPassword('tanaka', 'new-password-1');
    expect(await users.verify('tanaka', 'tanaka-pass-1')).toBeUndefined();
    expect((await users.verify('tanaka', 'new-password-1'))?.id).toBe('tanaka');
  });

  it('an unknown user takes about as long as a wrong password (a dummy scrypt runs)', async () => {
    const users = await store();
    await users.add({ id: 'tanaka', role: '閲覧者', password: 'tanaka-pass-1' });
    const time = async (id: string) => {
      const t0 = performance.now();
      await users.verify(id, 'wrong-password');
      return performance.now() - t0;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await time('tanaka'));
      unknown.push(await time('nobody'));
    }
    // Without the dummy the unknown case would take well under a millisecond against ~50 ms.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.3);
  });

  it('sees changes made by another process (another store on the same file)', async () => {
    const a = await store();
    const b = new UserStore(a.file);
    await a.add({ id: 'tanaka', role: '閲覧者', password: 'tanaka-pass-1' });
    expect((await b.get('tanaka'))?.disabled).toBe(false);
    await a.setDisabled('tanaka', true);
    expect((await b.get('tanaka'))?.disabled).toBe(true);
    await b.add({ id: 'suzuki', role: 'EUC担当', password: 'suzuki-pass-1' });
    expect((await a.list()).map((u) => u.id)).toEqual(['suzuki', 'tanaka']);
  });

  it('concurrent changes from two stores lose nothing', async () => {
    const a = await store();
    const b = new UserStore(a.file);
    await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).add({ id: `user${i}`, role: '閲覧者', password: `password-${i}-xyz` })));
    expect((await a.list()).map((u) => u.id)).toEqual(['user0', 'user1', 'user2', 'user3', 'user4', 'user5']);
  });

  it('a corrupted users.json is an error, not an empty user list', async () => {
    const users = await store();
    await users.add({ id: 'tanaka', role: '閲覧者', password: 'tanaka-pass-1' });
    await writeFile(users.file, '{"version":1,"users":[{"id":"x"}]}');
    await expect(users.list()).rejects.toThrow(/壊れています/);
  });
});
