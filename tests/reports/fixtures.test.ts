// Golden tests on the fixture municipalities of tests/fixtures/ (each with a README.md listing the
// persons and the hand tally): the 年報 (and where given the 定期報告) equal the expected CSV files,
// and every committed package is exactly what its persons.ts builds.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNenpo } from '../../src/reports/nenpo/index.ts';
import { runZairyu } from '../../src/reports/zairyu/index.ts';
import { FIXTURES_DIR, FIXTURE_CASES, fixturePackage, writeFixture, type FixtureCase } from './helpers/fixtures.ts';
import { expectGolden } from './helpers/golden.ts';
import { loadedStore, tempDir } from './helpers/store.ts';

const tmp = tempDir('fixtures');
afterAll(() => tmp.cleanup());

const expectedDirs = (name: FixtureCase) => readdirSync(path.join(FIXTURES_DIR, name)).filter((d) => d.startsWith('expected-')).sort();

describe.each(FIXTURE_CASES)('fixture %s', (name) => {
  it('has a README, and its committed package is what persons.ts builds', async () => {
    expect(readFileSync(path.join(FIXTURES_DIR, name, 'README.md'), 'utf8').length).toBeGreaterThan(200);
    const rebuilt = path.join(tmp.dir, `${name}-rebuilt`);
    await writeFixture(name, rebuilt);
    for (const f of ['manifest.json', '住民.csv', '異動履歴.csv']) {
      expect(readFileSync(path.join(rebuilt, f)).equals(readFileSync(path.join(fixturePackage(name), f))),
        `${name}/package/${f} is stale: run npx tsx tests/reports/helpers/fixtures.ts`).toBe(true);
    }
  });

  it('loads, and every expected-* folder matches', async () => {
    const { db, report } = await loadedStore(tmp.dir, name, fixturePackage(name));
    expect(report.findings.filter((f) => f.kind.startsWith('residents') || f.kind.startsWith('history_without'))).toEqual([]);
    const dirs = expectedDirs(name);
    expect(dirs.length).toBeGreaterThan(0);
    for (const dir of dirs) {
      const out = path.join(tmp.dir, `${name}-${dir}`);
      const nenpo = /^expected-(\d{4})$/.exec(dir);
      const zairyu = /^expected-zairyu-(\d{4}-\d{2})-(\d{4}-\d{2})$/.exec(dir);
      if (nenpo) await runNenpo({ db, year: Number(nenpo[1]), outDir: out, formats: ['csv'] });
      else if (zairyu) await runZairyu({ db, from: zairyu[1], to: zairyu[2], outDir: out, formats: ['csv'] });
      else throw new Error(`unknown expected folder ${dir}`);
      expectGolden(out, path.join(FIXTURES_DIR, name, dir));
    }
  });
});

describe('fixture checks', () => {
  it('every 整合性チェック holds on the consistent fixtures', async () => {
    for (const name of ['year-boundary', 'naturalisation-cancellation', 'designated-city'] as const) {
      const { db } = await loadedStore(tmp.dir, `${name}-checks`, fixturePackage(name));
      const r = await runNenpo({ db, year: 2024, outDir: path.join(tmp.dir, `${name}-checks-out`), formats: ['csv'] });
      expect(r.checks.filter((c) => !c.ok), name).toEqual([]);
    }
  });

  it('a report for a year the snapshot does not complete is marked as not final', async () => {
    const { db } = await loadedStore(tmp.dir, 'yb-2025', fixturePackage('year-boundary'));
    const r = await runNenpo({ db, year: 2025, outDir: path.join(tmp.dir, 'yb-2025-out'), formats: ['csv'] });
    expect(r.warnings.join()).toContain('確定値ではありません');
    expect(readFileSync(path.join(r.outDir, '出力情報.txt'), 'utf8')).toContain('確定値ではありません');
  });
});
