// Saved extracts in <state>/extracts/: owned, unique names per owner, shared with a role (cumulative
// levels), edited only by the owner or a 管理者, each run recording the definition it used, export /
// import as the definition file, and concurrent writers that never lose an update.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ExtractPermissionError, MAX_RUNS, SavedExtractError, SavedExtracts, canRun } from '../../src/wizard/saved.ts';
import { parseSpec, specHash, withDates, type ExtractSpec } from '../../src/wizard/spec.ts';
import { removeTempDirs, tempDir } from '../helpers/package.ts';

afterAll(removeTempDirs);

const counts: ExtractSpec = parseSpec({
  format: 'juki-extract/1', title: '65歳以上 地区別', base: { kind: 'residents', asOf: 'snapshot' },
  conditions: [{ item: '年齢', op: 'between', values: [65, 130] }], output: { kind: 'count', groupBy: ['地区'] },
});
const persons: ExtractSpec = parseSpec({ ...counts, title: '65歳以上 一覧', output: { kind: 'persons' } });

const tanaka = { id: 'tanaka', role: 'EUC担当' as const };
const suzuki = { id: 'suzuki', role: 'EUC担当' as const };
const sato = { id: 'sato', role: '個人一覧' as const };
const viewer = { id: 'yamada', role: '閲覧者' as const };
const admin = { id: 'admin', role: '管理者' as const };

let state: string;
let saved: SavedExtracts;
beforeEach(async () => {
  state = await tempDir('saved');
  saved = new SavedExtracts(state);
});

async function error<T extends Error>(p: Promise<unknown>, cls: new (...a: never[]) => T): Promise<T> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    expect((e as Error).message).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    return e as T;
  }
  throw new Error('expected an error');
}

describe('save, list, get', () => {
  it('stores one file per extract with a short random id; names unique per owner', async () => {
    const e = await saved.save({ name: ' 65歳以上 ', spec: counts, sharedWithRole: null }, tanaka);
    expect(e.id).toMatch(/^[a-z2-9]{10}$/);
    expect(e).toMatchObject({ name: '65歳以上', owner: 'tanaka', sharedWithRole: null, runs: [] });
    expect(await readdir(path.join(state, 'extracts'))).toEqual([`${e.id}.json`]);
    expect((await error(saved.save({ name: '65歳以上', spec: counts }, tanaka), SavedExtractError)).code).toBe('duplicate');
    // another owner may use the same name
    const other = await saved.save({ name: '65歳以上', spec: counts }, suzuki);
    expect(other.id).not.toBe(e.id);
    expect((await saved.get(e.id, tanaka)).spec).toEqual(counts);
  });

  it('lists own + shared with a role the user has (levels are cumulative); the 管理者 sees all', async () => {
    const own = await saved.save({ name: 'a 自分だけ', spec: counts, sharedWithRole: null }, tanaka);
    const euc = await saved.save({ name: 'b EUC担当と共有', spec: counts, sharedWithRole: 'EUC担当' }, tanaka);
    const per = await saved.save({ name: 'c 個人一覧と共有', spec: persons, sharedWithRole: '個人一覧' }, sato);
    const names = async (u: typeof tanaka | typeof sato | typeof viewer | typeof admin) => (await saved.list(u)).map((e) => e.name);
    expect(await names(tanaka)).toEqual(['a 自分だけ', 'b EUC担当と共有']);
    expect(await names(suzuki)).toEqual(['b EUC担当と共有']);
    expect(await names(sato)).toEqual(['b EUC担当と共有', 'c 個人一覧と共有']);
    expect(await names(viewer)).toEqual([]);
    expect(await names(admin)).toEqual(['a 自分だけ', 'b EUC担当と共有', 'c 個人一覧と共有']);
    // invisible = not found, so ids cannot be probed
    expect((await error(saved.get(own.id, suzuki), SavedExtractError)).code).toBe('not_found');
    expect((await saved.get(euc.id, suzuki)).name).toBe('b EUC担当と共有');
    expect((await error(saved.get(per.id, suzuki), SavedExtractError)).code).toBe('not_found');
    expect((await error(saved.get('../../etc/passwd', admin), SavedExtractError)).code).toBe('not_found');
  });

  it('refuses to keep a definition the user could not run, and bad names or roles', async () => {
    expect(canRun(persons, 'EUC担当')).toBe(false);
    expect(canRun(persons, '個人一覧')).toBe(true);
    expect(canRun(counts, '閲覧者')).toBe(false);
    await error(saved.save({ name: 'x', spec: persons }, tanaka), ExtractPermissionError);
    await error(saved.save({ name: 'x', spec: counts }, viewer), ExtractPermissionError);
    expect((await error(saved.save({ name: '', spec: counts }, tanaka), SavedExtractError)).code).toBe('invalid');
    expect((await error(saved.save({ name: 'a\u0000', spec: counts }, tanaka), SavedExtractError)).code).toBe('invalid');
    expect((await error(saved.save({ name: 'x', spec: counts, sharedWithRole: 'boss' as never }, tanaka), SavedExtractError)).code).toBe('invalid');
    await expect(saved.save({ name: 'x', spec: { ...counts, conditions: [{ item: '__proto__', op: 'empty' }] } }, tanaka)).rejects.toThrow(/項目はありません/);
  });
});

describe('update and remove: the owner or a 管理者 only', () => {
  it('updates name, definition and sharing; others get a permission error', async () => {
    const e = await saved.save({ name: '元の名前', spec: counts, sharedWithRole: 'EUC担当' }, tanaka);
    await error(saved.update(e.id, { name: '乗っ取り' }, suzuki), ExtractPermissionError);
    const u = await saved.update(e.id, { name: '新しい名前', sharedWithRole: null, spec: withDates(counts, { asOf: '2024-04-01' }) }, tanaka);
    expect(u).toMatchObject({ name: '新しい名前', sharedWithRole: null, spec: { base: { asOf: '2024-04-01' } } });
    expect(u.createdAt).toBe(e.createdAt);
    const byAdmin = await saved.update(e.id, { name: '管理者が直した' }, admin);
    expect(byAdmin.owner).toBe('tanaka');
    await saved.save({ name: '別の抽出', spec: counts }, tanaka);
    expect((await error(saved.update(e.id, { name: '別の抽出' }, tanaka), SavedExtractError)).code).toBe('duplicate');
    await error(saved.remove(e.id, sato), SavedExtractError); // not shared any more: not visible
    await saved.update(e.id, { sharedWithRole: 'EUC担当' }, tanaka);
    await error(saved.remove(e.id, suzuki), ExtractPermissionError);
    expect((await saved.remove(e.id, admin)).id).toBe(e.id);
    expect((await error(saved.get(e.id, tanaka), SavedExtractError)).code).toBe('not_found');
  });
});

describe('runs', () => {
  it('record the definition used (hash + the definition itself) and the resolved dates; the newest 100 are kept', async () => {
    const e = await saved.save({ name: 'x', spec: counts }, tanaka);
    const first = await saved.recordRun(e.id, { user: 'tanaka', spec: counts, params: { asOf: '2025-01-01' } });
    expect(first.specHash).toBe(specHash(counts));
    const rerun = withDates(counts, { asOf: '2024-04-01' });
    await saved.recordRun(e.id, { user: 'suzuki', spec: rerun, params: { asOf: '2024-04-01' } });
    let got = await saved.get(e.id, tanaka);
    expect(got.runs.map((r) => [r.user, r.params.asOf])).toEqual([['tanaka', '2025-01-01'], ['suzuki', '2024-04-01']]);
    expect(got.specs[specHash(rerun)]).toEqual(rerun);
    expect(got.specs[specHash(counts)]).toEqual(counts);
    for (let i = 0; i < MAX_RUNS; i++) await saved.recordRun(e.id, { user: 'tanaka', spec: counts, params: { asOf: '2025-01-01' } });
    got = await saved.get(e.id, tanaka);
    expect(got.runs).toHaveLength(MAX_RUNS);
    expect(got.runs.every((r) => r.user === 'tanaka')).toBe(true);
    // the re-run's definition is dropped once no kept run refers to it
    expect(Object.keys(got.specs)).toEqual([specHash(counts)]);
  });

  it('concurrent writers (runs and updates) lose nothing', async () => {
    const e = await saved.save({ name: 'x', spec: counts, sharedWithRole: 'EUC担当' }, tanaka);
    const other = new SavedExtracts(state); // a second handle, as another process would have
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => (i % 2 ? saved : other).recordRun(e.id, { user: `u${i}`, spec: counts, params: { asOf: '2025-01-01' } })),
      other.update(e.id, { name: '並行して改名' }, tanaka),
    ]);
    const got = await saved.get(e.id, tanaka);
    expect(got.runs).toHaveLength(10);
    expect(got.name).toBe('並行して改名');
  });
});

describe('export / import', () => {
  it('exports the definition file with its name and imports it for another owner, unshared', async () => {
    const e = await saved.save({ name: '65歳以上 地区別（共有用）', spec: counts, sharedWithRole: 'EUC担当' }, tanaka);
    const text = await saved.exportJson(e.id, suzuki);
    const json = JSON.parse(text);
    expect(Object.keys(json).slice(0, 3)).toEqual(['format', 'name', 'title']);
    expect(json).toMatchObject({ format: 'juki-extract/1', name: '65歳以上 地区別（共有用）', title: '65歳以上 地区別' });
    expect(text).not.toMatch(/owner|runs|tanaka/);
    const elsewhere = new SavedExtracts(await tempDir('saved-elsewhere'));
    const imported = await elsewhere.importJson(text, suzuki);
    expect(imported).toMatchObject({ name: '65歳以上 地区別（共有用）', owner: 'suzuki', sharedWithRole: null, spec: counts });
    expect(specHash(imported.spec)).toBe(specHash(counts));
    expect((await error(elsewhere.importJson(text, suzuki), SavedExtractError)).code).toBe('duplicate');
    expect((await elsewhere.importJson(text, suzuki, { name: '別名' })).name).toBe('別名');
    const noName = JSON.stringify({ ...json, name: undefined });
    expect((await elsewhere.importJson(noName, tanaka)).name).toBe('65歳以上 地区別');
  });

  it('refuses files that are not valid definitions, with the reason', async () => {
    expect((await error(saved.importJson('not json', tanaka), SavedExtractError)).message).toMatch(/JSON として読めません/);
    expect((await error(saved.importJson(JSON.stringify({ format: 'juki-extract/2' }), tanaka), SavedExtractError)).message).toMatch(/形式/);
    const bad = JSON.stringify({ ...counts, conditions: [{ item: '年齢', op: 'equals', value: "1; DROP TABLE history" }] });
    expect((await error(saved.importJson(bad, tanaka), SavedExtractError)).message).toMatch(/整数/);
    await error(saved.importJson(JSON.stringify(persons), tanaka), ExtractPermissionError);
  });

  it('a damaged file is named by get() and skipped by list()', async () => {
    const e = await saved.save({ name: 'x', spec: counts }, tanaka);
    await saved.save({ name: 'y', spec: counts }, tanaka);
    await writeFile(path.join(state, 'extracts', `${e.id}.json`), JSON.stringify({ ...JSON.parse(await readFile(path.join(state, 'extracts', `${e.id}.json`), 'utf8')), owner: 1 }));
    expect((await saved.list(tanaka)).map((x) => x.name)).toEqual(['y']);
    await expect(saved.get(e.id, tanaka)).rejects.toThrow(/壊れています/);
  });
});
