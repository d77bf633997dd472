// Golden-file comparison for report tests (style.md §5): every file in an expected folder must equal
// the produced file byte for byte. A mismatch writes <name>-changed.csv next to the expected file
// (locally, for review and copying over); under CI=true it only fails.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

const isChanged = (name: string) => name.endsWith('-changed.csv');

/** Compares every expected file with the same name in `actualDir`; returns the names compared. */
export function expectGolden(actualDir: string, expectedDir: string): string[] {
  if (!existsSync(expectedDir)) throw new Error(`期待値のフォルダがありません: ${expectedDir}`);
  const names = readdirSync(expectedDir).filter((n) => n.endsWith('.csv') && !isChanged(n)).sort();
  expect(names.length, `${expectedDir} に期待値の CSV がありません`).toBeGreaterThan(0);
  const mismatched: string[] = [];
  for (const name of names) {
    const expectedFile = path.join(expectedDir, name);
    const changedFile = path.join(expectedDir, name.replace(/\.csv$/, '-changed.csv'));
    const actualFile = path.join(actualDir, name);
    const actual = existsSync(actualFile) ? readFileSync(actualFile) : Buffer.from('(not produced)\r\n');
    if (actual.equals(readFileSync(expectedFile))) {
      rmSync(changedFile, { force: true });
      continue;
    }
    mismatched.push(name);
    if (process.env.CI !== 'true') writeFileSync(changedFile, actual);
  }
  expect(mismatched, `期待値と違うファイル（${process.env.CI === 'true' ? 'CI のため -changed.csv は書きません' : '-changed.csv を期待値の隣に書きました'}）`).toEqual([]);
  return names;
}
