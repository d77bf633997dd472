// The 定期報告 (zairyu-report.md): the default period (previous fiscal year), month arithmetic, the
// CSV layout, and the CLI. The derivation of an empty 住居地届出区分 is the golden test of
// tests/fixtures/naturalisation-cancellation (fixtures.test.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runZairyu } from '../../src/reports/zairyu/index.ts';
import { currentFiscalYearToDate, fiscalYearOf, monthsOf, periodDates, previousFiscalYear } from '../../src/reports/zairyu/period.ts';
import { byNationalityAndStatus, type NotificationRow } from '../../src/reports/zairyu/tables.ts';
import { fixturePackage } from './helpers/fixtures.ts';
import { runCli } from './helpers/cli.ts';
import { loadedStore, tempDir } from './helpers/store.ts';

const tmp = tempDir('zairyu');
afterAll(() => tmp.cleanup());

describe('periods', () => {
  it('months and dates of a period', () => {
    expect(monthsOf({ from: '2023-11', to: '2024-02' })).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(periodDates({ from: '2023-04', to: '2024-03' })).toEqual({ d1: '2023-04-01', d2: '2024-04-01' });
    expect(periodDates({ from: '2023-01', to: '2023-12' })).toEqual({ d1: '2023-01-01', d2: '2024-01-01' });
    expect(() => monthsOf({ from: '2024-02', to: '2024-01' })).toThrow('より前');
    expect(() => monthsOf({ from: '2024-13', to: '2024-12' })).toThrow('YYYY-MM');
  });

  it('fiscal years run April to March', () => {
    expect(fiscalYearOf('2024-03-31')).toBe(2023);
    expect(fiscalYearOf('2024-04-01')).toBe(2024);
    expect(previousFiscalYear('2024-01-31')).toEqual({ from: '2022-04', to: '2023-03' });
    expect(previousFiscalYear('2024-04-01')).toEqual({ from: '2023-04', to: '2024-03' });
    expect(currentFiscalYearToDate('2024-01-31')).toEqual({ from: '2023-04', to: '2024-01' });
  });
});

describe('runZairyu', () => {
  let db: string;
  beforeAll(async () => {
    ({ db } = await loadedStore(tmp.dir, 'nc', fixturePackage('naturalisation-cancellation')));
  });

  it('defaults to the fiscal year before the snapshot (processedThrough 2024-01-31 → 2022-04〜2023-03)', async () => {
    const r = await runZairyu({ db, outDir: path.join(tmp.dir, 'default'), formats: ['csv'] });
    expect(r.period).toEqual({ from: '2022-04', to: '2023-03' });
    const header = readFileSync(path.join(r.outDir, '定期報告_住居地届出.csv'), 'utf8').split('\r\n')[0];
    expect(header).toBe('区分,2022-04,2022-05,2022-06,2022-07,2022-08,2022-09,2022-10,2022-11,2022-12,2023-01,2023-02,2023-03,計');
  });

  it('the fiscal year 2023 counts April 2023 onwards and says the snapshot does not complete it', async () => {
    const r = await runZairyu({ db, from: '2023-04', to: '2024-03', outDir: path.join(tmp.dir, 'fy2023'), formats: ['csv'] });
    const total = r.tables[0]!.rows.find((row) => row[0] === '合計')!;
    expect(total.at(-1)).toBe(8);
    expect(r.warnings.join()).toContain('確定値ではありません');
    expect(r.derived).toBe(7);
  });

  it('the CLI writes both CSV files and the workbook', () => {
    const out = path.join(tmp.dir, 'cli');
    const cli = runCli(['report', 'zairyu', '--from', '2023-01', '--to', '2023-12', '--db', db, '--out', out]);
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('定期報告_住居地届出.csv');
    expect(cli.stdout).toContain('定期報告_国籍在留資格別.csv');
    expect(cli.stdout).toMatch(/定期報告_2023-01_2023-12_013889\.xlsx/);
    const bad = runCli(['report', 'zairyu', '--from', '2023-1', '--to', '2023-12', '--db', db, '--out', out]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('YYYY-MM');
  });
});

describe('nationality table', () => {
  it('shows the top 20 nationalities, then その他 and 計', () => {
    const rows: NotificationRow[] = Array.from({ length: 22 }, (_, i) => ({
      月: '2023-04', 区分: '19条の9', 国籍: `国${String(i).padStart(2, '0')}`, 在留資格: '留学', 法30条45区分: '中長期在留者', n: 30 - i, n_derived: 0,
    }));
    const t = byNationalityAndStatus(rows);
    const nat = t.rows.filter((r) => r[0] === '国籍・地域');
    expect(nat).toHaveLength(22);
    expect(nat[0]![1]).toBe('国00');
    expect(nat[19]![1]).toBe('国19');
    expect(nat[20]).toEqual(['国籍・地域', 'その他', 0, 0, 9 + 10, 19, 0, 0, 0, 19]);
    expect(nat[21]![1]).toBe('計');
  });
});
