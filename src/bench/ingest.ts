// `npm run bench` — ingest part: first full load and a nightly package (full 住民.csv + one day's
// delta of 異動履歴), in UTF-8 and CP932, each beside DuckDB's own read_csv of the same data.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { synthesize } from '../synth/index.ts';
import { measureNode, type Measured } from './measure.ts';
import { repoRoot } from '../store/db.ts';

export interface BenchRow {
  name: string;
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

/** Runs the ingest benchmark and returns its rows. */
export async function benchIngest(dir: string, residents: number): Promise<BenchRow[]> {
  const p = await packages(dir, residents);
  const rows: BenchRow[] = [];
  const base = await baseline(p.utf8, path.join(dir, 'baseline-full.duckdb'));
  const baseNightly = await baseline(p.nightlyUtf8, path.join(dir, 'baseline-nightly.duckdb'));
  for (const [label, pkg, nightly, limit] of [['UTF-8', p.utf8, p.nightlyUtf8, 1.5], ['CP932', p.cp932, p.nightlyCp932, 2]] as const) {
    const db = path.join(dir, `store-${label}.duckdb`);
    await rm(db, { force: true });
    const full = await load(pkg, db);
    rows.push({ name: `初回 全件取り込み ${label}`, seconds: full.seconds, baselineSeconds: base.seconds, target: `≤ ${limit}× 基準`, peakRssMb: full.peakRssMb, ok: full.seconds <= limit * base.seconds });
    const before = path.join(dir, `store-${label}-before-nightly.duckdb`);
    await copyFile(db, before);
    const night = await load(nightly, db);
    rows.push({ name: `夜間パッケージ ${label}`, seconds: night.seconds, baselineSeconds: baseNightly.seconds, target: '< 30 秒', peakRssMb: night.peakRssMb, ok: night.seconds < 30 });
    await rm(before, { force: true });
  }
  for (const r of rows) r.ok = r.ok && r.peakRssMb < 2048;
  return rows;
}
