// 公表用 statutory tables: the 年報's age tables and the 定期報告's tables on みほん町 and on the
// designated city (wards published, the city as the column totals), through the CLI: no shown count
// below k, the shown counts are the report's own, and table 1 has no 公表用 form.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mihon, removeTempDirs, tempDir, writePackage } from '../helpers/package.ts';
import { load } from '../helpers/store.ts';
import { runCli } from './helpers/cli.ts';
import { fixturePackage } from './helpers/fixtures.ts';

let db: string;
let cityDb: string;
beforeAll(async () => {
  const dir = await tempDir('publish');
  db = path.join(dir, 'mihon.duckdb');
  await load(await writePackage(path.join(dir, 'pkg'), await mihon('UTF-8')), db);
  cityDb = path.join(dir, 'city.duckdb');
  await load(fixturePackage('designated-city'), cityDb);
});
afterAll(removeTempDirs);

async function csv(file: string): Promise<string[][]> {
  return Papa.parse<string[]>((await readFile(file, 'utf8')).replace(/^\uFEFF/, '').trimEnd(), { skipEmptyLines: true }).data;
}

/** Every shown count is 0 or ≥ k; returns how many X there are. */
function checkShown(rows: string[][], firstValue: number, k: number): number {
  let x = 0;
  for (const r of rows.slice(1)) {
    for (const v of r.slice(firstValue)) {
      if (v === 'X') x++;
      else expect(Number(v) === 0 || Number(v) >= k, `${r.join(',')}`).toBe(true);
    }
  }
  return x;
}

describe('statutory 公表用', () => {
  it('年報: age tables get a 公表用 CSV with X for small counts; the shown ones are the report\'s; table 1 gets none', async () => {
    const out = await tempDir('publish-nenpo');
    const r = runCli(['report', 'nenpo', '--db', db, '--year', '2022', '--out', out, '--format', 'csv', '--public', '--k', '3']);
    expect(r.status, r.stderr).toBe(0);
    const names = (await readdir(out)).filter((n) => n.endsWith('_公表用.csv')).sort();
    expect(names).toEqual([
      '年齢各歳別人口_外国人住民_公表用.csv', '年齢各歳別人口_日本人住民_公表用.csv', '年齢各歳別人口_総計_公表用.csv',
      '年齢階級別人口_外国人住民_公表用.csv', '年齢階級別人口_日本人住民_公表用.csv', '年齢階級別人口_総計_公表用.csv',
    ]);
    const pub = await csv(path.join(out, '年齢階級別人口_総計_公表用.csv'));
    const orig = await csv(path.join(out, '年齢階級別人口_総計.csv'));
    expect(checkShown(pub, 3, 3)).toBeGreaterThan(0);
    // a shown cell equals the report's: row 男, first band
    const head = orig[0]!;
    const man = orig.find((r) => r[3] === '男')!;
    const pubMan = pub.find((r) => r[2] === '男')!;
    for (let i = 3; i < pub[0]!.length - 1; i++) {
      const band = pub[0]![i]!;
      if (pubMan[i] !== 'X') expect(pubMan[i]).toBe(man[head.indexOf(band)]);
    }
  });

  it('designated city: the wards are the rows, the city the column totals', async () => {
    const out = await tempDir('publish-city');
    const r = runCli(['report', 'nenpo', '--db', cityDb, '--year', '2024', '--out', out, '--format', 'csv', '--public']);
    expect(r.status, r.stderr).toBe(0);
    const pub = await csv(path.join(out, '年齢階級別人口_総計_公表用.csv'));
    const codes = new Set(pub.slice(1, -1).map((row) => row[0]));
    expect(codes.has('471003')).toBe(false);
    expect([...codes].every((c) => c!.startsWith('4710'))).toBe(true);
    checkShown(pub, 3, 3);
  });

  it('定期報告: both tables, refused without CSV', async () => {
    const out = await tempDir('publish-zairyu');
    const r = runCli(['report', 'zairyu', '--db', db, '--out', out, '--from', '2021-04', '--to', '2022-01', '--public']);
    expect(r.status, r.stderr).toBe(0);
    expect((await readdir(out)).filter((n) => n.endsWith('_公表用.csv')).sort()).toEqual(['定期報告_住居地届出_公表用.csv', '定期報告_国籍在留資格別_公表用.csv']);
    checkShown(await csv(path.join(out, '定期報告_住居地届出_公表用.csv')), 1, 3);
    const refused = runCli(['report', 'zairyu', '--db', db, '--out', out, '--format', 'xlsx', '--public']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/csv/);
  });
});
