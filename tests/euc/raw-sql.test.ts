// Raw SQL (管理者): one read-only SELECT through the server's store handle; everything else refused
// before it runs, files and the network out of reach, rows capped.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSqlRefused, runRawSql } from '../../src/euc/raw-sql.ts';
import { StoreHandle } from '../../src/server/store-handle.ts';
import { mihon, removeTempDirs, tempDir, writePackage } from '../helpers/package.ts';
import { load, storeHash } from '../helpers/store.ts';

let handle: StoreHandle;
let db: string;
beforeAll(async () => {
  const dir = await tempDir('rawsql');
  db = path.join(dir, 'juki.duckdb');
  await load(await writePackage(path.join(dir, 'pkg'), await mihon('UTF-8')), db);
  handle = new StoreHandle(db);
});
afterAll(async () => {
  handle.close();
  await removeTempDirs();
});

const run = (sql: string, maxRows = 1000) => handle.use((conn) => runRawSql(conn, sql, { maxRows }));

describe('raw SQL', () => {
  it('runs a SELECT over the as-of layer', async () => {
    const r = await run("SELECT 性別, count(*) AS n FROM residents_asof(DATE '2022-01-01') GROUP BY 1 ORDER BY 1");
    expect(r.columns).toEqual(['性別', 'n']);
    expect(r.rows.map((x) => x[1] as number).reduce((a, b) => a + b, 0)).toBeGreaterThan(30);
    expect(r.truncated).toBe(false);
  });

  it('caps the rows and says so', async () => {
    const r = await run('SELECT * FROM range(5000)', 100);
    expect(r.rows.length).toBe(100);
    expect(r.truncated).toBe(true);
  });

  it('refuses anything but one SELECT, and leaves the store unchanged', async () => {
    const before = await storeHash(db);
    const refused: Record<string, RegExp> = {
      'SELECT 1; SELECT 2': /1 つだけ/,
      'DELETE FROM history': /SELECT/,
      "INSERT INTO loads (load_id) VALUES (99)": /SELECT/,
      'CREATE TABLE x AS SELECT 1': /SELECT/,
      "SET TimeZone = 'UTC'": /SELECT/,
      "ATTACH '/tmp/other.duckdb' AS o": /SELECT/,
      "COPY history TO '/tmp/leak.csv'": /SELECT|Permission/,
      'SELECT $1': /パラメータ/,
      'SELEC 1': /SQL/,
      '   ': /入力/,
    };
    for (const [sql, message] of Object.entries(refused)) {
      const err = await run(sql).catch((e: unknown) => e);
      expect(err, sql).toBeInstanceOf(RawSqlRefused);
      expect((err as Error).message, sql).toMatch(message);
    }
    expect(await storeHash(db)).toBe(before);
  });

  it('reads the register only through the as-of layer: base tables with personal data are refused', async () => {
    for (const sql of [
      'SELECT 氏名 FROM history',
      'WITH h AS (SELECT * FROM history) SELECT count(*) FROM h',
      "SELECT * FROM residents_asof(DATE '2022-01-01') WHERE 宛名番号 IN (SELECT 宛名番号 FROM resident_rows)",
      'SELECT * FROM juki.main.history',
      'SELECT * FROM duckdb_settings()',
    ]) {
      const err = await run(sql).catch((e: unknown) => e);
      expect(err, sql).toBeInstanceOf(RawSqlRefused);
    }
    const ok = await run("WITH r AS (SELECT * FROM residents_asof(DATE '2022-01-01')) SELECT count(*) FROM r, loads");
    expect(ok.rows.length).toBe(1);
    expect((await run('SELECT count(*) FROM master_nationality')).rows.length).toBe(1);
  });

  it('cannot read files or reach the network from a SELECT', async () => {
    for (const sql of ["SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM read_text('/etc/hostname')", "SELECT * FROM 'http://example.invalid/x.csv'"]) {
      await expect(run(sql), sql).rejects.toThrow(/Permission|file system|disabled|external/i);
    }
  });
});
