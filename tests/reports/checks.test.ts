// A failing 整合性チェック (tests/fixtures/check-failure): the report is still produced, clearly
// marked, and each failure names the 宛名番号 / 履歴番号 behind it — in the result, in
// 整合性チェック.csv, in the workbook, and on the terminal with exit code 3.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNenpo, type NenpoResult } from '../../src/reports/nenpo/index.ts';
import { fixturePackage } from './helpers/fixtures.ts';
import { runCli } from './helpers/cli.ts';
import { loadedStore, tempDir } from './helpers/store.ts';

const tmp = tempDir('checks');
afterAll(() => tmp.cleanup());

let db: string;
let result: NenpoResult;
beforeAll(async () => {
  ({ db } = await loadedStore(tmp.dir, 'broken', fixturePackage('check-failure')));
  result = await runNenpo({ db, year: 2024, outDir: path.join(tmp.dir, 'out') });
});

describe('a register with data errors', () => {
  it('fails checks 1 and 3 and names the persons', () => {
    expect(result.ok).toBe(false);
    const failed = result.checks.filter((c) => !c.ok);
    const named = (no: number, seg: string, sex: string) =>
      failed.find((c) => c.no === no && c.segment === seg && c.sex === sex)?.persons.map((p) => `${p.宛名番号}#${p.履歴番号.join(',')}`);
    expect(named(1, '日本人住民', '計')).toEqual(['5001#2']);
    expect(named(1, '日本人住民', '男')).toEqual(['5001#2', '5002#2']);
    expect(named(1, '日本人住民', '女')).toEqual(['5002#2']);
    expect(named(3, '日本人住民', '女')).toEqual(['5003#1']);
    expect(failed.every((c) => c.persons.length > 0)).toBe(true);
    expect(failed.some((c) => c.no === 2 || c.no === 4)).toBe(false);
  });

  it('still writes every file, and marks the failure in 整合性チェック.csv and 出力情報.txt', () => {
    expect(result.files.map((f) => path.basename(f))).toEqual(expect.arrayContaining([
      '人口世帯数人口動態_日本人住民.csv', '年齢階級別人口_総計.csv', '整合性チェック.csv', '出力情報.txt', '年報_2024_013897.xlsx',
    ]));
    const csv = readFileSync(path.join(result.outDir, '整合性チェック.csv'), 'utf8');
    expect(csv).toMatch(/,NG,宛名番号 5003 履歴番号 1: 生年月日が基準日より後/);
    expect(readFileSync(path.join(result.outDir, '出力情報.txt'), 'utf8')).toMatch(/整合性チェック: 不合格 \d+ 項目/);
  });

  it('marks the workbook: a red warning in the title area and the NG rows on the 整合性チェック sheet', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(result.outDir, '年報_2024_013897.xlsx'));
    const ws = wb.getWorksheet('人口動態_総計')!;
    let warning: ExcelJS.Cell | undefined;
    ws.eachRow((row) => row.eachCell((cell) => {
      if (typeof cell.value === 'string' && cell.value.includes('不合格')) warning = cell;
    }));
    expect(warning, 'warning cell').toBeDefined();
    expect(warning!.font?.color?.argb).toBe('FFC00000');
    const checks = wb.getWorksheet('整合性チェック')!;
    const texts: string[] = [];
    checks.eachRow((row) => texts.push(row.values.toString()));
    expect(texts.join('\n')).toContain('宛名番号 5001 履歴番号 2');
  });

  it('the CLI prints the failures with their persons and exits with 3', () => {
    const r = runCli(['report', 'nenpo', '--year', '2024', '--db', db, '--out', path.join(tmp.dir, 'cli'), '--format', 'csv']);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stdout).toContain('整合性チェック: 不合格');
    expect(r.stdout).toContain('宛名番号 5002 履歴番号 2');
    expect(r.stderr).toContain('整合性チェック.csv');
  });
});
