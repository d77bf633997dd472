// The みほん町 conformance example (../shared/conformance/mihon) loaded in both encodings: the as-of
// counts and person-level facts of its README, identical history tables, and 髙 / 﨑 kept intact.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadReport } from '../../src/ingest/load.ts';
import { mihon, mihonDir, removeTempDirs, tempDir } from '../helpers/package.ts';
import { leftovers, load, query } from '../helpers/store.ts';

const dbs: Record<'UTF-8' | 'CP932', string> = { 'UTF-8': '', CP932: '' };
const reports: Partial<Record<'UTF-8' | 'CP932', LoadReport>> = {};

beforeAll(async () => {
  const dir = await tempDir('mihon');
  for (const enc of ['UTF-8', 'CP932'] as const) {
    dbs[enc] = path.join(dir, `${enc}.duckdb`);
    reports[enc] = await load(mihonDir(enc), dbs[enc]);
  }
});
afterAll(removeTempDirs);

/** Is the person a resident (現存) as of d, and with which 住民種別? */
async function asOf(db: string, 宛名番号: string, d: string): Promise<{ 住民種別: string } | undefined> {
  const rows = await query<{ 住民種別: string }>(db, 'SELECT 住民種別 FROM residents_asof($d::DATE) WHERE 宛名番号 = $id', { d, id: 宛名番号 });
  expect(rows.length).toBeLessThanOrEqual(1);
  return rows[0];
}

describe.each(['UTF-8', 'CP932'] as const)('みほん町 %s', (enc) => {
  it('loads cleanly: 45 residents rows, 85 history rows, no findings, nothing left beside the store', async () => {
    const r = reports[enc]!;
    expect(r.status).toBe('loaded');
    expect(r.encoding).toBe(enc);
    expect(r.files).toEqual([{ name: '住民.csv', rows: 45 }, { name: '異動履歴.csv', rows: 85 }]);
    expect(r.historyRowsNew).toBe(85);
    expect(r.findings).toEqual([]);
    expect(r.charset.every((c) => c.gaijiRows === 0 && c.outsideCp932Rows === 0)).toBe(true);
    expect(await leftovers(dbs[enc])).toEqual([]);
  });

  it('residents_asof(2022-01-01) by 住民種別 × 性別: 日本人 男9 女10, 外国人 男6 女7', async () => {
    const rows = await query<{ 住民種別: string; 性別: string; n: number }>(dbs[enc],
      `SELECT 住民種別, 性別, count(*) AS n FROM residents_asof(DATE '2022-01-01') GROUP BY ALL ORDER BY ALL`);
    expect(rows).toEqual([
      { 住民種別: '外国人', 性別: '女', n: 7 },
      { 住民種別: '外国人', 性別: '男', n: 6 },
      { 住民種別: '日本人', 性別: '女', n: 10 },
      { 住民種別: '日本人', 性別: '男', n: 9 },
    ]);
  });

  it('residents_asof(2021-01-01) = 31 (日本人 21, 外国人 10)', async () => {
    const rows = await query<{ 住民種別: string; n: number }>(dbs[enc],
      `SELECT 住民種別, count(*) AS n FROM residents_asof(DATE '2021-01-01') GROUP BY ALL ORDER BY ALL`);
    expect(rows).toEqual([{ 住民種別: '外国人', n: 10 }, { 住民種別: '日本人', n: 21 }]);
  });

  it('1013: 転出 filed 2021-12-20 for 2022-02-10 — resident on 2022-01-01 and on 2022-02-10, gone on 2022-02-11', async () => {
    expect(await asOf(dbs[enc], '1013', '2022-01-01')).toBeDefined();
    expect(await asOf(dbs[enc], '1013', '2022-02-10')).toBeDefined();
    expect(await asOf(dbs[enc], '1013', '2022-02-11')).toBeUndefined();
  });

  it('1042: 転出 effective 2022-01-01 — resident on 2022-01-01 (strict < D), not on 2022-01-02', async () => {
    expect(await asOf(dbs[enc], '1042', '2022-01-01')).toBeDefined();
    expect(await asOf(dbs[enc], '1042', '2022-01-02')).toBeUndefined();
  });

  it('1041: 転出 effective 2021-01-01 — resident on 2021-01-01, not on 2021-01-02', async () => {
    expect(await asOf(dbs[enc], '1041', '2021-01-01')).toBeDefined();
    expect(await asOf(dbs[enc], '1041', '2021-01-02')).toBeUndefined();
  });

  it('1025: 転出 withdrawn before its date — resident throughout, both rows ignored', async () => {
    for (const d of ['2021-09-16', '2021-10-01', '2022-01-01', '2022-02-01']) expect(await asOf(dbs[enc], '1025', d), d).toBeDefined();
    const rows = await query<{ 履歴番号: number; ignored: boolean }>(dbs[enc],
      `SELECT 履歴番号, ignored FROM history WHERE 宛名番号 = '1025' ORDER BY 履歴番号`);
    expect(rows).toEqual([{ 履歴番号: 1, ignored: false }, { 履歴番号: 2, ignored: true }, { 履歴番号: 3, ignored: true }]);
  });

  it('1043: 転出 of 2021-12-13 cancelled on 2022-01-12 — gone on 2022-01-01, resident again on 2022-02-01', async () => {
    expect(await asOf(dbs[enc], '1043', '2021-12-13')).toBeDefined();
    expect(await asOf(dbs[enc], '1043', '2021-12-14')).toBeUndefined();
    expect(await asOf(dbs[enc], '1043', '2022-01-01')).toBeUndefined();
    expect(await asOf(dbs[enc], '1043', '2022-02-01')).toBeDefined();
  });

  it('1024 (帰化): same 宛名番号, 外国人 on 2021-01-01 and 日本人 on 2022-01-01', async () => {
    expect(await asOf(dbs[enc], '1024', '2021-01-01')).toEqual({ 住民種別: '外国人' });
    expect(await asOf(dbs[enc], '1024', '2022-01-01')).toEqual({ 住民種別: '日本人' });
  });

  it('1029: 出生 2021-12-28 entered 2022-01-06 — not resident on 2022-01-01, resident from 2022-01-07', async () => {
    expect(await asOf(dbs[enc], '1029', '2022-01-01')).toBeUndefined();
    expect(await asOf(dbs[enc], '1029', '2022-01-06')).toBeUndefined();
    expect(await asOf(dbs[enc], '1029', '2022-01-07')).toBeDefined();
  });

  it('1027: 誤記修正 of 生年月日 applies from its own date; 満年齢 at band edges (1003, 1006, 1010)', async () => {
    const ages = await query<{ id: string; b: string; age: number }>(dbs[enc], `
      SELECT 宛名番号 AS id, 生年月日 AS b, age_on(生年月日, DATE '2022-01-01') AS age
      FROM residents_asof(DATE '2022-01-01') WHERE 宛名番号 IN ('1003', '1006', '1010', '1027') ORDER BY 1`);
    expect(ages).toEqual([
      { id: '1003', b: '2017-01-01', age: 5 },
      { id: '1006', b: '1921-12-31', age: 100 },
      { id: '1010', b: '2016-02-29', age: 5 },
      { id: '1027', b: '1990-05-05', age: 31 },
    ]);
    const before = await query<{ b: string }>(dbs[enc], `SELECT 生年月日 AS b FROM residents_asof(DATE '2021-04-10') WHERE 宛名番号 = '1027'`);
    expect(before).toEqual([{ b: '1995-05-05' }]);
  });

  it('keeps 髙 (1005) and 﨑 (1008) as written', async () => {
    const names = await query<{ id: string; 氏名: string }>(dbs[enc],
      `SELECT DISTINCT 宛名番号 AS id, 氏名 FROM history WHERE 宛名番号 IN ('1005', '1008') ORDER BY 1`);
    expect(names).toEqual([{ id: '1005', 氏名: '髙見本　松男' }, { id: '1008', 氏名: '見本﨑　健' }]);
  });
});

describe('みほん町 in both encodings', () => {
  it('gives identical history tables (every column, derived ones included)', async () => {
    const sql = `SELECT * EXCLUDE (load_id) FROM history ORDER BY 宛名番号, 履歴番号`;
    const [utf8, cp932] = [await query(dbs['UTF-8'], sql), await query(dbs.CP932, sql)];
    expect(utf8.length).toBe(85);
    expect(cp932).toEqual(utf8);
    const hashes = `SELECT list(row_hash ORDER BY 宛名番号, 履歴番号)::VARCHAR AS h FROM history`;
    expect(await query(dbs.CP932, hashes)).toEqual(await query(dbs['UTF-8'], hashes));
  });

  it('the package text read by the test helper matches the stored text', async () => {
    const data = await mihon('CP932');
    const stored = await query<{ id: string; no: number; 氏名: string | null; 住所: string | null }>(dbs.CP932,
      `SELECT 宛名番号 AS id, 履歴番号 AS no, 氏名, 住所 FROM history ORDER BY 宛名番号, 履歴番号`);
    const fromCsv = [...data.history]
      .sort((a, b) => String(a.宛名番号).localeCompare(String(b.宛名番号)) || Number(a.履歴番号) - Number(b.履歴番号))
      .map((r) => ({ id: String(r.宛名番号), no: Number(r.履歴番号), 氏名: r.氏名 || null, 住所: r.住所 || null }));
    expect(stored).toEqual(fromCsv);
  });
});
