// Property: on a synthetic municipality (src/synth) every 整合性チェック holds for several years in a
// row, and for a designated city the ward rows add up to the city row (moves between wards cancel).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../src/synth/index.ts';
import { runNenpo } from '../../src/reports/nenpo/index.ts';
import { loadedStore, tempDir } from './helpers/store.ts';

const tmp = tempDir('property');
afterAll(() => tmp.cleanup());

function table(file: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\r\n').map((l) => l.split(','));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

describe('synthetic towns', () => {
  it('pass every 整合性チェック, year after year', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), fc.boolean(), async (seed, designatedCity) => {
        run++;
        const pkg = path.join(tmp.dir, `town-${run}`);
        await synthesize({ residents: 1500, seed, out: pkg, designatedCity, years: 6, processedThrough: '2023-12-31' });
        const { db } = await loadedStore(tmp.dir, `town-${run}`, pkg);
        for (const year of [2019, 2020, 2021, 2022, 2023, 2024]) {
          const r = await runNenpo({ db, year, outDir: path.join(tmp.dir, `town-${run}-${year}`), formats: ['csv'] });
          const failed = r.checks.filter((c) => !c.ok);
          expect(failed, `seed ${seed}, designated ${designatedCity}, year ${year}`).toEqual([]);
          if (!designatedCity) continue;
          const rows = table(path.join(r.outDir, '人口世帯数人口動態_総計.csv'));
          const [city, ...wards] = rows;
          expect(wards.length).toBeGreaterThan(1);
          const sum = (col: string) => wards.reduce((s, w) => s + Number(w[col]), 0);
          for (const col of ['人口（計）', '世帯数', '出生者数', '死亡者数', '転入者数（国外）', '転出者数（国外）', 'その他記載', 'その他消除', '増減数（Ａ）－（Ｂ）']) {
            expect(sum(col), `${col} ${year}`).toBe(Number(city![col]));
          }
          expect(sum('転入者数（国内）') - sum('転出者数（国内）')).toBe(Number(city!['転入者数（国内）']) - Number(city!['転出者数（国内）']));
        }
      }),
      { numRuns: 2, seed: 20240101, examples: [[7, true]] },
    );
  }, 600_000);
});
