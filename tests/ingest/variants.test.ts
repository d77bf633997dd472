// What the loader must accept and store identically: CP932 with 外字 (cp932-gaiji fixture), characters
// outside CP932 in UTF-8, Parquet instead of CSV, a vendor export with mapping.json, .zip packages,
// and the CSV dialect's freedoms (LF or CRLF, BOM or not, quoted commas, quotes and line breaks).
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clonePackage, findRow, mihon, mihonDir, readPackage, removeTempDirs, tempDir, writePackage, writeZip, zipPackage, type PackageData,
} from '../helpers/package.ts';
import type { LoadReport } from '../../src/ingest/load.ts';
import { expectProblem, leftovers, load, loadRejected, query, storeHash } from '../helpers/store.ts';

const GAIJI = path.resolve(import.meta.dirname, '../fixtures/ingest/cp932-gaiji/package');
const HISTORY_SQL = 'SELECT * EXCLUDE (load_id) FROM history ORDER BY 宛名番号, 履歴番号';

let base: PackageData;
let reference: unknown[];
let gaiji: { db: string; report: LoadReport };

beforeAll(async () => {
  base = await mihon('UTF-8');
  const db = path.join(await tempDir('variants-ref'), 'ref.duckdb');
  await load(mihonDir('UTF-8'), db);
  reference = await query(db, HISTORY_SQL);
  gaiji = await loadFresh(GAIJI);
});
afterAll(removeTempDirs);

async function loadFresh(dir: string) {
  const db = path.join(await tempDir('variants'), 'juki.duckdb');
  const report = await load(dir, db);
  expect(await leftovers(db)).toEqual([]);
  return { db, report };
}

describe('characters', () => {
  it('CP932 with 外字: kept as private-use characters and counted in the load report', async () => {
    const { db, report } = gaiji;
    const names = await query<{ id: string; 氏名: string; 方書: string | null }>(db,
      `SELECT 宛名番号 AS id, 氏名, 方書 FROM history WHERE 履歴番号 = 1 ORDER BY 1`);
    expect(names).toEqual([
      { id: '4001', 氏名: '\uE000見本　花子', 方書: null },
      { id: '4002', 氏名: '髙見本　\uE0BB', 方書: null },
      { id: '4003', 氏名: '見本﨑　\uE0BC', 方書: 'みほん荘\uE757号' },
      { id: '4004', 氏名: '見本　四郎', 方書: '①号室' },
    ]);
    expect(await query(db, `SELECT 住所 FROM history WHERE 宛名番号 = '4004' ORDER BY 履歴番号`)).toEqual([
      { 住所: '北海道みほん町字みほん１００～１０２番地' }, { 住所: '北海道みほん町本町2丁目１～２番' },
    ]);
    expect(report.charset).toEqual([
      { file: '住民.csv', column: '氏名', gaijiRows: 3, outsideCp932Rows: 0, outsideChars: [] },
      { file: '住民.csv', column: '方書', gaijiRows: 1, outsideCp932Rows: 0, outsideChars: [] },
      { file: '異動履歴.csv', column: '氏名', gaijiRows: 3, outsideCp932Rows: 0, outsideChars: [] },
      { file: '異動履歴.csv', column: '方書', gaijiRows: 1, outsideCp932Rows: 0, outsideChars: [] },
    ]);
  });

  it('the 外字 bytes are the user-defined area F040 / F0FC / F140 / F9FC', async () => {
    const bytes = await readFile(path.join(GAIJI, '住民.csv'));
    for (const hex of ['f040', 'f0fc', 'f140', 'f9fc']) expect(bytes.includes(Buffer.from(hex, 'hex')), hex).toBe(true);
  });

  it('the same package in UTF-8 gives the same history table', async () => {
    const d = await readPackage(GAIJI);
    d.manifest.encoding = 'UTF-8';
    d.bom = true;
    const utf8 = await loadFresh(await writePackage(await tempDir('pkg'), d));
    const cp932 = gaiji;
    expect(await query(utf8.db, HISTORY_SQL)).toEqual(await query(cp932.db, HISTORY_SQL));
    expect(utf8.report.charset).toEqual(cp932.report.charset);
  });

  it('UTF-8 characters outside CP932 are kept and listed', async () => {
    const d = clonePackage(base);
    for (const r of [findRow(d.residents, 1001), findRow(d.history, 1001, 2)]) {
      r.氏名 = '𠮷見本　太郎';
      r.方書 = 'みほん荘〜1号';
    }
    const { db, report } = await loadFresh(await writePackage(await tempDir('pkg'), d));
    expect(await query(db, `SELECT 氏名, 方書 FROM history WHERE 宛名番号 = '1001' AND 履歴番号 = 2`)).toEqual([{ 氏名: '𠮷見本　太郎', 方書: 'みほん荘〜1号' }]);
    expect(report.charset).toEqual([
      { file: '住民.csv', column: '氏名', gaijiRows: 0, outsideCp932Rows: 1, outsideChars: ['U+20BB7'] },
      { file: '住民.csv', column: '方書', gaijiRows: 0, outsideCp932Rows: 1, outsideChars: ['U+301C'] },
      { file: '異動履歴.csv', column: '氏名', gaijiRows: 0, outsideCp932Rows: 1, outsideChars: ['U+20BB7'] },
      { file: '異動履歴.csv', column: '方書', gaijiRows: 0, outsideCp932Rows: 1, outsideChars: ['U+301C'] },
    ]);
  });
});

describe('package forms giving the same store as みほん町 UTF-8', () => {
  it('Parquet files instead of CSV', async () => {
    const d = clonePackage(base);
    d.format = 'parquet';
    const dir = await writePackage(await tempDir('pkg'), d);
    const { db, report } = await loadFresh(dir);
    expect(report.files).toEqual([{ name: '住民.parquet', rows: 45 }, { name: '異動履歴.parquet', rows: 85 }]);
    expect(await query(db, HISTORY_SQL)).toEqual(reference);
  });

  it('a vendor export: other column names and codes, translated by mapping.json; unknown columns warned', async () => {
    const d = clonePackage(base);
    const rename: Record<string, string> = { 宛名番号: 'ATENA_NO', 世帯番号: 'SETAI_NO', 異動事由: 'IDO_JIYU_CD', 性別: 'SEIBETSU' };
    const reasons = [...new Set(d.history.map((r) => String(r.異動事由)))];
    const reasonCode = new Map(reasons.map((name, i) => [name, `J${String(i + 1).padStart(2, '0')}`]));
    const vendor = (rows: typeof d.history) => rows.map((r) => {
      const out: Record<string, string | number | null | undefined> = { VENDOR_MEMO: 'x' };
      for (const [k, v] of Object.entries(r)) out[rename[k] ?? k] = v;
      out.SEIBETSU = r.性別 === '男' ? 'M' : 'F';
      if (r.異動事由 !== undefined) out.IDO_JIYU_CD = reasonCode.get(String(r.異動事由));
      return out;
    });
    d.residents = vendor(d.residents);
    d.history = vendor(d.history);
    d.residentsHeader = [...d.residentsHeader.map((h) => rename[h] ?? h), 'VENDOR_MEMO'];
    d.historyHeader = d.historyHeader.map((h) => rename[h] ?? h);
    d.mapping = {
      columns: Object.fromEntries(Object.entries(rename).map(([std, v]) => [v, std])),
      codes: { 異動事由: Object.fromEntries([...reasonCode].map(([name, code]) => [code, name])), 性別: { M: '男', F: '女' } },
    };
    const { db, report } = await loadFresh(await writePackage(await tempDir('pkg'), d));
    expect(report.warnings).toEqual(['住民.csv: 仕様にない列を無視しました（VENDOR_MEMO）']);
    expect(await query(db, HISTORY_SQL)).toEqual(reference);
  });

  it('性別 written as 1 / 2 is stored as 男 / 女', async () => {
    const d = clonePackage(base);
    for (const r of [...d.residents, ...d.history]) r.性別 = r.性別 === '男' ? '1' : '2';
    const { db } = await loadFresh(await writePackage(await tempDir('pkg'), d));
    expect(await query(db, HISTORY_SQL)).toEqual(reference);
  });

  it('LF line ends, no BOM, and quoted fields with commas, quotes and line breaks', async () => {
    const d = clonePackage(base);
    d.eol = '\n';
    d.bom = false;
    const tricky = 'みほん荘 "A棟",\r\n101号';
    for (const r of [findRow(d.residents, 1030), findRow(d.history, 1030, 1)]) r.方書 = tricky;
    const dir = await writePackage(await tempDir('pkg'), d);
    expect((await readFile(path.join(dir, '住民.csv'), 'utf8')).includes('"みほん荘 ""A棟"",\r\n101号"')).toBe(true);
    const { db, report } = await loadFresh(dir);
    expect(report.files).toEqual([{ name: '住民.csv', rows: 45 }, { name: '異動履歴.csv', rows: 85 }]);
    expect(await query(db, `SELECT 方書 FROM history WHERE 宛名番号 = '1030'`)).toEqual([{ 方書: tricky }]);
    expect(report.findings).toEqual([]);
    const others = (await query<Record<string, unknown>>(db, HISTORY_SQL)).filter((r) => r.宛名番号 !== '1030');
    expect(others).toEqual((reference as Record<string, unknown>[]).filter((r) => r.宛名番号 !== '1030'));
  });

  it('a .zip of the package folder (CP932)', async () => {
    const zip = await zipPackage(mihonDir('CP932'), path.join(await tempDir('zip'), 'mihon.zip'), 'mihon-20220131');
    const { db, report } = await loadFresh(zip);
    expect(report.encoding).toBe('CP932');
    expect(await query(db, HISTORY_SQL)).toEqual(reference);
  });
});

describe('bad .zip files', () => {
  it('an entry outside its folder is refused, nothing is written outside, no store is created', async () => {
    const tmp = await tempDir('zip-slip');
    const db = path.join(tmp, 'juki.duckdb');
    const zip = path.join(tmp, 'evil.zip');
    await writeZip(zip, [
      { name: 'manifest.json', data: await readFile(path.join(mihonDir('UTF-8'), 'manifest.json')) },
      { name: '../juki-test-escaped.txt', data: Buffer.from('x') },
    ]);
    const r = await loadRejected(zip, db);
    expectProblem(r, { file: 'evil.zip', message: /ZIP として読めないか、不正なパスの項目があります/ });
    expect(existsSync(path.join(os.tmpdir(), 'juki-test-escaped.txt'))).toBe(false);
    expect(await storeHash(db)).toBe('absent');
    expect(await leftovers(db)).toEqual([]);
  });

  it('a file that is not a zip is refused with a Japanese message', async () => {
    const tmp = await tempDir('zip-bad');
    const zip = path.join(tmp, 'broken.zip');
    await writeFile(zip, 'not a zip');
    const r = await loadRejected(zip, path.join(tmp, 'juki.duckdb'));
    expectProblem(r, { file: 'broken.zip', message: /ZIP として開けません/ });
  });
});
