// The browser app: session (GET /api/me), the header and navigation filtered by `can`,
// and the hash router (#/home, #/reports, #/euc, #/euc/<id>, #/wizard, #/wizard/<saved id>, #/saved,
// #/sql, #/audit, #/users).

import { api, setCsrf, setUnauthorizedHandler } from './api.js';
import { h, replace, errorBox, showError } from './dom.js';
import * as loginPage from './pages/login.js';
import * as homePage from './pages/home.js';
import * as reportsPage from './pages/reports.js';
import * as eucPage from './pages/euc.js';
import * as auditPage from './pages/audit.js';
import * as usersPage from './pages/users.js';
import * as wizardPage from './pages/wizard.js';
import * as savedPage from './pages/saved.js';
import * as sqlPage from './pages/sql.js';

/** Navigation entries, in menu order; `allowed` reads the `can` flags from /api/me. */
const ROUTES = [
  { name: 'home', label: 'ホーム', page: homePage, allowed: () => true },
  { name: 'reports', label: '統計', page: reportsPage, allowed: (can) => Boolean(can.reports) },
  { name: 'euc', label: 'EUC', page: eucPage, allowed: (can) => Boolean(can.aggregates || can.persons) },
  { name: 'wizard', label: 'ウィザード', page: wizardPage, allowed: (can) => Boolean(can.wizard) },
  { name: 'saved', label: '保存した抽出', page: savedPage, allowed: (can) => Boolean(can.aggregates) },
  { name: 'sql', label: 'SQL', page: sqlPage, allowed: (can) => Boolean(can.admin) },
  { name: 'audit', label: '監査ログ', page: auditPage, allowed: (can) => Boolean(can.admin) },
  { name: 'users', label: '利用者管理', page: usersPage, allowed: (can) => Boolean(can.admin) },
];

const main = document.getElementById('app');
const header = document.getElementById('app-header');
const nav = document.getElementById('app-nav');

/** The signed-in user (/api/me) or null; a per-session cache of GET results for pages. */
let me = null;
let cache = new Map();
let renderSeq = 0;

/**
 * Goes to a hash route, re-rendering even when the hash is already the current one.
 * @example navigate('#/euc/01')
 */
function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

/** GET through the session cache (`force` refetches). */
function cached(path, force = false) {
  if (force || !cache.has(path)) {
    const p = api(path);
    cache.set(path, p);
    p.catch(() => cache.delete(path));
  }
  return cache.get(path);
}

/** Splits '#/euc/01' into ['euc', '01']. */
function parseHash() {
  return location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map((s) => decodeURIComponent(s));
}

function showLogin(message, info) {
  me = null;
  cache = new Map();
  setCsrf(null);
  header.hidden = true;
  renderSeq++;
  document.title = 'ログイン — 住基統計';
  const container = h('div', { class: 'page page-login', testid: 'page-login' });
  replace(main, container);
  loginPage.render(container, { message, info, onLogin: afterLogin });
}

async function afterLogin() {
  const ok = await loadMe();
  if (!ok) return;
  const [name] = parseHash();
  if (!name || name === 'login') navigate('#/home');
  else route();
}

/** Loads /api/me; shows the login view on 401. Returns true when signed in. */
async function loadMe() {
  try {
    me = await api('/api/me', { noAuthRedirect: true });
  } catch (err) {
    if (err.status === 401) { showLogin(); return false; }
    renderFatal(err);
    return false;
  }
  cache = new Map();
  setCsrf(me.csrf);
  renderHeader();
  return true;
}

function renderHeader() {
  const can = me.can ?? {};
  replace(document.getElementById('header-user'), me.id);
  replace(document.getElementById('header-role'), me.role + (me.shien ? '・支援措置閲覧' : ''));
  const muni = document.getElementById('header-municipality');
  replace(muni, '');
  cached('/api/home').then((home) => {
    const s = home?.snapshot;
    replace(muni, s ? `${s.municipalityName}（${s.municipalityCode}）` : 'データ未読込');
  }).catch(() => {});
  replace(nav, ROUTES.filter((r) => r.allowed(can)).map((r) =>
    h('a', { href: `#/${r.name}`, id: `nav-${r.name}`, testid: `nav-${r.name}`, class: 'nav-link' }, r.label)));
  header.hidden = false;
}

function markNav(name) {
  for (const a of nav.querySelectorAll('a')) {
    if (a.dataset.testid === `nav-${name}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

/** Renders the page for the current hash. */
async function route() {
  if (!me) { showLogin(); return; }
  const [name, ...params] = parseHash();
  const entry = ROUTES.find((r) => r.name === name);
  if (!entry) { navigate('#/home'); return; }
  const seq = ++renderSeq;
  markNav(entry.name);
  document.title = `${entry.label} — 住基統計`;
  const container = h('div', { class: `page page-${entry.name}`, testid: `page-${entry.name}`, 'data-route': location.hash });
  replace(main, container);
  if (!entry.allowed(me.can ?? {})) {
    const box = errorBox();
    container.append(h('h1', {}, entry.label), box);
    showError(box, 'このページを表示する権限がありません。');
    return;
  }
  const ctx = {
    me,
    can: me.can ?? {},
    params,
    navigate,
    cached,
    /** false once the user navigated elsewhere: late results are then dropped. */
    isCurrent: () => seq === renderSeq,
  };
  // aria-busy on <main> until the page has its data: tests and screen readers can wait for it
  main.setAttribute('aria-busy', 'true');
  try {
    await entry.page.render(container, ctx);
  } catch (err) {
    if (seq !== renderSeq) return;
    const box = errorBox();
    container.append(box);
    showError(box, err);
  } finally {
    if (seq === renderSeq) main.removeAttribute('aria-busy');
  }
}

async function logout() {
  const button = document.getElementById('logout-button');
  button.disabled = true;
  try {
    await api('/api/logout', { body: {}, noAuthRedirect: true });
  } catch {
    // The session is dropped on the client either way.
  } finally {
    button.disabled = false;
  }
  history.replaceState(null, '', '#/login');
  showLogin(undefined, 'ログアウトしました。');
}

function renderFatal(err) {
  header.hidden = true;
  const box = errorBox();
  replace(main, h('div', { class: 'page' }, h('h1', {}, '住基統計'), box,
    h('p', {}, h('button', { type: 'button', on: { click: () => location.reload() } }, '再読み込み'))));
  showError(box, err);
}

setUnauthorizedHandler(() => {
  if (me) showLogin('セッションの有効期限が切れました。もう一度ログインしてください。');
  else showLogin();
});
document.getElementById('logout-button').addEventListener('click', logout);
window.addEventListener('hashchange', route);
loadMe().then((ok) => {
  if (!ok) return;
  if (!parseHash().length || parseHash()[0] === 'login') navigate('#/home');
  else route();
});
