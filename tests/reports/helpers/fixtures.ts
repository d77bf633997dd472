// The fixture municipalities under tests/fixtures/<case>/: persons.ts defines the register,
// package/ is the snapshot built from it (committed, so the package can be read without running
// code), expected-YYYY/ holds hand-checked outputs. `npx tsx tests/reports/helpers/fixtures.ts`
// rewrites every package/ after a change to a persons.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rm } from 'node:fs/promises';
import { buildPackage, type PackageDef } from './package.ts';

export const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');

export const FIXTURE_CASES = ['year-boundary', 'naturalisation-cancellation', 'designated-city', 'check-failure'] as const;
export type FixtureCase = (typeof FIXTURE_CASES)[number];

export async function fixtureDef(name: FixtureCase): Promise<PackageDef> {
  const mod = (await import(path.join(FIXTURES_DIR, name, 'persons.ts'))) as { def: PackageDef };
  return mod.def;
}

export const fixturePackage = (name: FixtureCase): string => path.join(FIXTURES_DIR, name, 'package');

/** Rewrites tests/fixtures/<case>/package from persons.ts. */
export async function writeFixture(name: FixtureCase, dir = fixturePackage(name)): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await buildPackage(dir, await fixtureDef(name));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const name of FIXTURE_CASES) {
    await writeFixture(name);
    console.log(`wrote ${fixturePackage(name)}`);
  }
}
