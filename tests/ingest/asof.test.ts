// snapshot-format.md §8 on the asof-rules fixture (one person per rule; see its README.md):
// 転出予定 across the reference date, cancellations before and after the cancelled row took effect,
// 帰化 / 国籍喪失 keeping the 宛名番号, 改製, and as-of strictly before D.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadReport } from '../../src/ingest/load.ts';
import { removeTempDirs, tempDir } from '../helpers/package.ts';
import { load, query } from '../helpers/store.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/ingest/asof-rules/package');
let db: string;
let report: LoadReport;

beforeAll(async () => {
  db = path.join(await tempDir('asof'), 'juki.duckdb');
  report = await load(FIXTURE, db);
});
afterAll(removeTempDirs);

/** 住民種別 of the person as of d, or null when not a resident. */
async function asOf(id: number, d: string): Promise<string | null> {
  const rows = await query<{ s: string }>(db, `SELECT 住民種別 AS s FROM residents_asof($d::DATE) WHERE 宛名番号 = $id`, { d, id: String(id) });
  expect(rows.length).toBeLessThanOrEqual(1);
  return rows[0]?.s ?? null;
}

/** For each date, whether the person is a resident. */
async function timeline(id: number, dates: string[]): Promise<Record<string, boolean>> {
  const out: Record<string, boolean> = {};
  for (const d of dates) out[d] = (await asOf(id, d)) !== null;
  return out;
}

describe('as-of rules (§8)', () => {
  it('loads with no findings: 住民.csv agrees with the state derived from history', () => {
    expect(report.findings).toEqual([]);
    expect(report.historyRowsNew).toBe(23);
  });

  it('3001 転出予定 across the reference date: filed 03-25 for 04-05, resident through 04-05', async () => {
    expect(await timeline(3001, ['2023-03-26', '2023-04-01', '2023-04-05', '2023-04-06'])).toEqual({
      '2023-03-26': true, '2023-04-01': true, '2023-04-05': true, '2023-04-06': false,
    });
  });

  it('3002 cancelled before it took effect: both rows ignored, resident throughout', async () => {
    expect(await timeline(3002, ['2023-03-02', '2023-03-21', '2023-04-01', '2023-04-02'])).toEqual({
      '2023-03-02': true, '2023-03-21': true, '2023-04-01': true, '2023-04-02': true,
    });
    expect(await query(db, `SELECT 履歴番号, ignored FROM history WHERE 宛名番号 = '3002' ORDER BY 2, 1`)).toEqual([
      { 履歴番号: 1, ignored: false }, { 履歴番号: 2, ignored: true }, { 履歴番号: 3, ignored: true },
    ]);
  });

  it('3006 cancelled on the day it took effect (eff(C) = eff(R)): both ignored', async () => {
    expect(await timeline(3006, ['2023-03-15', '2023-03-16'])).toEqual({ '2023-03-15': true, '2023-03-16': true });
    expect(await query(db, `SELECT 履歴番号 FROM history WHERE 宛名番号 = '3006' AND ignored ORDER BY 1`)).toEqual([{ 履歴番号: 2 }, { 履歴番号: 3 }]);
  });

  it('3003 cancelled after it took effect: away from 03-11 to 03-20, back from 03-21', async () => {
    expect(await timeline(3003, ['2023-03-10', '2023-03-11', '2023-03-20', '2023-03-21'])).toEqual({
      '2023-03-10': true, '2023-03-11': false, '2023-03-20': false, '2023-03-21': true,
    });
    expect(await query(db, `SELECT 履歴番号, ignored, cancel_eff, cancels_eff FROM history WHERE 宛名番号 = '3003' ORDER BY 1`)).toEqual([
      { 履歴番号: 1, ignored: false, cancel_eff: null, cancels_eff: null },
      { 履歴番号: 2, ignored: false, cancel_eff: '2023-03-20', cancels_eff: null },
      { 履歴番号: 3, ignored: false, cancel_eff: null, cancels_eff: '2023-03-10' },
    ]);
  });

  it('3003 in periods: counted when the 転出 and its 取消し fall in different periods, not when in the same', async () => {
    const counted = async (d1: string, d2: string) =>
      query(db, `SELECT 履歴番号, counted FROM changes_in($d1::DATE, $d2::DATE) WHERE 宛名番号 = '3003' ORDER BY 1`, { d1, d2 });
    expect(await counted('2023-03-01', '2023-04-01')).toEqual([{ 履歴番号: 2, counted: false }, { 履歴番号: 3, counted: false }]);
    expect(await counted('2023-03-01', '2023-03-15')).toEqual([{ 履歴番号: 2, counted: true }]);
    expect(await counted('2023-03-15', '2023-04-01')).toEqual([{ 履歴番号: 3, counted: true }]);
  });

  it('3007 a 転入 reversed by 異動の取消し（減）: resident from 01-11 through 02-10 only', async () => {
    expect(await timeline(3007, ['2023-01-10', '2023-01-11', '2023-02-10', '2023-02-11'])).toEqual({
      '2023-01-10': false, '2023-01-11': true, '2023-02-10': true, '2023-02-11': false,
    });
  });

  it('3004 帰化 keeps the 宛名番号: 外国人 through 02-06 (eff), 日本人 from 02-07', async () => {
    expect(await asOf(3004, '2023-02-06')).toBe('外国人');
    expect(await asOf(3004, '2023-02-07')).toBe('日本人');
    const moves = await query(db, `SELECT 宛名番号, 履歴番号, 異動事由, 住民種別, prev_住民種別, prev_住民状態
      FROM changes_in(DATE '2023-02-01', DATE '2023-03-01') WHERE 宛名番号 = '3004' ORDER BY 2`);
    expect(moves).toEqual([
      { 宛名番号: '3004', 履歴番号: 2, 異動事由: '職権消除（帰化等）', 住民種別: '外国人', prev_住民種別: '外国人', prev_住民状態: '現存' },
      { 宛名番号: '3004', 履歴番号: 3, 異動事由: '職権記載（帰化等）', 住民種別: '日本人', prev_住民種別: '外国人', prev_住民状態: '消除' },
    ]);
  });

  it('3009 国籍喪失: 日本人 through 03-06, 外国人 (USA → 米国) from 03-07', async () => {
    expect(await asOf(3009, '2023-03-06')).toBe('日本人');
    expect(await asOf(3009, '2023-03-07')).toBe('外国人');
    expect(await query(db, `SELECT "国籍・地域", "国籍・地域_記載", 法30条45区分 FROM residents_asof(DATE '2023-04-01') WHERE 宛名番号 = '3009'`))
      .toEqual([{ '国籍・地域': '米国', '国籍・地域_記載': 'USA', 法30条45区分: '国籍喪失による経過滞在者' }]);
  });

  it('3005 strictly before D: born and entered 03-01, a resident from 03-02', async () => {
    expect(await timeline(3005, ['2023-03-01', '2023-03-02'])).toEqual({ '2023-03-01': false, '2023-03-02': true });
  });

  it('3008 改製 (消除 + 記載 the same day) changes nothing', async () => {
    expect(await timeline(3008, ['2023-02-20', '2023-02-21', '2023-04-01'])).toEqual({ '2023-02-20': true, '2023-02-21': true, '2023-04-01': true });
  });

  it('population on 2023-03-01 and 2023-04-01 (hand tally in the fixture README)', async () => {
    const count = async (d: string) => (await query<{ n: number }>(db, `SELECT count(*) AS n FROM residents_asof($d::DATE)`, { d }))[0]!.n;
    // 03-01: all but 3005 (born that day) and 3007 (gone since 02-11) → 7.
    expect(await count('2023-03-01')).toBe(7);
    // 04-01: all but 3007 → 8.
    expect(await count('2023-04-01')).toBe(8);
    // One row per person at most, every day of the quarter.
    const dup = await query(db, `SELECT d, 宛名番号 FROM range(DATE '2023-01-01', DATE '2023-04-10', INTERVAL 1 DAY) t(d),
      LATERAL (SELECT 宛名番号 FROM persons_asof(t.d::DATE)) GROUP BY ALL HAVING count(*) > 1`);
    expect(dup).toEqual([]);
  });
});
