// Test helper for the web server: a real store (みほん町 with one 支援措置 subject added), a state
// folder with one user per role, and in-process requests through app.request() with a session
// cookie, the CSRF token and a same-origin Origin header — as the browser would send them.
import path from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll } from 'vitest';
import { createApp, createDeps } from '../../src/server/app.ts';
import type { AppEnv, Deps } from '../../src/server/context.ts';
import type { Role } from '../../src/auth/roles.ts';
import { mihon, removeTempDirs, tempDir, writePackage } from '../helpers/package.ts';
import { load } from '../helpers/store.ts';

export const ORIGIN = 'http://localhost';

/** 宛名番号 of the みほん町 resident made a 支援措置 subject in the fixture. */
export const SHIEN_ATENA = '1001';
/** 宛名番号 whose 方書 starts with '=' (a formula, to be neutralised in downloads). */
export const FORMULA_ATENA = '1002';
export const FORMULA_TEXT = '=HYPERLINK("http://example.invalid","x")';
/** 宛名番号 whose 氏名 holds 𠮷 (U+20BB7), which CP932 cannot hold. */
export const NON_CP932_ATENA = '1003';

export const USERS: { id: string; role: Role; shien: boolean }[] = [
  { id: 'etsuran', role: '閲覧者', shien: false },
  { id: 'euc', role: 'EUC担当', shien: false },
  { id: 'kojin', role: '個人一覧', shien: false },
  { id: 'kojin-shien', role: '個人一覧', shien: true },
  { id: 'kanri', role: '管理者', shien: false },
];
export const PASSWORD = 'correct-horse-battery';

export interface Fixture {
  db: string;
  stateDir: string;
  deps: Deps;
  app: Hono<AppEnv>;
}

/** みほん町 with three residents edited in every row (SHIEN_ATENA, FORMULA_ATENA, NON_CP932_ATENA), loaded into a fresh store. */
export async function buildStore(dir: string): Promise<string> {
  const data = await mihon('UTF-8');
  for (const r of [...data.residents, ...data.history]) {
    const atena = String(r.宛名番号);
    if (atena === SHIEN_ATENA) r.支援措置 = '1';
    if (atena === FORMULA_ATENA) r.方書 = FORMULA_TEXT;
    if (atena === NON_CP932_ATENA) r.氏名 = String(r.氏名).replace(/^./u, '𠮷');
  }
  const pkg = await writePackage(path.join(dir, 'package'), data);
  const db = path.join(dir, 'juki.duckdb');
  await load(pkg, db);
  return db;
}

/** A store, a state folder with the USERS, and the app over them. */
export async function serverFixture(): Promise<Fixture> {
  const dir = await tempDir('server');
  const db = await buildStore(dir);
  const stateDir = path.join(dir, 'juki-state');
  const deps = createDeps({ db, stateDir });
  for (const u of USERS) await deps.users.add({ ...u, password: PASSWORD });
  return { db, stateDir, deps, app: createApp(deps) };
}

/**
 * Registers beforeAll/afterAll hooks that build a fixture and tear it down; call `fixture()` inside tests.
 * @example const fixture = useServerFixture(); it('…', async () => { const { app } = fixture(); });
 */
export function useServerFixture(): () => Fixture {
  let fx: Fixture | undefined;
  beforeAll(async () => {
    fx = await serverFixture();
  });
  afterAll(async () => {
    fx?.deps.store.close();
    fx?.deps.downloads.close();
    await removeTempDirs();
  });
  return () => {
    if (!fx) throw new Error('server fixture not built yet');
    return fx;
  };
}

export interface Client {
  cookie: string;
  csrf: string;
}

/** Logs in through the API; throws unless it succeeds. */
export async function login(app: Hono<AppEnv>, id: string, password = PASSWORD): Promise<Client> {
  const res = await app.request('/api/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Origin: ORIGIN }, body: JSON.stringify({ id, password }),
  });
  if (res.status !== 200) throw new Error(`login ${id}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const me = await app.request('/api/me', { headers: { Cookie: cookie } });
  const { csrf } = (await me.json()) as { csrf: string };
  return { cookie, csrf };
}

/** A request as the logged-in browser sends it (JSON body, cookie, CSRF header, Origin). */
export function call(app: Hono<AppEnv>, client: Client | undefined, method: 'GET' | 'POST', url: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Origin: ORIGIN };
  if (client) {
    headers.Cookie = client.cookie;
    headers['X-CSRF-Token'] = client.csrf;
  }
  if (method === 'POST') headers['Content-Type'] = 'application/json';
  return Promise.resolve(app.request(url, { method, headers, body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined }));
}
