// The みほん町 conformance example (../shared/conformance/mihon): the 年報 for 2022 from both
// encodings must equal expected-2022/ byte for byte, every 整合性チェック must hold, and the same
// snapshot and parameters must give byte-identical CSV. Fails (never skips) when ../shared is missing.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/store/db.ts';
import { runNenpo, type NenpoResult } from '../../src/reports/nenpo/index.ts';
import { expectGolden } from './helpers/golden.ts';
import { loadedStore, tempDir } from './helpers/store.ts';

const MIHON = path.resolve(repoRoot, '../shared/conformance/mihon');

function shared(relative: string): string {
  const p = path.join(MIHON, relative);
  if (!existsSync(p)) throw new Error(`${p} がありません: shared フォルダ（conformance）をリポジトリの隣（../shared）に置いてください`);
  return p;
}

const tmp = tempDir('mihon');
afterAll(() => tmp.cleanup());

describe.each(['package-utf8', 'package-cp932'])('みほん町 %s', (pkg) => {
  let db: string;
  let result: NenpoResult;
  beforeAll(async () => {
    ({ db } = await loadedStore(tmp.dir, pkg, shared(pkg)));
    result = await runNenpo({ db, year: 2022, outDir: path.join(tmp.dir, `${pkg}-out`), formats: ['csv'] });
  });

  it('matches expected-2022 byte for byte', () => {
    const compared = expectGolden(result.outDir, shared('expected-2022'));
    expect(compared).toHaveLength(6);
  });

  it('passes every 整合性チェック', () => {
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(new Set(result.checks.map((c) => c.no))).toEqual(new Set([1, 2, 3, 4]));
  });

  it('writes 年齢各歳別人口 consistent with the bands (1006 is 100, 1003 is 5, 1037 has no age)', () => {
    const lines = readFileSync(path.join(result.outDir, '年齢各歳別人口_日本人住民.csv'), 'utf8').trimEnd().split('\r\n');
    const header = lines[0]!.split(',');
    const women = lines.find((l) => l.split(',')[3] === '女')!.split(',');
    const men = lines.find((l) => l.split(',')[3] === '男')!.split(',');
    expect(women[header.indexOf('100歳以上')]).toBe('1');
    expect(men[header.indexOf('5歳')]).toBe('1');
    expect(men[header.indexOf('4歳')]).toBe('0');
    const foreign = readFileSync(path.join(result.outDir, '年齢各歳別人口_外国人住民.csv'), 'utf8').trimEnd().split('\r\n');
    const fw = foreign.find((l) => l.split(',')[3] === '女')!.split(',');
    const sumAges = fw.slice(5).reduce((s, v) => s + Number(v), 0);
    expect(Number(fw[4])).toBe(7);
    expect(sumAges).toBe(6); // 1037 (生年月日不詳) is in 総数 only
  });

  it('records provenance outside the CSV: municipality, snapshot, query version, time', () => {
    const info = readFileSync(path.join(result.outDir, '出力情報.txt'), 'utf8');
    expect(info).toContain('013854 みほん町');
    expect(info).toContain('2022-01-31');
    expect(info).toContain(result.provenance.queryVersion);
    expect(info).toMatch(/作成日時: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00/);
    for (const f of readdirSync(result.outDir).filter((n) => n.endsWith('.csv'))) {
      expect(readFileSync(path.join(result.outDir, f), 'utf8')).not.toContain(result.provenance.createdAt.slice(0, 10));
    }
  });

  it('gives byte-identical CSV for the same snapshot and parameters, and the same result key', async () => {
    const again = await runNenpo({ db, year: 2022, outDir: path.join(tmp.dir, `${pkg}-again`), formats: ['csv'], now: new Date('2030-01-01T00:00:00Z') });
    for (const f of readdirSync(result.outDir).filter((n) => n.endsWith('.csv'))) {
      expect(readFileSync(path.join(again.outDir, f)).equals(readFileSync(path.join(result.outDir, f))), f).toBe(true);
    }
    expect(again.provenance.resultKey).toBe(result.provenance.resultKey);
    expect(again.provenance.createdAt).not.toBe(result.provenance.createdAt);
  });
});

describe('--bom', () => {
  it('prefixes a UTF-8 BOM and otherwise writes the same bytes', async () => {
    const { db } = await loadedStore(tmp.dir, 'bom', shared('package-utf8'));
    const plain = await runNenpo({ db, year: 2022, outDir: path.join(tmp.dir, 'plain'), formats: ['csv'] });
    const bom = await runNenpo({ db, year: 2022, outDir: path.join(tmp.dir, 'bom'), formats: ['csv'], bom: true });
    const name = '人口世帯数人口動態_総計.csv';
    const a = readFileSync(path.join(plain.outDir, name));
    const b = readFileSync(path.join(bom.outDir, name));
    expect([...b.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(b.subarray(3).equals(a)).toBe(true);
    expect(bom.provenance.resultKey).not.toBe(plain.provenance.resultKey);
  });
});
