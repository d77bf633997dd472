// The rules around the routes: CSRF, lock-out, the session cookie, 支援措置 exclusion, person lists
// needing a purpose, one-time downloads, formula injection and CP932 in downloads, and the audit
// trail of it all (hash chain verified, tampering detected).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/audit/log.ts';
import { query } from '../helpers/store.ts';
import {
  call, login, useServerFixture, ORIGIN, PASSWORD, SHIEN_ATENA, FORMULA_ATENA, FORMULA_TEXT, NON_CP932_ATENA, type Fixture,
} from './helpers.ts';

const fixture = useServerFixture();
let fx: Fixture;
beforeAll(() => {
  fx = fixture();
});

interface Preview { columns: { name: string }[]; rows: unknown[][]; total: number; chartUrl?: string }

function column(p: Preview, name: string): unknown[] {
  const i = p.columns.findIndex((c) => c.name === name);
  if (i < 0) throw new Error(`no column ${name}`);
  return p.rows.map((r) => r[i]);
}

describe('CSRF', () => {
  it('refuses a POST without the session token, with a wrong token, from another origin, or as a form', async () => {
    const client = await login(fx.app, 'kanri');
    const url = '/api/admin/users';
    const body = JSON.stringify({ id: 'csrf-test', role: '閲覧者' });
    const base = { Cookie: client.cookie, Origin: ORIGIN, 'Content-Type': 'application/json' };
    const cases: Record<string, Record<string, string>> = {
      'no token': base,
      'wrong token': { ...base, 'X-CSRF-Token': 'x' + client.csrf },
      'other origin': { ...base, 'X-CSRF-Token': client.csrf, Origin: 'http://evil.example' },
      'cross-site fetch': { ...base, 'X-CSRF-Token': client.csrf, 'Sec-Fetch-Site': 'cross-site' },
      'form post': { ...base, 'X-CSRF-Token': client.csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
    };
    for (const [name, headers] of Object.entries(cases)) {
      const res = await fx.app.request(url, { method: 'POST', headers, body });
      expect(res.status, name).toBe(403);
    }
    expect(await fx.deps.users.get('csrf-test')).toBeUndefined();
    // the same request with the token goes through
    const ok = await fx.app.request(url, { method: 'POST', headers: { ...base, 'X-CSRF-Token': client.csrf }, body });
    expect(ok.status).toBe(200);
  });

  it('refuses a login posted from another site', async () => {
    const res = await fx.app.request('/api/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' },
      body: JSON.stringify({ id: 'kanri', password: PASSWORD }),
    });
    expect(res.status).toBe(403);
  });
});

describe('login', () => {
  it('sets an HttpOnly SameSite=Strict cookie', async () => {
    const res = await fx.app.request('/api/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: ORIGIN }, body: JSON.stringify({ id: 'etsuran', password: PASSWORD }),
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });

  it('locks an account after 5 failed logins, even for the right password, and audits it', async () => {
    const attempt = (password: string) => fx.app.request('/api/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: ORIGIN }, body: JSON.stringify({ id: 'euc', password }),
    });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt('wrong-password')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    const locked = await attempt(PASSWORD);
    expect(locked.status).toBe(423);
    expect(((await locked.json()) as { error: string }).error).toMatch(/ロック/);
    const failed = await fx.deps.audit.search({ user: 'euc', type: 'login.failed' });
    expect(failed.length).toBe(6);
    expect((await fx.deps.audit.search({ user: 'euc', type: 'login.locked' })).length).toBe(1);
  });

  it('an unknown user gets the same answer as a wrong password', async () => {
    const res = await fx.app.request('/api/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: ORIGIN }, body: JSON.stringify({ id: 'nobody', password: 'whatever-1234' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('利用者IDまたはパスワードが違います。');
  });
});

describe('person lists', () => {
  it('need a purpose', async () => {
    const client = await login(fx.app, 'kojin');
    const res = await call(fx.app, client, 'POST', '/api/euc/10/preview', { params: {} });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/利用目的/);
  });

  it('leave out 支援措置 subjects unless the user holds 支援措置閲覧; aggregates count them', async () => {
    const without = await login(fx.app, 'kojin');
    const withShien = await login(fx.app, 'kojin-shien');
    const body = { params: {}, purpose: 'テスト' };
    const a = (await (await call(fx.app, without, 'POST', '/api/euc/10/preview', body)).json()) as Preview;
    const b = (await (await call(fx.app, withShien, 'POST', '/api/euc/10/preview', body)).json()) as Preview;
    // みほん町 has its own 支援措置 subject besides the one the fixture adds
    const subjects = (await query<{ a: string }>(fx.db,
      "SELECT 宛名番号 AS a FROM residents_asof(DATE '2022-02-01') WHERE 支援措置 ORDER BY 1")).map((r) => r.a);
    expect(subjects).toContain(SHIEN_ATENA);
    const ids = (p: Preview) => (column(p, '宛名番号') as string[]).sort();
    expect(ids(a).filter((x) => subjects.includes(x))).toEqual([]);
    expect(ids(b)).toEqual([...ids(a), ...subjects].sort());
    const sample = (await (await call(fx.app, without, 'POST', '/api/euc/11/preview', { params: { n: 1000, seed: 'r7' }, purpose: 'テスト' })).json()) as Preview;
    expect(column(sample, '宛名番号')).not.toContain(SHIEN_ATENA);
    // the aggregate (町丁字別人口) is the same for both and includes the subject
    const agg1 = (await (await call(fx.app, without, 'POST', '/api/euc/01/preview', { params: {} })).json()) as Preview;
    const agg2 = (await (await call(fx.app, withShien, 'POST', '/api/euc/01/preview', { params: {} })).json()) as Preview;
    expect(agg1.rows).toEqual(agg2.rows);
  });

  it('are audited with the purpose and the number of persons', async () => {
    const client = await login(fx.app, 'kojin');
    const p = (await (await call(fx.app, client, 'POST', '/api/euc/10/preview', { params: {}, purpose: '監査テストの目的' })).json()) as Preview;
    const [entry] = await fx.deps.audit.search({ user: 'kojin', type: 'extract.previewed', limit: 1 });
    expect(entry!.event).toMatchObject({ type: 'extract.previewed', extract: '10', purpose: '監査テストの目的', persons: p.total });
  });
});

describe('downloads', () => {
  async function exportFile(client: Awaited<ReturnType<typeof login>>, id: string, format: string, purpose?: string) {
    const res = await call(fx.app, client, 'POST', `/api/euc/${id}/export`, { params: {}, format, purpose });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as { url: string; fileName: string; rows: number; bytes: number; unmappable: { column: string; char: string; codePoint: string }[] };
  }

  it('are fetched once, by the user who made them; the download is audited with rows and bytes', async () => {
    const kojin = await login(fx.app, 'kojin');
    const other = await login(fx.app, 'kojin-shien');
    const made = await exportFile(kojin, '10', 'csv', 'ダウンロード試験');
    expect((await call(fx.app, other, 'GET', made.url)).status).toBe(404);
    const res = await call(fx.app, kojin, 'GET', made.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.length).toBe(made.bytes);
    expect((await call(fx.app, kojin, 'GET', made.url)).status).toBe(404);
    await new Promise((r) => setTimeout(r, 50));
    const [entry] = await fx.deps.audit.search({ user: 'kojin', type: 'extract.downloaded', limit: 1 });
    expect(entry!.event).toMatchObject({ extract: '10', format: 'csv', rows: made.rows, bytes: made.bytes, persons: made.rows, purpose: 'ダウンロード試験' });
  });

  it('neutralise a formula in a cell (CSV UTF-8 with BOM)', async () => {
    const kojin = await login(fx.app, 'kojin');
    const made = await exportFile(kojin, '10', 'csv', '数式の確認');
    const bytes = new Uint8Array(await (await call(fx.app, kojin, 'GET', made.url)).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const line = text.split('\r\n').find((l) => l.startsWith(`${FORMULA_ATENA},`))!;
    expect(line).toContain(`"'${FORMULA_TEXT.replace(/"/g, '""')}"`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it('CP932: written in Shift_JIS, what it cannot hold is reported, never turned into ?', async () => {
    const kojin = await login(fx.app, 'kojin');
    const made = await exportFile(kojin, '10', 'csv-cp932', '文字コードの確認');
    expect(made.unmappable).toEqual([expect.objectContaining({ column: '氏名', char: '𠮷', codePoint: 'U+20BB7' })]);
    const bytes = new Uint8Array(await (await call(fx.app, kojin, 'GET', made.url)).arrayBuffer());
    const text = new TextDecoder('shift_jis', { fatal: true }).decode(bytes);
    const line = text.split('\r\n').find((l) => l.startsWith(`${NON_CP932_ATENA},`))!;
    expect(line).toMatch(/,〓/);
    expect(line).not.toContain('?');
  });

  it('XLSX beyond the row limit is refused with a clear message; CSV still works', async () => {
    const limited = (await import('../../src/server/app.ts')).createApp({ ...fx.deps, limits: { ...fx.deps.limits, xlsxMaxRows: 3 } });
    const kojin = await login(limited, 'kojin');
    const res = await call(limited, kojin, 'POST', '/api/euc/10/export', { params: {}, format: 'xlsx', purpose: '上限の確認' });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/CSV/);
    const csv = await call(limited, kojin, 'POST', '/api/euc/10/export', { params: {}, format: 'csv', purpose: '上限の確認' });
    expect(csv.status).toBe(200);
  });
});

describe('audit', () => {
  it('the chain of everything above verifies; a changed or deleted entry is detected', async () => {
    const ok = await verifyAudit(fx.stateDir);
    expect(ok.ok).toBe(true);
    const file = path.join(fx.stateDir, 'audit.jsonl');
    const original = await readFile(file, 'utf8');
    const lines = original.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(20);
    const changed = [...lines];
    changed[3] = changed[3]!.replace(/"user":"[^"]*"/, '"user":"someone-else"');
    await writeFile(file, changed.join('\n') + '\n');
    const r1 = await verifyAudit(fx.stateDir);
    expect(r1.ok).toBe(false);
    const deleted = lines.filter((_, i) => i !== 5);
    await writeFile(file, deleted.join('\n') + '\n');
    expect((await verifyAudit(fx.stateDir)).ok).toBe(false);
    await writeFile(file, original);
    expect((await verifyAudit(fx.stateDir)).ok).toBe(true);
  });
});
