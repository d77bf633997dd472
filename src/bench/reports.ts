// `npm run bench` — reports part: the full 年報 (all segments, tables, CSV + XLSX) and a year's
// 定期報告 on the bench store, each beside one plain SQL query computing the same counts.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { all, openStore, readQuery } from '../store/db.ts';
import { runNenpo } from '../reports/nenpo/index.ts';
import { runZairyu } from '../reports/zairyu/index.ts';

export interface ReportTimings {
  nenpo: number;
  nenpoBaseline: number;
  zairyu: number;
  zairyuBaseline: number;
}

async function seconds(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return (performance.now() - t0) / 1000;
}

/** Times both reports and their baselines on a loaded store (run in a child process by the bench). */
export async function timeReports(db: string, year: number): Promise<ReportTimings> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'juki-bench-reports-'));
  try {
    const store = await openStore(db, { readOnly: true });
    const baseline = (file: string, params: Record<string, string>) => seconds(() => all(store.conn, readQuery(file), params));
    let nenpoBaseline: number;
    let zairyuBaseline: number;
    try {
      nenpoBaseline = await baseline('bench/nenpo_baseline.sql', { d1: `${year - 1}-01-01`, d2: `${year}-01-01` });
      zairyuBaseline = await baseline('bench/zairyu_baseline.sql', { d1: `${year - 2}-04-01`, d2: `${year - 1}-04-01` });
    } finally {
      store.close();
    }
    const nenpo = await seconds(() => runNenpo({ db, year, outDir: path.join(out, 'nenpo'), formats: ['csv', 'xlsx'] }));
    const zairyu = await seconds(() => runZairyu({ db, from: `${year - 2}-04`, to: `${year - 1}-03`, outDir: path.join(out, 'zairyu'), formats: ['csv', 'xlsx'] }));
    return { nenpo, nenpoBaseline, zairyu, zairyuBaseline };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
