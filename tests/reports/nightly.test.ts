// The nightly chain (juki nightly): load, 年報 of the current year, 定期報告 of the current fiscal
// year to date, into <out>/<processedThrough>/, one line appended to <out>/nightly.log; a failure
// anywhere is a non-zero exit with a clear message.
import { existsSync, readFileSync, readdirSync, writeFileSync, cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nenpoYearFor, runNightly } from '../../src/cli/nightly.ts';
import { fixturePackage } from './helpers/fixtures.ts';
import { runCli } from './helpers/cli.ts';
import { tempDir } from './helpers/store.ts';

const tmp = tempDir('nightly');
afterAll(() => tmp.cleanup());

describe('juki nightly', () => {
  it('the 年報 year is the one the snapshot completes', () => {
    expect(nenpoYearFor('2024-01-31')).toBe(2024);
    expect(nenpoYearFor('2023-12-30')).toBe(2023);
    expect(nenpoYearFor('2023-12-31')).toBe(2024);
  });

  it('loads, writes both reports into a dated folder and logs one line', async () => {
    const out = path.join(tmp.dir, 'out');
    const db = path.join(tmp.dir, 'nightly.duckdb');
    const r = await runNightly({ source: fixturePackage('year-boundary'), db, out });
    expect(r.exitCode, r.message).toBe(0);
    expect(r.dir).toBe(path.join(out, '2024-01-31'));
    expect(readdirSync(r.dir!).sort()).toEqual(['定期報告_2023-04_2024-01', '年報_2024']);
    expect(existsSync(path.join(r.dir!, '年報_2024', '人口世帯数人口動態_総計.csv'))).toBe(true);
    expect(existsSync(path.join(r.dir!, '年報_2024', '年報_2024_013862.xlsx'))).toBe(true);
    expect(existsSync(path.join(r.dir!, '定期報告_2023-04_2024-01', '定期報告_住居地届出.csv'))).toBe(true);
    const log = readFileSync(path.join(out, 'nightly.log'), 'utf8').trimEnd().split('\n');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/\tnightly\tpackage=.*\tresult=OK\tload:ok:[\d.]+s.*nenpo 2024:ok:[\d.]+s.*zairyu 2023-04\.\.2024-01:ok:[\d.]+s.*\ttotal=[\d.]+s\tout=/);

    // The same package again: the load is unchanged, the CSV bytes are the same, a second log line.
    const before = readFileSync(path.join(r.dir!, '年報_2024', '人口世帯数人口動態_総計.csv'));
    const again = await runNightly({ source: fixturePackage('year-boundary'), db, out });
    expect(again.exitCode).toBe(0);
    expect(readFileSync(path.join(r.dir!, '年報_2024', '人口世帯数人口動態_総計.csv')).equals(before)).toBe(true);
    expect(readFileSync(path.join(out, 'nightly.log'), 'utf8').trimEnd().split('\n')).toHaveLength(2);
  });

  it('exits 2 with a clear message for a damaged package, and logs the failure', () => {
    const pkg = path.join(tmp.dir, 'damaged');
    cpSync(fixturePackage('year-boundary'), pkg, { recursive: true });
    writeFileSync(path.join(pkg, '住民.csv'), readFileSync(path.join(pkg, '住民.csv')).subarray(0, 300));
    const out = path.join(tmp.dir, 'out-damaged');
    const r = runCli(['nightly', pkg, '--db', path.join(tmp.dir, 'damaged.duckdb'), '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('load で失敗しました');
    expect(r.stderr).toContain('sha256');
    expect(readFileSync(path.join(out, 'nightly.log'), 'utf8')).toMatch(/result=FAILED\tload:failed/);
  });

  it('exits 3 when the 整合性チェック fails, with the reports written', () => {
    const out = path.join(tmp.dir, 'out-broken');
    const r = runCli(['nightly', fixturePackage('check-failure'), '--db', path.join(tmp.dir, 'broken.duckdb'), '--out', out, '--format', 'csv']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('整合性チェックに不合格');
    expect(r.stderr).toContain('宛名番号 5001 履歴番号 2');
    expect(existsSync(path.join(out, '2024-01-31', '年報_2024', '整合性チェック.csv'))).toBe(true);
    expect(readFileSync(path.join(out, 'nightly.log'), 'utf8')).toContain('result=CHECK-NG');
  });
});
