// Atomic store updates: a load works on a private copy of the store file and renames it over the
// store only when complete. Readers (the web server) open the store read-only and never see half a
// snapshot; a load that fails or is killed leaves the store exactly as it was.
import { constants } from 'node:fs';
import { copyFile, open, readFile, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

export class StoreBusy extends Error {}

/** Whether a process with this pid is running (EPERM: running, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** Takes the store's writer lock (a file holding our pid); a lock left by a dead process is taken over. */
async function acquireLock(lockFile: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
      // Our own pid means another load in this same process (e.g. the server) holds it: busy too.
      if (pid && processAlive(pid)) {
        throw new StoreBusy(`別の取り込みが実行中です（pid ${pid}、ロック ${lockFile}）。終わってから実行してください。`);
      }
      await unlink(lockFile).catch(() => {});
    }
  }
  throw new StoreBusy(`ロック ${lockFile} を取得できません`);
}

/** Removes work copies left by killed loads (their pid is no longer running). */
async function removeStaleWorkCopies(dbPath: string): Promise<void> {
  const dir = path.dirname(dbPath);
  const prefix = `${path.basename(dbPath)}.loading-`;
  for (const name of await readdir(dir)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!pid || !processAlive(pid) || pid === process.pid) await rm(path.join(dir, name), { force: true });
  }
}

async function fsyncPath(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Runs `work` on a private copy of the store (or a new file when there is none yet). When `work`
 * returns true, the copy replaces the store atomically; when it returns false or throws, the copy
 * is discarded. `work` must close every DuckDB handle on the copy before it returns.
 * @example await updateStore('juki.duckdb', async (copy) => { ...; return true; });
 */
export async function updateStore(dbPath: string, work: (copyPath: string) => Promise<boolean>): Promise<boolean> {
  const absolute = path.resolve(dbPath);
  const lockFile = `${absolute}.lock`;
  await acquireLock(lockFile);
  const copyPath = `${absolute}.loading-${process.pid}`;
  try {
    await removeStaleWorkCopies(absolute);
    if (await exists(`${absolute}.wal`)) {
      throw new Error(`${absolute}.wal があります。ほかのプログラムがストアを書き込み用に開いたまま終了したようです。DuckDB で一度開いて閉じてから実行してください。`);
    }
    if (await exists(absolute)) await copyFile(absolute, copyPath, constants.COPYFILE_FICLONE);
    const commit = await work(copyPath);
    if (!commit) return false;
    if (await exists(`${copyPath}.wal`)) throw new Error('内部エラー: 作業用ファイルの WAL が残っています（接続を閉じていません）');
    await fsyncPath(copyPath);
    await rename(copyPath, absolute);
    await fsyncPath(path.dirname(absolute));
    return true;
  } finally {
    await rm(copyPath, { force: true });
    await rm(`${copyPath}.wal`, { force: true });
    await unlink(lockFile).catch(() => {});
  }
}
