// File helpers for the state directory (users.json, the audit log): a lock file that serialises
// writers across processes (the web server and the CLI), and atomic, durable whole-file writes.
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { processAlive } from '../store/swap.ts';

export class LockTimeout extends Error {}

export interface LockOptions {
  /** give up after this long (default 5 s) */
  timeoutMs?: number;
  /** a lock file still empty after this long was left by a writer that died while creating it */
  emptyStaleMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pid written in a lock file ('<pid>:<token>'), or 0 when unreadable or empty. */
function lockPid(content: string): number {
  const pid = Number(content.split(':')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : 0;
}

/**
 * Takes a stale lock over: moves it aside, and if what was moved is not the stale lock we saw
 * (another process replaced it meanwhile), links it back so its owner keeps it.
 */
async function takeOver(lockFile: string, stale: string): Promise<void> {
  const aside = `${lockFile}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockFile, aside);
  } catch {
    return; // already gone or taken over by someone else
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved !== stale) await link(aside, lockFile).catch(() => {});
  await unlink(aside).catch(() => {});
}

/**
 * Runs `work` while holding `lockFile` (created exclusively, holding '<pid>:<token>'). A lock left by
 * a process that no longer runs is taken over; a live holder is waited for, with short sleeps, up
 * to `timeoutMs` (then LockTimeout). The lock is removed afterwards, also when `work` throws.
 * @example await withFileLock('/srv/juki-state/audit.lock', async () => { ... });
 */
export async function withFileLock<T>(lockFile: string, work: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const emptyStaleMs = opts.emptyStaleMs ?? 10_000;
  const token = `${process.pid}:${randomBytes(8).toString('hex')}`;
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockFile, 'wx', 0o600);
      try {
        await handle.writeFile(token);
      } finally {
        await handle.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const content = await readFile(lockFile, 'utf8').catch(() => undefined);
    if (content !== undefined) {
      const pid = lockPid(content);
      if (pid && !processAlive(pid)) {
        await takeOver(lockFile, content);
        continue;
      }
      if (!pid) {
        const age = Date.now() - ((await stat(lockFile).catch(() => undefined))?.mtimeMs ?? Date.now());
        if (age > emptyStaleMs) {
          await takeOver(lockFile, content);
          continue;
        }
      }
    }
    if (Date.now() >= deadline) {
      throw new LockTimeout(`ロック ${lockFile} を ${Math.round(timeoutMs / 1000)} 秒待っても取得できません（保持しているプロセス: ${content === undefined ? '不明' : lockPid(content) || '不明'}）。`);
    }
    await sleep(Math.min(5 + attempt * 5, 50) + Math.random() * 10);
  }
  try {
    return await work();
  } finally {
    const content = await readFile(lockFile, 'utf8').catch(() => '');
    if (content === token) await unlink(lockFile).catch(() => {});
  }
}

/** fsyncs a directory so that a rename or a new file in it survives a crash (best effort). */
export async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // some file systems refuse fsync on directories; the data itself was synced
  }
}

/**
 * Writes a whole file atomically and durably: a temp file beside it (created with `mode`), fsync,
 * rename over the target, fsync the directory. Readers see the old or the new content, never half.
 * @example await writeFileAtomic('/srv/juki-state/users.json', json, 0o600);
 */
export async function writeFileAtomic(file: string, data: string, mode = 0o600): Promise<void> {
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await unlink(temp).catch(() => {});
    throw e;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (e) {
    await unlink(temp).catch(() => {});
    throw e;
  }
  await syncDir(path.dirname(file));
}
