// Atomicity of `juki load` as a separate process, as the nightly job runs it: killed with SIGKILL
// mid-load, or failing on a full disk, the store keeps its exact bytes and the next load succeeds
// (stale lock and work copy cleaned up); a reader opening the store read-only during a load never
// gets an error and sees either the old snapshot or the new one, never anything in between.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { bigPackage, earlierSnapshot, mihon, mihonDir, REPO_ROOT, removeTempDirs, tempDir, writePackage } from '../helpers/package.ts';
import { leftovers, load, query, storeHash } from '../helpers/store.ts';

const BIN = path.join(REPO_ROOT, 'bin/juki.mjs');
/** Clones of みほん町 in the big package: ~13,000 persons, ~25,000 history rows, a few seconds to load. */
const COPIES = 300;

let pkgUtf8: string;
let pkgCp932: string;
let baseStore: string;
let baseHash: string;

beforeAll(async () => {
  const dir = await tempDir('atomic-pkg');
  // The store holds an earlier snapshot (two persons processed by 1980-05-06); the big package is the
  // next full snapshot: those two persons plus everyone else, cloned.
  for (const enc of ['UTF-8', 'CP932'] as const) {
    const m = await mihon(enc);
    const early = earlierSnapshot(m, '1980-05-06');
    const big = await writePackage(path.join(dir, `big-${enc}`), bigPackage(m, COPIES, new Set(early.residents.map((r) => String(r.宛名番号)))));
    if (enc === 'UTF-8') {
      pkgUtf8 = big;
      baseStore = path.join(await tempDir('atomic-base'), 'base.duckdb');
      await load(await writePackage(path.join(dir, 'early'), early), baseStore);
      baseHash = await storeHash(baseStore);
    } else {
      pkgCp932 = big;
    }
  }
});
/** Children still running when the file ends (a failed assertion) are stopped, then the temp folders removed. */
const children = new Set<ChildProcess>();
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await removeTempDirs();
});

async function storeCopy(): Promise<string> {
  const db = path.join(await tempDir('atomic'), 'juki.duckdb');
  await copyFile(baseStore, db);
  return db;
}

/** Starts `juki load` in a child process; with `fileSizeLimitKb`, under `ulimit -f` (writes past it fail with EFBIG). */
function startLoad(pkg: string, db: string, fileSizeLimitKb?: number): ChildProcess & { done: Promise<{ code: number | null; signal: string | null; stderr: string }> } {
  const args = [BIN, 'load', pkg, '--db', db];
  const child = fileSizeLimitKb
    ? spawn('/bin/sh', ['-c', `ulimit -f ${fileSizeLimitKb} && exec "$0" "$@"`, process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdout!.resume();
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  return Object.assign(child, { done });
}

async function waitFor(cond: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kill -9 during a load', () => {
  for (const [name, pkg] of [['UTF-8', () => pkgUtf8], ['CP932', () => pkgCp932]] as const) {
    it(`${name}: the store keeps its bytes; the next load cleans up and succeeds`, async () => {
      const db = await storeCopy();
      const child = startLoad(pkg(), db);
      const work = `${db}.loading-${child.pid}`;
      await waitFor(() => existsSync(work), `${work}`);
      await sleep(400); // well inside the load: staging and validation on the work copy
      child.kill('SIGKILL');
      const exit = await child.done;
      expect(exit.signal).toBe('SIGKILL');
      expect(await storeHash(db)).toBe(baseHash);
      // What a killed load leaves: its lock and work copy (and whatever else it had open).
      expect(await leftovers(db)).toEqual(expect.arrayContaining(['juki.duckdb.lock', `juki.duckdb.loading-${child.pid}`]));
      // Readers are not disturbed by the leftovers.
      expect(await query(db, 'SELECT count(*) AS n FROM loads')).toEqual([{ n: 1 }]);

      const report = await load(pkg(), db);
      expect(report).toMatchObject({ status: 'loaded', loadId: 2 });
      expect(await leftovers(db)).toEqual([]);
      expect(await query(db, 'SELECT count(*) AS n FROM loads')).toEqual([{ n: 2 }]);
    });
  }
});

describe('a full disk during a load', () => {
  // `ulimit -f` (512-byte blocks under /bin/sh): a write past the limit fails with EFBIG, as one
  // past a full disk fails with ENOSPC. Node ignores SIGXFSZ, so the loader sees the error.
  const blocksFor = (bytes: number) => Math.ceil(bytes / 512);

  it('while the work copy is written: the load fails, the store keeps its bytes, nothing is left', async () => {
    const db = await storeCopy();
    const size = (await stat(db)).size;
    const exit = await startLoad(pkgUtf8, db, blocksFor(size / 2)).done;
    expect(exit.code, exit.stderr).toBe(1);
    expect(exit.stderr).toContain('取り込みに失敗しました。ストアは変更していません。');
    expect(exit.stderr).toMatch(/EFBIG|File too large/i);
    expect(await storeHash(db)).toBe(baseHash);
    expect(await leftovers(db)).toEqual([]);
  });

  it('while DuckDB writes the loaded rows: the same', async () => {
    const db = await storeCopy();
    const size = (await stat(db)).size;
    const exit = await startLoad(pkgUtf8, db, blocksFor(size + 512 * 1024)).done; // the copy fits, the new rows do not
    expect(exit.code, exit.stderr).toBe(1);
    expect(exit.stderr).toContain('取り込みに失敗しました。ストアは変更していません。');
    expect(exit.stderr).toMatch(/File too large/i);
    expect(exit.stderr).not.toMatch(/copyfile/);
    expect(await storeHash(db)).toBe(baseHash);
    expect(await leftovers(db)).toEqual([]);
  });
});

describe('a reader during a load', () => {
  it('never gets an error and sees the old or the new snapshot, never a mix', async () => {
    const db = await storeCopy();
    const count = async () => {
      const store = await openStore(db, { readOnly: true });
      try {
        const [row] = await query0(store);
        return row!;
      } finally {
        store.close();
      }
    };
    const old = await count();
    expect(old.loads).toBe(1);

    const child = startLoad(pkgUtf8, db);
    let exited = false;
    void child.done.then(() => (exited = true));
    const seen: string[] = [];
    const errors: string[] = [];
    // A second loader meanwhile is turned away (the store has one writer at a time).
    await waitFor(() => existsSync(`${db}.loading-${child.pid}`), 'the work copy');
    await expect(load(mihonDir('UTF-8'), db)).rejects.toThrow(/別の取り込みが実行中です/);
    while (!exited) {
      try {
        const c = await count();
        seen.push(`${c.loads}:${c.residents}:${c.history}`);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    const exit = await child.done;
    expect(exit.code, exit.stderr).toBe(0);
    const now = await count();
    expect(now.loads).toBe(2);
    expect(errors).toEqual([]);
    const allowed = new Set([`${old.loads}:${old.residents}:${old.history}`, `${now.loads}:${now.residents}:${now.history}`]);
    expect(seen.filter((s) => !allowed.has(s))).toEqual([]);
    expect(seen.length).toBeGreaterThan(5);
    expect(seen[0]).toBe(`${old.loads}:${old.residents}:${old.history}`); // the reads overlapped the load
    // みほん町 has 32 residents on 2022-01-01; each clone 30 (1031 and 1032, both residents, are not cloned).
    expect(now.residents).toBe(32 + COPIES * 30);
  });
});

async function query0(store: Awaited<ReturnType<typeof openStore>>) {
  const reader = await store.conn.runAndReadAll(`SELECT
      (SELECT count(*) FROM loads)::INTEGER AS loads,
      (SELECT count(*) FROM residents_asof(DATE '2022-01-01'))::INTEGER AS residents,
      (SELECT count(*) FROM history)::INTEGER AS history`);
  return reader.getRowObjectsJS() as { loads: number; residents: number; history: number }[];
}

describe('two loads in one process (e.g. a server that loads)', () => {
  it('refuses the second while the first holds the lock, and the first completes', async () => {
    const { loadPackage } = await import('../../src/ingest/load.ts');
    const { StoreBusy } = await import('../../src/store/swap.ts');
    const db = await storeCopy();
    const results = await Promise.allSettled([loadPackage({ source: pkgUtf8, db }), loadPackage({ source: pkgUtf8, db })]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(StoreBusy);
    expect(await leftovers(db)).toEqual([]);
    expect(await query(db, 'SELECT count(*) AS n FROM loads')).toEqual([{ n: 2 }]);
  });
});
