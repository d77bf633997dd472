// The wizard, saved extracts, 公表用 and raw SQL through the HTTP API (in-process, real store):
// a definition is previewed, saved, shared, rerun with new dates (the run records its definition),
// exported and imported; hostile definitions are refused with a message; suppressed cells are X.
import { beforeAll, describe, expect, it } from 'vitest';
import { call, login, useServerFixture, type Client, type Fixture } from './helpers.ts';

const fixture = useServerFixture();
let fx: Fixture;
beforeAll(() => {
  fx = fixture();
});

const SPEC = {
  format: 'juki-extract/1', title: '年齢3区分 男女別', base: { kind: 'residents', asOf: '2022-02-01' },
  conditions: [], output: { kind: 'count', groupBy: ['年齢3区分', '性別'] },
};

interface Preview { columns: { name: string }[]; rows: (string | number | null)[][]; total: number; shown: Record<string, string> }

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${res.status} ${text}`);
  return JSON.parse(text) as T;
}

describe('wizard', () => {
  it('previews a count with totals', async () => {
    const euc = await login(fx.app, 'euc');
    const p = await json<Preview>(await call(fx.app, euc, 'POST', '/api/wizard/preview', { spec: SPEC }));
    expect(p.columns.map((c) => c.name)).toEqual(['年齢3区分', '性別', '人数']);
    const grand = p.rows.find((r) => r[0] === '合計' && r[1] === '合計')!;
    const cells = p.rows.filter((r) => r[0] !== '合計' && r[1] !== '合計');
    expect(grand[2]).toBe(cells.reduce((s, r) => s + (r[2] as number), 0));
  });

  it('refuses a hostile definition with a message naming the field, and never runs it', async () => {
    const euc = await login(fx.app, 'euc');
    for (const bad of [
      { ...SPEC, conditions: [{ item: "性別'; DROP TABLE history; --", op: 'equals', value: '男' }] },
      { ...SPEC, conditions: [{ item: '年齢', op: 'between', values: ['0 OR 1=1', 5] }] },
      { ...SPEC, output: { kind: 'count', groupBy: ['性別', '性別', '地区', '住民種別'] } },
      { ...SPEC, base: { kind: 'residents', asOf: "2022-01-01' OR '1'='1" } },
    ]) {
      const res = await call(fx.app, euc, 'POST', '/api/wizard/preview', { spec: bad });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/[ぁ-んァ-ン一-龥]/);
    }
  });

  it('a person list needs 個人一覧 and a purpose', async () => {
    const spec = { ...SPEC, output: { kind: 'persons' } };
    const euc = await login(fx.app, 'euc');
    expect((await call(fx.app, euc, 'POST', '/api/wizard/preview', { spec, purpose: 'x' })).status).toBe(403);
    const kojin = await login(fx.app, 'kojin');
    expect((await call(fx.app, kojin, 'POST', '/api/wizard/preview', { spec })).status).toBe(400);
    const p = await json<Preview>(await call(fx.app, kojin, 'POST', '/api/wizard/preview', { spec, purpose: '確認' }));
    expect(p.columns[0]!.name).toBe('宛名番号');
  });

  it('クロス表: the last group item across, totals in both directions, the same counts', async () => {
    const euc = await login(fx.app, 'euc');
    const long = await json<Preview>(await call(fx.app, euc, 'POST', '/api/wizard/preview', { spec: SPEC }));
    const cross = await json<Preview>(await call(fx.app, euc, 'POST', '/api/wizard/preview', { spec: SPEC, layout: 'cross' }));
    expect(cross.columns.map((c) => c.name)).toEqual(['年齢3区分', '男', '女', '合計']);
    const cell = (band: string, sex: string) => long.rows.find((r) => r[0] === band && r[1] === sex)?.[2] ?? 0; // absent = 0
    for (const r of cross.rows) {
      if (r[0] === '合計') continue;
      expect(r[1]).toBe(cell(r[0] as string, '男'));
      expect(r[2]).toBe(cell(r[0] as string, '女'));
      expect(r[3]).toBe((r[1] as number) + (r[2] as number));
    }
    expect(cross.rows.at(-1)![3]).toBe(cell('合計', '合計'));
    const persons = await call(fx.app, await login(fx.app, 'kojin'), 'POST', '/api/wizard/preview', { spec: { ...SPEC, output: { kind: 'persons' } }, purpose: 'x', layout: 'cross' });
    expect(persons.status).toBe(400);
  });

  it('公表用: small cells and those that would reveal them are X, the rest unchanged', async () => {
    const euc = await login(fx.app, 'euc');
    const spec = { ...SPEC, output: { kind: 'count', groupBy: ['年齢5歳階級', '性別'] } };
    const plain = await json<Preview>(await call(fx.app, euc, 'POST', '/api/wizard/preview', { spec }));
    const pub = await json<Preview>(await call(fx.app, euc, 'POST', '/api/wizard/preview', { spec, public: { k: 3 } }));
    expect(pub.shown['秘匿処理']).toMatch(/X/);
    const flat = pub.rows.flat();
    expect(flat).toContain('X');
    // no shown count is below 3 (except 0)
    for (const r of pub.rows) for (const v of r.slice(1)) if (typeof v === 'number') expect(v === 0 || v >= 3).toBe(true);
    expect(plain.rows.some((r) => typeof r[2] === 'number' && r[2] > 0 && r[2] < 3)).toBe(true);
  });
});

describe('saved extracts', () => {
  let owner: Client;
  let id = '';

  it('are saved, shared with a role, rerun with new dates (recording the definition) and listed for that role', async () => {
    owner = await login(fx.app, 'euc');
    const saved = await json<{ extract: { id: string } }>(await call(fx.app, owner, 'POST', '/api/extracts', { name: '年齢3区分', spec: SPEC, sharedWithRole: '閲覧者' }));
    id = saved.extract.id;
    const a = await json<Preview>(await call(fx.app, owner, 'POST', `/api/extracts/${id}/preview`, { dates: {} }));
    const b = await json<Preview>(await call(fx.app, owner, 'POST', `/api/extracts/${id}/preview`, { dates: { asOf: '2021-01-01' } }));
    expect(a.shown).not.toEqual(b.shown);
    const one = await json<{ extract: { runs: { specHash: string; params: Record<string, string> }[] } }>(await call(fx.app, owner, 'GET', `/api/extracts/${id}`));
    expect(one.extract.runs.length).toBe(2);
    expect(one.extract.runs[0]!.params).toEqual({ asOf: '2021-01-01' });
    // another EUC担当-level user sees it (shared with 閲覧者 and up) but cannot delete it
    const kojin = await login(fx.app, 'kojin');
    const list = await json<{ extracts: { id: string }[] }>(await call(fx.app, kojin, 'GET', '/api/extracts'));
    expect(list.extracts.map((e) => e.id)).toContain(id);
    expect((await call(fx.app, kojin, 'POST', `/api/extracts/${id}/delete`)).status).toBe(403);
  });

  it('are exported as JSON and imported again', async () => {
    const file = await call(fx.app, owner, 'GET', `/api/extracts/${id}/file`);
    expect(file.headers.get('content-disposition')).toContain('attachment');
    const text = await file.text();
    expect(JSON.parse(text).format).toBe('juki-extract/1');
    const imported = await json<{ extract: { id: string; name: string } }>(await call(fx.app, owner, 'POST', '/api/extracts/import', { json: text, name: '取り込んだ抽出' }));
    expect(imported.extract.id).not.toBe(id);
    const bad = await call(fx.app, owner, 'POST', '/api/extracts/import', { json: '{"format":"juki-extract/1","title":"x"}' });
    expect(bad.status).toBe(400);
  });

  it('download from a saved extract, audited with its id', async () => {
    const made = await json<{ url: string; rows: number }>(await call(fx.app, owner, 'POST', `/api/extracts/${id}/export`, { dates: {}, format: 'xlsx' }));
    const res = await call(fx.app, owner, 'GET', made.url);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 50));
    const [entry] = await fx.deps.audit.search({ user: 'euc', type: 'wizard.downloaded', limit: 1 });
    expect(entry!.event).toMatchObject({ extract: id, format: 'xlsx', rows: made.rows });
  });
});

describe('raw SQL', () => {
  it('runs a SELECT for the 管理者, refuses anything else, audits both', async () => {
    const kanri = await login(fx.app, 'kanri');
    const ok = await json<{ columns: string[]; rows: unknown[][] }>(await call(fx.app, kanri, 'POST', '/api/admin/sql', { sql: 'SELECT count(*) AS n FROM loads' }));
    expect(ok.rows).toEqual([[1]]);
    const refused = await call(fx.app, kanri, 'POST', '/api/admin/sql', { sql: 'DELETE FROM history' });
    expect(refused.status).toBe(400);
    const runs = await fx.deps.audit.search({ user: 'kanri', type: 'sql.run' });
    expect(runs.map((e) => (e.event as { ok: boolean }).ok).sort()).toEqual([false, true]);
  });
});
