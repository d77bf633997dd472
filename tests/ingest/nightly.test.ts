// The nightly 住民.csv check (src/ingest/findings.ts updateResidentRows): once resident_rows holds
// the previous 住民.csv, a load types and compares only changed lines and persons whose derived state
// may have changed. Its findings must be those of a full comparison, last night's differences must
// keep being reported while they last, and a bad changed line is still rejected with its line number.
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, exec } from '../../src/store/db.ts';
import type { LoadReport } from '../../src/ingest/load.ts';
import { nextDay } from '../../src/ingest/findings.ts';
import {
  clonePackage, findRow, mihon, mihonDir, removeTempDirs, stateOf, tempDir, writePackage, type PackageData, type Row,
} from '../helpers/package.ts';
import { expectProblem, leftovers, load, loadRejected, query, storeHash } from '../helpers/store.ts';

let base: PackageData;
let baseStore: string;

beforeAll(async () => {
  base = await mihon('UTF-8');
  baseStore = path.join(await tempDir('nightly-base'), 'base.duckdb');
  await load(mihonDir('UTF-8'), baseStore);
});
afterAll(removeTempDirs);

async function storeCopy(from = baseStore): Promise<string> {
  const db = path.join(await tempDir('nightly'), 'juki.duckdb');
  await copyFile(from, db);
  return db;
}

/** Empties resident_rows: the next load then compares all of 住民.csv (the first-load path). */
async function forgetResidentRows(db: string): Promise<void> {
  const store = await openStore(db);
  try {
    await exec(store.conn, 'DELETE FROM resident_rows');
    await exec(store.conn, 'CHECKPOINT');
  } finally {
    store.close();
  }
}

/** 1044 moves within the town on `day`. */
function move1044(day: string): Row {
  const first = findRow(base.history, 1044, 1);
  return { ...first, 履歴番号: '2', 異動事由: '転居', 異動日: day, 処理日: day, 届出日: day, 住所コード: '01385001002', 住所: '北海道みほん町本町2丁目9番9号', 住定日: day, 転入前住所コード: '', 転入前住所: '' };
}

/** A delta through `day` (from `since`) with these history rows and 住民.csv edited by `residents`. */
function night(day: string, history: Row[], residents: (rows: Row[]) => Row[] = (r) => r, since = day): PackageData {
  const d = clonePackage(base);
  d.manifest.history = { mode: 'delta', since };
  d.manifest.processedThrough = day;
  d.manifest.extractedAt = `${day}T23:59:00+09:00`;
  d.history = history;
  const last1044 = [...history].reverse().find((r) => String(r.宛名番号) === '1044');
  if (last1044) d.residents = d.residents.map((r) => (String(r.宛名番号) === '1044' ? stateOf(last1044) : r));
  d.residents = residents(d.residents);
  return d;
}

const comparable = (r: LoadReport) => ({ files: r.files, findings: r.findings, charset: r.charset, historyRowsNew: r.historyRowsNew });
const differ = (r: LoadReport) => r.findings.find((f) => f.kind === 'residents_differ');

describe('nightly 住民.csv check', () => {
  it('a changed address, a new person and a person gone: the same findings as a full comparison', async () => {
    const someone = String(base.residents[3]!.宛名番号);
    const gone = String(base.residents[5]!.宛名番号);
    const pkg = night('2022-02-01', [move1044('2022-02-01')], (rows) => [
      ...rows
        .filter((r) => String(r.宛名番号) !== gone)
        .map((r) => (String(r.宛名番号) === someone ? { ...r, 住所: `${r.住所}別館`, 方書: '𠮷野ハイツ' } : r)),
      { ...rows[0]!, 宛名番号: '99999', 氏名: '\uE000田\u{20BB7}子' },
    ]);
    const dir = await writePackage(await tempDir('pkg'), pkg);
    const incremental = await storeCopy();
    const full = await storeCopy();
    await forgetResidentRows(full);
    const a = await load(dir, incremental);
    const b = await load(dir, full);
    expect(comparable(a)).toEqual(comparable(b));
    const kinds = Object.fromEntries(a.findings.map((f) => [f.kind, f.examples.map((e) => [e.宛名番号, e.detail])]));
    expect(kinds.residents_differ).toEqual([[someone, '住所, 方書']]);
    expect(kinds.residents_without_history).toEqual([['99999', '履歴なし']]);
    expect(kinds.history_without_residents).toEqual([[gone, '住民.csv になし']]);
    expect(a.charset.map((c) => [c.file, c.column, c.gaijiRows, c.outsideCp932Rows, c.outsideChars])).toEqual([
      ['住民.csv', '氏名', 1, 1, ['U+20BB7']],
      ['住民.csv', '方書', 0, 1, ['U+20BB7']],
    ]);
    // Both stores keep the same per-person state.
    const rows = (db: string) => query(db, 'SELECT * EXCLUDE (line_hash) FROM resident_rows ORDER BY 宛名番号');
    expect(await rows(incremental)).toEqual(await rows(full));
    expect(await query(incremental, 'SELECT count(*) AS n FROM resident_rows')).toEqual([{ n: pkg.residents.length }]);
  });

  it('a difference introduced on night 1 is still reported on night 2 with 住民.csv unchanged, and gone once fixed', async () => {
    const someone = String(base.residents[7]!.宛名番号);
    const renamed = (rows: Row[]) => rows.map((r) => (String(r.宛名番号) === someone ? { ...r, 氏名: `${r.氏名}改` } : r));
    const db = await storeCopy();
    const n1 = await load(await writePackage(await tempDir('pkg'), night('2022-02-01', [], renamed)), db);
    expect(differ(n1)?.examples).toEqual([{ 宛名番号: someone, 履歴番号: null, detail: '氏名' }]);
    const n2 = await load(await writePackage(await tempDir('pkg'), night('2022-02-02', [move1044('2022-02-02')], renamed)), db);
    expect(n2.status).toBe('loaded');
    expect(differ(n2)?.examples).toEqual([{ 宛名番号: someone, 履歴番号: null, detail: '氏名' }]);
    // The same two nights compared in full give the same.
    const full = await storeCopy();
    await load(await writePackage(await tempDir('pkg'), night('2022-02-01', [], renamed)), full);
    await forgetResidentRows(full);
    const n2full = await load(await writePackage(await tempDir('pkg'), night('2022-02-02', [move1044('2022-02-02')], renamed)), full);
    expect(comparable(n2)).toEqual(comparable(n2full));
    // Night 3: 住民.csv fixed, no difference left.
    const moved = stateOf(move1044('2022-02-02'));
    const fixed = (rows: Row[]) => rows.map((r) => (String(r.宛名番号) === '1044' ? moved : r));
    const n3 = await load(await writePackage(await tempDir('pkg'), night('2022-02-03', [], fixed)), db);
    expect(differ(n3)).toBeUndefined();
    expect(n3.findings).toEqual([]);
  });

  it('a person whose state changes only because a planned date passed is compared again', async () => {
    // 住民.csv from the previous night: a person whose row takes effect in the new window is re-checked
    // even though neither the line nor the history changed (the finding appears, as a full check gives).
    const db = await storeCopy();
    let seen = false;
    let since = '2022-02-01';
    for (const day of ['2022-02-01', '2022-02-02', '2022-02-10', '2022-02-20']) {
      const dir = await writePackage(await tempDir('pkg'), night(day, [], (r) => r, since));
      since = nextDay(day);
      const fresh = await storeCopy(db);
      await forgetResidentRows(fresh);
      const a = await load(dir, db);
      const b = await load(dir, fresh);
      expect(comparable(a), day).toEqual(comparable(b));
      seen ||= differ(a) !== undefined;
    }
    expect(seen).toBe(true);
  });

  it('a bad value in a changed 住民.csv line is rejected with file, line, column and value; the store is unchanged', async () => {
    const db = await storeCopy();
    const before = await storeHash(db);
    const index = 10;
    const someone = String(base.residents[index]!.宛名番号);
    const pkg = night('2022-02-01', [], (rows) => rows.map((r) => (String(r.宛名番号) === someone ? { ...r, 性別: 'X' } : r)));
    const e = await loadRejected(await writePackage(await tempDir('pkg'), pkg), db);
    expectProblem(e, { file: '住民.csv', line: index + 2, column: '性別', value: 'X', message: '男 / 女' });
    expect(await storeHash(db)).toBe(before);
    expect(await leftovers(db)).toEqual([]);
  });

  it('a repeated 宛名番号 in a nightly 住民.csv is rejected naming the second line', async () => {
    const db = await storeCopy();
    const before = await storeHash(db);
    const pkg = night('2022-02-01', [], (rows) => [...rows, { ...rows[2]!, 氏名: '別人' }]);
    const e = await loadRejected(await writePackage(await tempDir('pkg'), pkg), db);
    expectProblem(e, { file: '住民.csv', line: pkg.residents.length + 1, column: '宛名番号', message: '重複' });
    expect(await storeHash(db)).toBe(before);
  });
});
