// The server's read-only view of the store: it follows a load's rename to the new snapshot while
// queries already running finish on the old one, and a query past its time limit is interrupted.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreHandle, QueryTimeout, StoreMissing } from '../../src/server/store-handle.ts';
import { one } from '../../src/store/db.ts';
import { earlierSnapshot, mihon, removeTempDirs, tempDir, writePackage } from '../helpers/package.ts';
import { load } from '../helpers/store.ts';

afterAll(removeTempDirs);

describe('StoreHandle', () => {
  it('serves the old snapshot until a load has renamed the new one into place, then the new one', async () => {
    const dir = await tempDir('handle');
    const full = await mihon('UTF-8');
    const early = await writePackage(path.join(dir, 'early'), earlierSnapshot(full, '2021-06-30'));
    const later = await writePackage(path.join(dir, 'full'), full);
    const db = path.join(dir, 'juki.duckdb');
    await load(early, db);
    const handle = new StoreHandle(db);
    const through = () => handle.use(async (conn) => (await one<{ d: string }>(conn, "SELECT strftime(max(processed_through), '%Y-%m-%d') AS d FROM loads"))!.d);
    expect(await through()).toBe('2021-06-30');
    // a query running across the swap keeps its snapshot
    let during = '';
    const slow = handle.use(async (conn) => {
      await new Promise((r) => setTimeout(r, 1500));
      during = (await one<{ d: string }>(conn, "SELECT strftime(max(processed_through), '%Y-%m-%d') AS d FROM loads"))!.d;
    });
    await load(later, db);
    await slow;
    expect(during).toBe('2021-06-30');
    // requests arriving while the new snapshot is prepared are answered from the old one; then the new one
    await expect.poll(through, { timeout: 10_000, interval: 100 }).toBe('2022-01-31');
    handle.close();
  });

  it('interrupts a query past its time limit', async () => {
    const dir = await tempDir('handle-timeout');
    const db = path.join(dir, 'juki.duckdb');
    await load(await writePackage(path.join(dir, 'pkg'), await mihon('UTF-8')), db);
    const handle = new StoreHandle(db);
    const t0 = Date.now();
    await expect(handle.use((conn) => one(conn, 'SELECT count(*) FROM range(1000000000000) a'), { timeoutMs: 300 })).rejects.toBeInstanceOf(QueryTimeout);
    expect(Date.now() - t0).toBeLessThan(10_000);
    // the handle still works afterwards
    expect(await handle.use((conn) => one(conn, 'SELECT 1 AS x'))).toEqual({ x: 1 });
    handle.close();
  });

  it('says so when there is no store yet', async () => {
    const handle = new StoreHandle('/nonexistent/juki.duckdb');
    await expect(handle.use((conn) => one(conn, 'SELECT 1'))).rejects.toBeInstanceOf(StoreMissing);
  });
});
