// The test helpers themselves: the CP932 encoder (外字 formula, no silent `?`), the package writer
// against the みほん町 files, and the committed fixture packages against fixtures.ts.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFixtures } from '../fixtures/ingest/build.ts';
import {
  decodeText, encodeCp932, gaijiToCp932, HISTORY_CSV, HISTORY_HEADER, mihon, mihonDir, removeTempDirs, RESIDENT_HEADER, RESIDENTS_CSV,
  SHARED_DIR, sharedPath, tempDir, writePackage,
} from '../helpers/package.ts';

afterAll(removeTempDirs);

describe('CP932 encoder', () => {
  it('maps the user-defined area U+E000–U+E757 to F040–F9FC, 188 cells per lead byte, skipping 7F', () => {
    expect(gaijiToCp932(0xe000).toString('hex')).toBe('f040');
    expect(gaijiToCp932(0xe03e).toString('hex')).toBe('f07e');
    expect(gaijiToCp932(0xe03f).toString('hex')).toBe('f080');
    expect(gaijiToCp932(0xe0bb).toString('hex')).toBe('f0fc');
    expect(gaijiToCp932(0xe0bc).toString('hex')).toBe('f140');
    expect(gaijiToCp932(0xe757).toString('hex')).toBe('f9fc');
    expect(() => gaijiToCp932(0xe758)).toThrow();
  });

  it('round-trips every 外字 cell through the decoder the loader uses', () => {
    const all = Array.from({ length: 0xe758 - 0xe000 }, (_, i) => String.fromCodePoint(0xe000 + i)).join('');
    expect(decodeText(encodeCp932(all), 'CP932')).toBe(all);
  });

  it('encodes text, 髙 and 﨑 included, and refuses characters CP932 does not have', () => {
    const text = '髙見本﨑　～①ｱ,"\r\n';
    expect(decodeText(encodeCp932(text), 'CP932')).toBe(text);
    expect(() => encodeCp932('みほん〜')).toThrow(/U\+301C/);
    expect(() => encodeCp932('𠮷')).toThrow(/CP932 にない文字/);
  });
});

describe('package writer', () => {
  it('finds ../shared beside the repository (tests fail, never skip, without it)', () => {
    expect(SHARED_DIR).toBe(path.resolve(import.meta.dirname, '../../../shared'));
    expect(() => sharedPath('no/such/file')).toThrow(/shared/);
  });

  it('has the headers of the みほん町 files', async () => {
    const data = await mihon('UTF-8');
    expect(data.residentsHeader).toEqual(RESIDENT_HEADER);
    expect(data.historyHeader).toEqual(HISTORY_HEADER);
  });

  it('rewrites みほん町 UTF-8 byte for byte (BOM, CRLF), with the same manifest rows and sha256', async () => {
    const data = await mihon('UTF-8');
    const dir = await writePackage(await tempDir('rewrite'), data);
    for (const f of [RESIDENTS_CSV, HISTORY_CSV]) {
      expect((await readFile(path.join(dir, f))).equals(await readFile(path.join(mihonDir('UTF-8'), f))), f).toBe(true);
    }
    const written = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(await readFile(path.join(mihonDir('UTF-8'), 'manifest.json'), 'utf8')));
  });

  it('rewrites みほん町 CP932 to the same text (髙 may take its IBM code FBFC instead of NEC EEE0)', async () => {
    const data = await mihon('CP932');
    const dir = await writePackage(await tempDir('rewrite'), data);
    for (const f of [RESIDENTS_CSV, HISTORY_CSV]) {
      const ours = decodeText(await readFile(path.join(dir, f)), 'CP932');
      expect(ours, f).toBe(decodeText(await readFile(path.join(mihonDir('CP932'), f)), 'CP932'));
    }
  });
});

describe('committed fixtures', () => {
  it('are what tests/fixtures/ingest/build.ts writes from fixtures.ts', async () => {
    const root = await tempDir('fixtures');
    const committed = path.resolve(import.meta.dirname, '../fixtures/ingest');
    for (const dir of await buildFixtures(root)) {
      const rel = path.relative(root, dir);
      for (const name of await readdir(dir)) {
        const want = await readFile(path.join(dir, name));
        const have = await readFile(path.join(committed, rel, name)).catch(() => Buffer.alloc(0));
        expect(have.equals(want), `${rel}/${name} is stale: run npx tsx tests/fixtures/ingest/build.ts`).toBe(true);
      }
    }
  });
});
