// `npm run bench` — ingest part: first full load and a nightly package (full 住民.csv + one day's
// delta of 異動履歴), in UTF-8 and CP932, each beside DuckDB's own read_csv of the same data.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { synthesize } from '../synth/index.ts';
import { measureNode, type Measured } from './measure.ts';
import { repoRoot } from '../store/db.ts';
import type { ReportTimings } from './reports.ts';

export interface BenchRow {
  name: string;
  /** Why the measurement failed, if it did. */
  error?: string;
  seconds: number;
  baselineSeconds?: number;
  target: string;
  peakRssMb: number;
  ok: boolean;
}

const juki = path.join(repoRoot, 'bin/juki.mjs');

/** Synthesises (or reuses) the bench packages: the same town in UTF-8 and CP932, with one nightly delta. */
async function packages(dir: string, residents: number): Promise<{ utf8: string; cp932: string; nightlyUtf8: string; nightlyCp932: string }> {
  const marker = path.join(dir, 'packages.json');
  const wanted = JSON.stringify({ residents, seed: 'bench', deltaDays: 1, version: 1 });
  const utf8 = path.join(dir, 'utf8');
  const cp932 = path.join(dir, 'cp932');
  const reuse = existsSync(marker) && (await readFile(marker, 'utf8')) === wanted;
  if (!reuse) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    for (const [out, encoding] of [[utf8, 'UTF-8'], [cp932, 'CP932']] as const) {
      const t0 = performance.now();
      const r = await synthesize({ residents, seed: 'bench', out, encoding, deltaDays: 1 });
      console.log(`  合成 ${encoding}: 住民.csv ${r.personsCount.toLocaleString()} 行、異動履歴.csv ${r.historyRows.toLocaleString()} 行 (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    await writeFile(marker, wanted);
  }
  const nightly = (base: string) => {
    const names = ['nightly-2026-01-01'];
    return path.join(base, names[0]!);
  };
  return { utf8, cp932, nightlyUtf8: nightly(utf8), nightlyCp932: nightly(cp932) };
}

const load = (pkg: string, db: string): Promise<Measured> => measureNode([juki, 'load', pkg, '--db', db, '--json']);
const baseline = (pkg: string, db: string): Promise<Measured> => measureNode([juki, 'bench-baseline', pkg, '--db', db]);

async function attempt(name: string, target: string, run: () => Promise<BenchRow>): Promise<BenchRow> {
  try {
    return await run();
  } catch (e) {
    return { name, target, seconds: NaN, peakRssMb: NaN, ok: false, error: (e as Error).message.split('\n').slice(0, 4).join(' ') };
  }
}

/** Runs the ingest benchmark; each row is passed to `onRow` as soon as it is measured. */
export async function benchIngest(dir: string, residents: number, onRow: (row: BenchRow) => void = () => {}): Promise<BenchRow[]> {
  const p = await packages(dir, residents);
  const rows: BenchRow[] = [];
  const push = (row: BenchRow) => {
    row.ok = row.ok && row.peakRssMb < 2048;
    rows.push(row);
    onRow(row);
  };
  const base = await baseline(p.utf8, path.join(dir, 'baseline-full.duckdb'));
  const baseNightly = await baseline(p.nightlyUtf8, path.join(dir, 'baseline-nightly.duckdb'));
  for (const [label, pkg, nightly, limit] of [['UTF-8', p.utf8, p.nightlyUtf8, 1.5], ['CP932', p.cp932, p.nightlyCp932, 2]] as const) {
    const db = path.join(dir, `store-${label}.duckdb`);
    await rm(db, { force: true });
    const fullName = `初回 全件取り込み ${label}`;
    const full = await attempt(fullName, `≤ ${limit}× 基準`, async () => {
      const m = await load(pkg, db);
      return { name: fullName, seconds: m.seconds, baselineSeconds: base.seconds, target: `≤ ${limit}× 基準`, peakRssMb: m.peakRssMb, ok: m.seconds <= limit * base.seconds };
    });
    push(full);
    if (full.error) continue;
    const nightName = `夜間パッケージ ${label}`;
    push(await attempt(nightName, '< 30 秒', async () => {
      const m = await load(nightly, db);
      return { name: nightName, seconds: m.seconds, baselineSeconds: baseNightly.seconds, target: '< 30 秒', peakRssMb: m.peakRssMb, ok: m.seconds < 30 };
    }));
    if (label === 'UTF-8') {
      // Reports on the loaded store (the snapshot after the nightly package): 年報 2026, 定期報告 FY2024.
      const measured = await measureNode([juki, 'bench-reports', '--db', db, '--year', '2026']).catch((e: Error) => e);
      if (measured instanceof Error) {
        push({ name: '年報（全表・CSV と XLSX）', target: '< 10 秒、≤ 3× 基準', seconds: NaN, peakRssMb: NaN, ok: false, error: measured.message.split('\n')[0] });
      } else {
        const t = JSON.parse(measured.stdout.trim().split('\n').pop()!) as ReportTimings;
        push({ name: '年報（全表・CSV と XLSX）', seconds: t.nenpo, baselineSeconds: t.nenpoBaseline, target: '< 10 秒、≤ 3× 基準', peakRssMb: measured.peakRssMb, ok: t.nenpo < 10 && t.nenpo <= 3 * t.nenpoBaseline });
        push({ name: '定期報告（1年度）', seconds: t.zairyu, baselineSeconds: t.zairyuBaseline, target: '< 3 秒', peakRssMb: measured.peakRssMb, ok: t.zairyu < 3 });
      }
    }
  }
  return rows;
}
