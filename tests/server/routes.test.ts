// Every route × every role, in-process (app.request()) against a real store: allowed routes answer,
// the others are refused on the server (403, audited) — whatever the page shows.
import { beforeAll, describe, expect, it } from 'vitest';
import { call, login, useServerFixture, USERS, type Client, type Fixture } from './helpers.ts';

interface Route {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** the lowest role level allowed (0 = any logged-in user) */
  level: number;
}

const COUNT_SPEC = {
  format: 'juki-extract/1', title: '65歳以上 男女別', base: { kind: 'residents', asOf: 'snapshot' },
  conditions: [{ item: '年齢', op: 'between', values: [65, 130] }], output: { kind: 'count', groupBy: ['性別'] },
};
const PERSONS_SPEC = { ...COUNT_SPEC, title: '65歳以上の一覧', output: { kind: 'persons' } };

const ROUTES: Route[] = [
  { method: 'GET', path: '/api/me', level: 0 },
  { method: 'GET', path: '/api/home', level: 1 },
  { method: 'GET', path: '/api/loads/1/report', level: 1 },
  { method: 'POST', path: '/api/reports/nenpo', body: { year: 2022 }, level: 1 },
  { method: 'POST', path: '/api/reports/zairyu', body: {}, level: 1 },
  { method: 'GET', path: '/api/euc', level: 1 },
  { method: 'POST', path: '/api/euc/01/preview', body: { params: {} }, level: 1 },
  { method: 'POST', path: '/api/euc/01/export', body: { params: {}, format: 'csv' }, level: 1 },
  { method: 'GET', path: `/api/euc/02/chart.svg?p=${Buffer.from('{}').toString('base64url')}`, level: 1 },
  { method: 'POST', path: '/api/euc/10/preview', body: { params: {}, purpose: '敬老事業の案内' }, level: 3 },
  { method: 'POST', path: '/api/euc/10/export', body: { params: {}, purpose: '敬老事業の案内', format: 'xlsx' }, level: 3 },
  { method: 'POST', path: '/api/euc/11/preview', body: { params: { seed: 'r7' }, purpose: '住民意識調査' }, level: 3 },
  { method: 'GET', path: '/api/wizard/items', level: 2 },
  { method: 'POST', path: '/api/wizard/preview', body: { spec: COUNT_SPEC }, level: 2 },
  { method: 'POST', path: '/api/wizard/export', body: { spec: COUNT_SPEC, format: 'csv' }, level: 2 },
  { method: 'POST', path: '/api/wizard/preview', body: { spec: PERSONS_SPEC, purpose: '案内の送付' }, level: 3 },
  { method: 'GET', path: '/api/extracts', level: 1 },
  { method: 'POST', path: '/api/extracts/import', body: { json: JSON.stringify(COUNT_SPEC), name: '取り込み' }, level: 2 },
  { method: 'POST', path: '/api/euc/01/preview', body: { params: {}, public: { k: 3 } }, level: 1 },
  { method: 'GET', path: '/api/admin/audit', level: 4 },
  { method: 'POST', path: '/api/admin/sql', body: { sql: 'SELECT count(*) FROM loads' }, level: 4 },
  { method: 'GET', path: '/api/admin/audit/analyses', level: 4 },
  { method: 'GET', path: '/api/admin/users', level: 4 },
  { method: 'POST', path: '/api/admin/users', body: { id: 'shinki', role: '閲覧者' }, level: 4 },
  { method: 'POST', path: '/api/logout', level: 0 },
];

const LEVEL: Record<string, number> = { 閲覧者: 1, EUC担当: 2, 個人一覧: 3, 管理者: 4 };

const fixture = useServerFixture();
let fx: Fixture;
beforeAll(() => {
  fx = fixture();
});

describe('routes × roles', () => {
  it('refuses every API route without a session (401)', async () => {
    for (const r of ROUTES) {
      const res = await call(fx.app, undefined, r.method, r.path, r.body);
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
    }
  });

  for (const u of USERS) {
    it(`${u.id} (${u.role}): allowed routes answer, the others are refused with 403`, async () => {
      const client: Client = await login(fx.app, u.id);
      for (const r of ROUTES) {
        const res = await call(fx.app, client, r.method, r.path, r.body);
        const allowed = LEVEL[u.role]! >= r.level;
        const text = await res.text();
        if (allowed) expect(res.status, `${r.method} ${r.path}: ${text}`).toBe(200);
        else {
          expect(res.status, `${r.method} ${r.path}: ${text}`).toBe(403);
          expect(JSON.parse(text).error).toMatch(/役割/);
        }
      }
      // the refusals are in the audit log
      const denied = await fx.deps.audit.search({ user: u.id, type: 'access.denied' });
      expect(denied.length).toBe(ROUTES.filter((r) => LEVEL[u.role]! < r.level).length);
      // logout (the last route) ended the session
      expect((await call(fx.app, client, 'GET', '/api/me')).status).toBe(401);
    });
  }

  it('an unknown API path is 404 for a logged-in user, and the page shell is served to anyone', async () => {
    const client = await login(fx.app, 'kanri');
    expect((await call(fx.app, client, 'GET', '/api/nothing')).status).toBe(404);
    const page = await fx.app.request('/');
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});
