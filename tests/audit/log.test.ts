// The audit log: the hash chain and audit.head, tamper detection by verifyAudit (changed, deleted
// middle, deleted tail, unreadable line), serialised appends within a process and across processes
// (lock file, stale lock taken over), search and the standard analyses.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFile, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/audit/chain.ts';
import { LockTimeout } from '../../src/audit/files.ts';
import { AuditFilterError, AuditLog, verifyAudit, type AuditEntry, type AuditEvent } from '../../src/audit/log.ts';
import { REPO_ROOT, removeTempDirs, tempDir } from '../helpers/package.ts';

afterAll(removeTempDirs);

const jsonl = (dir: string) => path.join(dir, 'audit.jsonl');
const readLines = async (dir: string) => (await readFile(jsonl(dir), 'utf8')).split('\n').filter(Boolean);
const writeLines = (dir: string, lines: string[]) => writeFile(jsonl(dir), lines.map((l) => `${l}\n`).join(''));

async function logWith(n: number): Promise<{ dir: string; log: AuditLog }> {
  const dir = await tempDir('audit');
  const log = new AuditLog(dir);
  for (let i = 1; i <= n; i++) await log.append({ user: `user${i}`, role: '閲覧者', ip: '10.0.0.1' }, { type: 'login.ok' });
  return { dir, log };
}

/** Runs appends in a separate Node process (as the CLI does beside the server). */
function childAppends(dir: string, n: number, tag: string): Promise<number | null> {
  const code = `const { AuditLog } = await import(${JSON.stringify(path.join(REPO_ROOT, 'src/audit/log.ts'))});
    const log = new AuditLog(${JSON.stringify(dir)});
    for (let i = 0; i < ${n}; i++) await log.append({ user: ${JSON.stringify(tag)} }, { type: 'logout' });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: REPO_ROOT, stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', resolve));
}

describe('the chain', () => {
  it('each entry: seq, JST time, who, event, prev = hash of the entry before, hash = sha256(prev + canonical JSON)', async () => {
    const { dir } = await logWith(3);
    const entries = (await readLines(dir)).map((l) => JSON.parse(l) as AuditEntry);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0]!.prev).toBe('0'.repeat(64));
    for (const [i, e] of entries.entries()) {
      expect(Object.keys(e)).toEqual(['seq', 'at', 'user', 'role', 'ip', 'event', 'prev', 'hash']);
      expect(e.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
      const { hash, ...rest } = e;
      expect(hash).toBe(createHash('sha256').update(e.prev + canonicalJson(rest)).digest('hex'));
      if (i > 0) expect(e.prev).toBe(entries[i - 1]!.hash);
    }
    expect(JSON.parse(await readFile(path.join(dir, 'audit.head'), 'utf8'))).toEqual({ seq: 3, hash: entries[2]!.hash });
    expect((await stat(jsonl(dir))).mode & 0o777).toBe(0o600);
    expect(await verifyAudit(dir)).toEqual({ ok: true, entries: 3 });
  });

  it('canonical JSON sorts keys at every depth and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 'x' }], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[2,{"y":"x","z":1}]},"b":1}');
  });

  it('an empty state directory verifies with 0 entries', async () => {
    expect(await verifyAudit(await tempDir('audit-empty'))).toEqual({ ok: true, entries: 0 });
  });
});

describe('verifyAudit finds tampering', () => {
  it('a changed entry: its line and seq (hash mismatch)', async () => {
    const { dir } = await logWith(4);
    const lines = await readLines(dir);
    lines[1] = lines[1]!.replace('"user2"', '"someone"');
    await writeLines(dir, lines);
    const r = await verifyAudit(dir);
    expect(r).toMatchObject({ ok: false, line: 2, seq: 2, entries: 1 });
    expect(!r.ok && r.message).toMatch(/2 行目（seq 2）.*書き換えられています/);
  });

  it('a changed entry whose hash was recomputed breaks the link to the next one', async () => {
    const { dir } = await logWith(4);
    const lines = await readLines(dir);
    const e = JSON.parse(lines[1]!) as AuditEntry;
    e.user = 'someone';
    const { hash: _, ...rest } = e;
    e.hash = createHash('sha256').update(e.prev + canonicalJson(rest)).digest('hex');
    lines[1] = JSON.stringify(e);
    await writeLines(dir, lines);
    expect(await verifyAudit(dir)).toMatchObject({ ok: false, line: 3, seq: 3, message: expect.stringMatching(/つながっていません/) });
  });

  it('a deleted entry in the middle: the seq gap at the next line', async () => {
    const { dir } = await logWith(5);
    const lines = await readLines(dir);
    lines.splice(2, 2);
    await writeLines(dir, lines);
    const r = await verifyAudit(dir);
    expect(r).toMatchObject({ ok: false, line: 3, seq: 5, entries: 2 });
    expect(!r.ok && r.message).toMatch(/3 行目（seq 5）.*seq 3〜4.*削除/);
  });

  it('a deleted tail: audit.head is further on', async () => {
    const { dir } = await logWith(5);
    await writeLines(dir, (await readLines(dir)).slice(0, 3));
    const r = await verifyAudit(dir);
    expect(r).toMatchObject({ ok: false, line: 4, seq: 4, entries: 3 });
    expect(!r.ok && r.message).toMatch(/4 行目（seq 4）.*末尾の記録（seq 4〜5）がありません/);
  });

  it('a deleted log file or head', async () => {
    const { dir } = await logWith(2);
    await rm(path.join(dir, 'audit.head'));
    expect(await verifyAudit(dir)).toMatchObject({ ok: false, line: 3, message: expect.stringMatching(/audit\.head がありません/) });
    const other = await logWith(2);
    await rm(jsonl(other.dir));
    expect(await verifyAudit(other.dir)).toMatchObject({ ok: false, line: 1, seq: 1, message: expect.stringMatching(/audit\.jsonl がありません/) });
  });

  it('the last entry replaced with a self-consistent one: head mismatch', async () => {
    const { dir } = await logWith(3);
    const lines = await readLines(dir);
    const e = JSON.parse(lines[2]!) as AuditEntry;
    e.ip = '192.168.0.9';
    const { hash: _, ...rest } = e;
    e.hash = createHash('sha256').update(e.prev + canonicalJson(rest)).digest('hex');
    lines[2] = JSON.stringify(e);
    await writeLines(dir, lines);
    expect(await verifyAudit(dir)).toMatchObject({ ok: false, line: 3, seq: 3, message: expect.stringMatching(/一致しません/) });
  });

  it('an unreadable line: its line number', async () => {
    const { dir } = await logWith(3);
    const lines = await readLines(dir);
    lines.splice(1, 0, 'not json');
    await writeLines(dir, lines);
    const r = await verifyAudit(dir);
    expect(r).toMatchObject({ ok: false, line: 2, entries: 1 });
    expect(!r.ok && r.message).toMatch(/2 行目: 記録として読めません/);
  });

  it('a line cut short by a crash is reported; the next append starts a new line and chains on', async () => {
    const { dir, log } = await logWith(2);
    await appendFile(jsonl(dir), '{"seq":3,"at":"2024-');
    const e = await log.append({ user: 'x' }, { type: 'logout' });
    expect(e.seq).toBe(3);
    const lines = await readLines(dir);
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[3]!).seq).toBe(3);
    expect(await verifyAudit(dir)).toMatchObject({ ok: false, line: 3 });
  });

  it('a crash between the append and audit.head: reported, and the next append repairs the head', async () => {
    const { dir, log } = await logWith(2);
    const oldHead = await readFile(path.join(dir, 'audit.head'), 'utf8');
    await log.append({ user: 'x' }, { type: 'logout' });
    await writeFile(path.join(dir, 'audit.head'), oldHead);
    expect(await verifyAudit(dir)).toMatchObject({ ok: false, line: 3, seq: 3 });
    await log.append({ user: 'x' }, { type: 'logout' });
    expect(await verifyAudit(dir)).toEqual({ ok: true, entries: 4 });
  });

  it('appends after a deleted tail chain on from audit.head, so the gap stays visible', async () => {
    const { dir, log } = await logWith(4);
    await writeLines(dir, (await readLines(dir)).slice(0, 2));
    const e = await log.append({ user: 'x' }, { type: 'logout' });
    expect(e.seq).toBe(5);
    expect(await verifyAudit(dir)).toMatchObject({ ok: false, line: 3, seq: 5, message: expect.stringMatching(/seq 3〜4/) });
  });
});

describe('serialised appends', () => {
  it('many concurrent appends in one process, from two AuditLog objects, form one chain', async () => {
    const dir = await tempDir('audit-concurrent');
    const a = new AuditLog(dir);
    const b = new AuditLog(dir);
    const done = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).append({ user: `u${i}` }, { type: 'logout' })));
    expect(done.map((e) => e.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await verifyAudit(dir)).toEqual({ ok: true, entries: 40 });
  });

  it('appends from several processes at once form one chain', async () => {
    const dir = await tempDir('audit-processes');
    const log = new AuditLog(dir);
    const parent = (async () => {
      for (let i = 0; i < 20; i++) await log.append({ user: 'parent' }, { type: 'logout' });
    })();
    const codes = await Promise.all([childAppends(dir, 20, 'child-a'), childAppends(dir, 20, 'child-b'), parent.then(() => 0)]);
    expect(codes).toEqual([0, 0, 0]);
    expect(await verifyAudit(dir)).toEqual({ ok: true, entries: 60 });
    const users = (await readLines(dir)).map((l) => JSON.parse(l).user as string);
    for (const u of ['parent', 'child-a', 'child-b']) expect(users.filter((x) => x === u)).toHaveLength(20);
  });

  it('a lock left by a dead process is taken over; a live holder is waited for, then LockTimeout', async () => {
    const dir = await tempDir('audit-lock');
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    await writeFile(path.join(dir, 'audit.lock'), `${dead.pid}:gone`);
    const log = new AuditLog(dir, { lockTimeoutMs: 2000 });
    expect((await log.append({ user: 'x' }, { type: 'logout' })).seq).toBe(1);
    await expect(stat(path.join(dir, 'audit.lock'))).rejects.toThrow();

    await writeFile(path.join(dir, 'audit.lock'), `${process.pid}:someone-else`);
    const impatient = new AuditLog(dir, { lockTimeoutMs: 300 });
    await expect(impatient.append({ user: 'x' }, { type: 'logout' })).rejects.toBeInstanceOf(LockTimeout);
    const patient = new AuditLog(dir, { lockTimeoutMs: 3000 });
    const waiting = patient.append({ user: 'x' }, { type: 'logout' });
    setTimeout(() => void rm(path.join(dir, 'audit.lock')), 200);
    expect((await waiting).seq).toBe(2);
    expect(await verifyAudit(dir)).toEqual({ ok: true, entries: 2 });
  });
});

describe('search and analyses', () => {
  /** A log whose entries are stamped with the given JST times. */
  async function logAt(items: [string, { user: string; role?: string }, AuditEvent][]): Promise<AuditLog> {
    const dir = await tempDir('audit-analyses');
    let next = new Date();
    const log = new AuditLog(dir, { now: () => next });
    for (const [at, who, event] of items) {
      next = new Date(`${at}+09:00`);
      await log.append(who, event);
    }
    return log;
  }
  const tanaka = { user: 'tanaka', role: '個人一覧' };
  const dl = (rows: number, persons?: number): AuditEvent => ({ type: 'extract.downloaded', extract: '10', format: 'csv', params: {}, purpose: '確認', rows, bytes: 100, persons });

  it('search: by period (whole JST days), user and type or type group; newest first; limit', async () => {
    const log = await logAt([
      ['2024-03-31T23:59:59', tanaka, { type: 'login.ok' }],
      ['2024-04-01T00:00:00', tanaka, { type: 'login.ok' }],
      ['2024-04-15T12:00:00', { user: 'suzuki' }, { type: 'login.failed', reason: 'password' }],
      ['2024-04-30T23:59:59', tanaka, dl(10)],
      ['2024-05-01T00:00:00', tanaka, { type: 'logout' }],
    ]);
    const seqs = (es: AuditEntry[]) => es.map((e) => e.seq);
    expect(seqs(await log.search({ from: '2024-04-01', to: '2024-04-30' }))).toEqual([4, 3, 2]);
    expect(seqs(await log.search({ user: 'tanaka' }))).toEqual([5, 4, 2, 1]);
    expect(seqs(await log.search({ type: 'login' }))).toEqual([3, 2, 1]);
    expect(seqs(await log.search({ type: 'login.failed' }))).toEqual([3]);
    expect(seqs(await log.search({ limit: 2 }))).toEqual([5, 4]);
    expect(seqs(await log.search({ from: '2024-04-15T12:00', to: '2024-04-30T23:59:59' }))).toEqual([4, 3]);
    await expect(log.search({ type: 'delete' })).rejects.toBeInstanceOf(AuditFilterError);
    await expect(log.search({ from: '2024-02-30' })).rejects.toThrow(/日付/);
    await expect(log.search({ to: 'yesterday' })).rejects.toThrow(/YYYY-MM-DD/);
  });

  it('analyses: late night (22:00–06:00 JST), holidays (土日・祝日・振替休日), failed logins by user, large extractions', async () => {
    const log = await logAt([
      ['2024-09-20T10:00:00', tanaka, { type: 'login.ok' }], // Friday daytime: nothing
      ['2024-09-20T22:00:00', tanaka, dl(10)], // late night
      ['2024-09-21T05:59:59', tanaka, dl(10)], // late night, Saturday
      ['2024-09-23T14:00:00', tanaka, dl(10)], // 振替休日 (秋分の日 on Sunday)
      ['2024-09-24T06:00:00', tanaka, dl(10)], // Tuesday 6:00: nothing
      ['2024-09-24T09:00:00', { user: 'suzuki' }, { type: 'login.failed', reason: 'password' }],
      ['2024-09-24T09:01:00', { user: 'ghost' }, { type: 'login.failed', reason: 'unknown_user' }],
      ['2024-09-24T09:02:00', { user: 'suzuki' }, { type: 'login.failed', reason: 'password' }],
      ['2024-09-24T10:00:00', tanaka, dl(100_000)], // large by rows
      ['2024-09-24T10:01:00', tanaka, { type: 'extract.previewed', extract: '11', params: {}, purpose: '確認', rows: 100, persons: 1000 }], // large by persons
      ['2024-09-24T10:02:00', tanaka, dl(99_999, 999)], // just below both
      ['2024-11-04T10:00:00', tanaka, { type: 'login.ok' }], // 振替休日 (文化の日 on Sunday)
    ]);
    const a = await log.analyses();
    expect(a.lateNight.map((e) => e.seq)).toEqual([3, 2]);
    expect(a.holiday.map((e) => e.seq)).toEqual([12, 4, 3]);
    expect(a.failedLogins).toEqual([
      { user: 'suzuki', count: 2, last: '2024-09-24T09:02:00+09:00' },
      { user: 'ghost', count: 1, last: '2024-09-24T09:01:00+09:00' },
    ]);
    expect(a.largeExtractions.map((e) => e.seq)).toEqual([10, 9]);
  });
});
