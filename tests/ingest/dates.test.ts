// snapshot-format.md §7 on the date-forms fixture: every input form is stored as a real date, an
// impossible 生年月日 is kept as written and flagged (age from the last real day before it), an era
// date past its era is converted and flagged, and an impossible date anywhere else rejects the row.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadReport } from '../../src/ingest/load.ts';
import { clonePackage, findRow, HISTORY_CSV, readPackage, removeTempDirs, RESIDENTS_CSV, tempDir, writePackage, type PackageData } from '../helpers/package.ts';
import { expectProblem, leftovers, load, loadRejected, query, storeHash } from '../helpers/store.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/ingest/date-forms/package');
let db: string;
let report: LoadReport;

beforeAll(async () => {
  db = path.join(await tempDir('dates'), 'juki.duckdb');
  report = await load(FIXTURE, db);
});
afterAll(removeTempDirs);

describe('date forms (§7)', () => {
  it('stores every accepted form as the same calendar dates (history and 住民.csv alike)', async () => {
    const rows = await query<Record<string, string | boolean | null>>(db, `
      SELECT 宛名番号, 生年月日, 異動日, 処理日, 届出日, 住民となった年月日, 住定日 FROM history ORDER BY 宛名番号`);
    const expected: [string, string | null, string, string][] = [
      ['2001', '1980-04-10', '2024-01-05', '2024-01-09'], // YYYY-MM-DD
      ['2002', '1981-05-11', '2024-02-05', '2024-02-07'], // YYYYMMDD
      ['2003', '1982-06-12', '2024-03-04', '2024-03-05'], // YYYY/MM/DD
      ['2004', '1983-07-13', '2024-04-01', '2024-04-02'], // 昭和58年7月13日, 令和6年4月1日
      ['2005', '1984-08-14', '2024-04-08', '2024-04-09'], // S59.8.14, R6.4.8
      ['2006', '1990-09-15', '2024-05-01', '2024-05-02'], // H02.09.15, R06.05.01
      ['2007', '2019-05-01', '2024-05-20', '2024-05-21'], // 令和元年5月1日
      ['2008', '1985-01-01', '2024-06-01', '2024-06-03'], // 3600101, 5060601 (GYYMMDD)
      ['2009', '2023-02-28', '2024-06-10', '2024-06-11'], // 2023-02-29 (impossible)
      ['2010', '1990-04-30', '2024-06-10', '2024-06-11'], // 平成2年4月31日 (impossible)
      ['2011', '1989-01-08', '2024-06-10', '2024-06-11'], // 昭和64年1月8日 (past the era)
      ['2012', null, '2024-06-12', '2024-06-12'], // 生年月日不詳, empty
      ['2013', null, '2024-06-12', '2024-06-12'], // 生年月日不詳, 昭和25年 (partial)
    ];
    expect(rows).toEqual(expected.map(([id, birth, move, entered]) => ({
      宛名番号: id, 生年月日: birth, 異動日: move, 処理日: entered, 届出日: entered, 住民となった年月日: move, 住定日: move,
    })));
    expect(report.findings.find((f) => f.kind === 'residents_differ')).toBeUndefined();
  });

  it('keeps impossible, era-past and partial birth dates as written', async () => {
    const rows = await query(db, `SELECT 宛名番号, 生年月日_記載, 生年月日不詳 FROM history WHERE 生年月日_記載 IS NOT NULL OR 生年月日不詳 ORDER BY 1`);
    expect(rows).toEqual([
      { 宛名番号: '2009', 生年月日_記載: '2023-02-29', 生年月日不詳: false },
      { 宛名番号: '2010', 生年月日_記載: '平成2年4月31日', 生年月日不詳: false },
      { 宛名番号: '2011', 生年月日_記載: '昭和64年1月8日', 生年月日不詳: false },
      { 宛名番号: '2012', 生年月日_記載: null, 生年月日不詳: true },
      { 宛名番号: '2013', 生年月日_記載: '昭和25年', 生年月日不詳: true },
    ]);
  });

  it('lists them in the load report (and in load_findings)', async () => {
    const byKind = Object.fromEntries(report.findings.map((f) => [f.kind, f]));
    expect(byKind.birth_impossible?.examples).toEqual([
      { 宛名番号: '2009', 履歴番号: 1, detail: '記載 2023-02-29 → 年齢計算 2023-02-28' },
      { 宛名番号: '2010', 履歴番号: 1, detail: '記載 平成2年4月31日 → 年齢計算 1990-04-30' },
    ]);
    expect(byKind.birth_era_out?.examples).toEqual([{ 宛名番号: '2011', 履歴番号: 1, detail: '記載 昭和64年1月8日 → 1989-01-08' }]);
    expect(byKind.birth_impossible_residents?.examples.map((e) => e.宛名番号)).toEqual(['2009', '2010', '2011']);
    const stored = await query<{ kind: string; n: number }>(db, `SELECT kind, count(*) AS n FROM load_findings GROUP BY 1 ORDER BY 1`);
    expect(stored).toEqual([
      { kind: 'birth_era_out', n: 1 },
      { kind: 'birth_impossible', n: 2 },
      { kind: 'birth_impossible_residents', n: 3 },
    ]);
  });

  it('ages an impossible birth date from the last real day before it', async () => {
    const age = async (id: string, d: string) =>
      (await query<{ a: number | null }>(db, `SELECT age_on(生年月日, $d::DATE) AS a FROM residents_asof(DATE '2024-07-01') WHERE 宛名番号 = $id`, { id, d }))[0]?.a;
    expect(await age('2009', '2024-02-27')).toBe(0); // written 2023-02-29, aged as 2023-02-28
    expect(await age('2009', '2024-02-28')).toBe(1);
    expect(await age('2010', '2024-04-29')).toBe(33); // written 4月31日, aged as 4月30日
    expect(await age('2010', '2024-04-30')).toBe(34);
    expect(await age('2011', '2024-01-07')).toBe(34); // 昭和64年1月8日 = 1989-01-08
    expect(await age('2011', '2024-01-08')).toBe(35);
    expect(await age('2012', '2024-07-01')).toBeNull(); // 生年月日不詳: in totals, in no age band
    expect(await age('2013', '2024-07-01')).toBeNull();
  });

  it('counts all 13 as residents on 2024-07-01', async () => {
    expect(await query(db, `SELECT count(*) AS n FROM residents_asof(DATE '2024-07-01')`)).toEqual([{ n: 13 }]);
  });
});

describe('impossible dates outside 生年月日 reject the row (§7)', () => {
  let data: PackageData;
  beforeAll(async () => {
    data = await readPackage(FIXTURE);
  });

  it('names file, line, column and value for each form', async () => {
    const d = clonePackage(data);
    const cases: [number, string, string][] = [
      [2001, '異動日', '令和6年2月30日'],
      [2002, '処理日', '20240230'],
      [2003, '届出日', '2024/02/30'],
      [2004, '住民となった年月日', 'R6.2.30'],
      [2005, '住定日', '5060230'],
      [2006, '転出予定年月日', 'R06.04.31'],
      [2007, '在留期間満了日', '令和元年4月31日'],
    ];
    for (const [id, column, value] of cases) findRow(d.history, id, 1)[column] = value;
    findRow(d.residents, 2008).消除年月日 = '2024-13-01';
    findRow(d.residents, 2008).住民状態 = '消除';
    findRow(d.residents, 2008).消除事由 = '国内転出';
    const dir = await writePackage(await tempDir('pkg'), d);
    const store = path.join(await tempDir('dates-bad'), 'juki.duckdb');
    const r = await loadRejected(dir, store);
    for (const [id, column, value] of cases) {
      const line = d.history.indexOf(findRow(d.history, id, 1)) + 2;
      expectProblem(r, { file: HISTORY_CSV, line, column, value, message: '日付として読めないか、存在しない日付です' });
    }
    expectProblem(r, { file: RESIDENTS_CSV, line: 9, column: '消除年月日', value: '2024-13-01', message: '存在しない日付です' });
    expect(r.problems).toHaveLength(cases.length + 1);
    expect(await storeHash(store)).toBe('absent');
    expect(await leftovers(store)).toEqual([]);
  });
});
