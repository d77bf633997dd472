// Delta packages and reloads (snapshot-format.md §2): a delta continuing the store is added; one that
// leaves a gap, rewrites a loaded row or comes first is refused with the store unchanged; the same
// package loaded twice changes nothing.
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clonePackage, findRow, HISTORY_CSV, mihon, mihonDir, removeTempDirs, stateOf, tempDir, writePackage, type PackageData, type Row,
} from '../helpers/package.ts';
import { expectProblem, leftovers, load, loadRejected, query, storeHash } from '../helpers/store.ts';

let base: PackageData;
let baseStore: string;
let baseHash: string;

beforeAll(async () => {
  base = await mihon('UTF-8');
  baseStore = path.join(await tempDir('delta-base'), 'base.duckdb');
  await load(mihonDir('UTF-8'), baseStore);
  baseHash = await storeHash(baseStore);
});
afterAll(removeTempDirs);

async function storeCopy(): Promise<string> {
  const db = path.join(await tempDir('delta'), 'juki.duckdb');
  await copyFile(baseStore, db);
  return db;
}

/** 1044 moves within the town: 転居 with 異動日 and 処理日 `day`. */
function move1044(day: string): Row {
  const first = findRow(base.history, 1044, 1);
  return { ...first, 履歴番号: '2', 異動事由: '転居', 異動日: day, 処理日: day, 届出日: day, 住所コード: '01385001002', 住所: '北海道みほん町本町2丁目9番9号', 住定日: day, 転入前住所コード: '', 転入前住所: '' };
}

/**
 * A delta package: `since`, `processedThrough`, the history rows given, and 住民.csv with every
 * person (1044 at the state of its last row given).
 */
function delta(since: string, processedThrough: string, history: Row[]): PackageData {
  const d = clonePackage(base);
  d.manifest.history = { mode: 'delta', since };
  d.manifest.processedThrough = processedThrough;
  d.manifest.extractedAt = `${processedThrough}T23:59:00+09:00`;
  d.history = history;
  const last1044 = [...history].reverse().find((r) => String(r.宛名番号) === '1044');
  if (last1044) d.residents = d.residents.map((r) => (String(r.宛名番号) === '1044' ? stateOf(last1044) : r));
  return d;
}

/** mihon rows with 処理日 ≥ since (the overlap a delta may resend). */
const rowsSince = (since: string) => base.history.filter((r) => String(r.処理日) >= since);

async function expectUnchanged(db: string): Promise<void> {
  expect(await storeHash(db)).toBe(baseHash);
  expect(await leftovers(db)).toEqual([]);
}

describe('delta packages', () => {
  it('since = the day after processedThrough: added, as-of sees the new row from its effective date', async () => {
    const db = await storeCopy();
    const dir = await writePackage(await tempDir('pkg'), delta('2022-02-01', '2022-02-01', [move1044('2022-02-01')]));
    const r = await load(dir, db);
    expect(r).toMatchObject({ status: 'loaded', loadId: 2, historyMode: 'delta', since: '2022-02-01', historyRowsNew: 1 });
    expect(r.snapshots.map((s) => [s.load_id, s.processed_through, s.history_mode])).toEqual([[1, '2022-01-31', 'full'], [2, '2022-02-01', 'delta']]);
    expect(await query(db, `SELECT 履歴番号, 住所コード, next_eff, prev_rireki, load_id FROM history WHERE 宛名番号 = '1044' ORDER BY 1`)).toEqual([
      { 履歴番号: 1, 住所コード: '01385001001', next_eff: '2022-02-01', prev_rireki: null, load_id: 1 },
      { 履歴番号: 2, 住所コード: '01385001002', next_eff: null, prev_rireki: 1, load_id: 2 },
    ]);
    const where = async (d: string) => query(db, `SELECT 住所コード FROM residents_asof($d::DATE) WHERE 宛名番号 = '1044'`, { d });
    expect(await where('2022-02-01')).toEqual([{ 住所コード: '01385001001' }]);
    expect(await where('2022-02-02')).toEqual([{ 住所コード: '01385001002' }]);
    expect(await query(db, 'SELECT count(*) AS n FROM history')).toEqual([{ n: 86 }]);
    expect(await leftovers(db)).toEqual([]);
    // The same delta again: unchanged, not a byte touched.
    const before = await storeHash(db);
    const again = await load(dir, db);
    expect(again.status).toBe('unchanged');
    expect(again.loadId).toBe(2);
    expect(await storeHash(db)).toBe(before);
    expect(await leftovers(db)).toEqual([]);
  });

  it('a delta cancelling a row of an earlier load recomputes that row: 1013\'s 転出 withdrawn before its date', async () => {
    const db = await storeCopy();
    expect(await query(db, `SELECT 宛名番号 FROM residents_asof(DATE '2022-02-11') WHERE 宛名番号 = '1013'`)).toEqual([]);
    const first = findRow(base.history, 1013, 1);
    const cancel = { ...first, 履歴番号: '3', 異動事由: '異動の取消し（増）', 異動日: '2022-02-01', 処理日: '2022-02-01', 届出日: '2022-02-01', 取消対象履歴番号: '2' };
    const r = await load(await writePackage(await tempDir('pkg'), delta('2022-02-01', '2022-02-01', [cancel])), db);
    expect(r).toMatchObject({ status: 'loaded', historyRowsNew: 1 });
    expect(await query(db, `SELECT 履歴番号, ignored, load_id FROM history WHERE 宛名番号 = '1013' ORDER BY 1`)).toEqual([
      { 履歴番号: 1, ignored: false, load_id: 1 }, { 履歴番号: 2, ignored: true, load_id: 1 }, { 履歴番号: 3, ignored: true, load_id: 2 },
    ]);
    expect(await query(db, `SELECT 宛名番号 FROM residents_asof(DATE '2022-02-11') WHERE 宛名番号 = '1013'`)).toEqual([{ 宛名番号: '1013' }]);
  });

  it('resending already-loaded identical rows (since before processedThrough) is fine', async () => {
    const db = await storeCopy();
    const overlap = rowsSince('2022-01-20');
    expect(overlap.map((r) => `${r.宛名番号}/${r.履歴番号}`)).toEqual(['1045/1']);
    const dir = await writePackage(await tempDir('pkg'), delta('2022-01-20', '2022-02-01', [...overlap, move1044('2022-02-01')]));
    const r = await load(dir, db);
    expect(r).toMatchObject({ status: 'loaded', historyRowsNew: 1 });
    expect(await query(db, `SELECT 宛名番号, 履歴番号, load_id FROM history WHERE load_id = 2`)).toEqual([{ 宛名番号: '1044', 履歴番号: 2, load_id: 2 }]);
  });

  it('a resent row that differs from the loaded one is refused, naming 宛名番号 / 履歴番号', async () => {
    const db = await storeCopy();
    const changed = { ...rowsSince('2022-01-20')[0]!, 氏名英字: 'HALIMBAWA ANNA' };
    const d = delta('2022-01-20', '2022-02-01', [changed, move1044('2022-02-01')]);
    const r = await loadRejected(await writePackage(await tempDir('pkg'), d), db);
    expectProblem(r, { file: HISTORY_CSV, line: 2, column: '宛名番号, 履歴番号', value: '1045 / 1', message: '取り込み済みの履歴行と内容が違います（履歴は書き換えられません）' });
    expect(r.problems).toHaveLength(1);
    await expectUnchanged(db);
  });

  it('a full package that rewrites a loaded row is refused as well', async () => {
    const db = await storeCopy();
    const d = clonePackage(base);
    findRow(d.history, 1027, 1).生年月日 = '1990-05-05'; // "correcting" history in place instead of by 誤記修正
    const r = await loadRejected(await writePackage(await tempDir('pkg'), d), db);
    expectProblem(r, { file: HISTORY_CSV, column: '宛名番号, 履歴番号', value: '1027 / 1', message: '取り込み済みの履歴行と内容が違います' });
    await expectUnchanged(db);
  });

  it('a gap after the last processedThrough is refused, naming the missing days', async () => {
    const db = await storeCopy();
    const r = await loadRejected(await writePackage(await tempDir('pkg'), delta('2022-02-03', '2022-02-05', [move1044('2022-02-04')])), db);
    expectProblem(r, { file: 'manifest.json', column: 'history.since', value: '2022-02-03', message: '2022-02-01 〜 2022-02-02 の処理分がありません' });
    await expectUnchanged(db);
    const one = await loadRejected(await writePackage(await tempDir('pkg'), delta('2022-02-02', '2022-02-02', [move1044('2022-02-02')])), db);
    expectProblem(one, { file: 'manifest.json', column: 'history.since', value: '2022-02-02', message: '取り込み済み（2022-01-31 まで）との間に抜けがあります: 2022-02-01 の処理分がありません' });
    await expectUnchanged(db);
  });

  it('a new row dated inside the already-loaded period is refused (it should have been in the earlier package)', async () => {
    const db = await storeCopy();
    const late = move1044('2022-01-25');
    const r = await loadRejected(await writePackage(await tempDir('pkg'), delta('2022-01-20', '2022-02-01', [...rowsSince('2022-01-20'), late])), db);
    expectProblem(r, { file: HISTORY_CSV, line: 3, column: '処理日', value: '1044 / 2', message: '前回の処理済み日（2022-01-31）以前の処理日なのに、前回のパッケージになかった行です' });
    await expectUnchanged(db);
  });

  it('a delta as the first load is refused, and no store is created', async () => {
    const db = path.join(await tempDir('delta-first'), 'juki.duckdb');
    const r = await loadRejected(await writePackage(await tempDir('pkg'), delta('2022-02-01', '2022-02-01', [move1044('2022-02-01')])), db);
    expectProblem(r, { file: 'manifest.json', column: 'history', message: '最初の取り込みは full（全履歴）のパッケージで行ってください' });
    expect(await storeHash(db)).toBe('absent');
    expect(await leftovers(db)).toEqual([]);
  });

  it('an older snapshot than the store holds is refused', async () => {
    const db = await storeCopy();
    const d = clonePackage(base);
    d.manifest.processedThrough = '2022-01-30';
    d.history = d.history.filter((r) => String(r.処理日) <= '2022-01-30');
    const r = await loadRejected(await writePackage(await tempDir('pkg'), d), db);
    expectProblem(r, { file: 'manifest.json', column: 'processedThrough', value: '2022-01-30', message: 'ストアには 2022-01-31 まで取り込み済みです' });
    await expectUnchanged(db);
  });

  it('another municipality is refused', async () => {
    const db = await storeCopy();
    const d = clonePackage(base);
    d.manifest.municipalityCode = '014001';
    const r = await loadRejected(await writePackage(await tempDir('pkg'), d), db);
    expectProblem(r, { file: 'manifest.json', column: 'municipalityCode', value: '014001', message: 'このストアは団体コード 013854 のものです' });
    await expectUnchanged(db);
  });
});

describe('reloading', () => {
  it('the same package again: status unchanged, the store file bytes unchanged', async () => {
    const db = await storeCopy();
    const r = await load(mihonDir('UTF-8'), db);
    expect(r.status).toBe('unchanged');
    expect(r.loadId).toBe(1);
    expect(r.snapshots).toHaveLength(1);
    await expectUnchanged(db);
  });

  it('the same data re-exported (a new manifest): a new load with no new rows', async () => {
    const db = await storeCopy();
    const d = clonePackage(base);
    d.manifest.extractedAt = '2022-02-01T03:00:00+09:00';
    const r = await load(await writePackage(await tempDir('pkg'), d), db);
    expect(r).toMatchObject({ status: 'loaded', loadId: 2, historyRowsNew: 0 });
    expect(await query(db, 'SELECT count(*) AS n, max(load_id) AS l FROM history')).toEqual([{ n: 85, l: 1 }]);
  });

  it('a full package missing rows loaded before keeps them and lists them', async () => {
    const db = await storeCopy();
    const d = clonePackage(base);
    d.history = d.history.filter((r) => String(r.宛名番号) !== '1033');
    d.residents = d.residents.filter((r) => String(r.宛名番号) !== '1033');
    const r = await load(await writePackage(await tempDir('pkg'), d), db);
    const missing = r.findings.find((f) => f.kind === 'missing_in_full_package');
    expect(missing?.examples).toEqual([
      { 宛名番号: '1033', 履歴番号: 1, detail: 'パッケージになし' },
      { 宛名番号: '1033', 履歴番号: 2, detail: 'パッケージになし' },
    ]);
    expect(await query(db, `SELECT count(*) AS n FROM history WHERE 宛名番号 = '1033'`)).toEqual([{ n: 2 }]);
  });
});
