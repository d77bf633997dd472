// 監査ログ (管理者): search the hash-chained audit log by period, user and event type, and the
// standard analyses (late-night and holiday use, failed logins, large extractions).

import { api, PATHS } from '../api.js';
import { h, replace, field, errorBox, showError, clearBox, busy, fmtNum } from '../dom.js';

/** Event types (the closed set of src/audit/log.ts) with their Japanese names, by group. */
const EVENT_GROUPS = [
  { group: 'login', label: 'ログイン関係', types: { 'login.ok': 'ログイン', 'login.failed': 'ログイン失敗', 'login.locked': 'ロック', logout: 'ログアウト' } },
  { group: 'report', label: '統計', types: { 'report.run': '報告の実行', 'report.downloaded': '報告のダウンロード' } },
  { group: 'extract', label: 'EUC 抽出・保存した抽出', types: { 'extract.previewed': '抽出のプレビュー', 'extract.downloaded': '抽出のダウンロード', 'extract.download_failed': '抽出のダウンロード失敗', 'extract.saved': '抽出の保存', 'extract.updated': '抽出の変更', 'extract.deleted': '抽出の削除', 'extract.imported': '抽出の取り込み' } },
  { group: 'wizard', label: 'ウィザード', types: { 'wizard.previewed': 'ウィザードのプレビュー', 'wizard.downloaded': 'ウィザードのダウンロード', 'wizard.download_failed': 'ウィザードのダウンロード失敗' } },
  { group: 'sql', label: 'SQL', types: { 'sql.run': 'SQL の実行' } },
  { group: 'access', label: 'アクセス', types: { 'access.denied': 'アクセス拒否' } },
  { group: 'user', label: '利用者管理', types: { 'user.added': '利用者の追加', 'user.password_changed': 'パスワード変更', 'user.disabled': '利用者の無効化', 'user.enabled': '利用者の有効化' } },
  { group: 'audit', label: '監査', types: { 'audit.viewed': '監査ログの閲覧' } },
];
const EVENT_LABEL = Object.assign({}, ...EVENT_GROUPS.map((g) => g.types));

/** Field names of events, in Japanese. */
const FIELD_LABEL = {
  reason: '理由', report: '報告', params: '条件', ok: '結果', file: 'ファイル', bytes: 'バイト数', extract: '抽出',
  purpose: '利用目的', rows: '行数', persons: '人数', format: '形式', error: 'エラー', bytesSent: '送信済みバイト数',
  path: 'パス', needed: '必要な役割', target: '対象', role: '役割', shien: '支援措置閲覧', filter: '条件',
};
const REASON_LABEL = { password: 'パスワード誤り', unknown_user: '未登録の利用者ID', locked: 'ロック中', disabled: '無効な利用者' };

/** One value of an event field as text. */
function valueText(key, v) {
  if (v === null || v === undefined) return '';
  if (key === 'reason') return REASON_LABEL[v] ?? String(v);
  if (typeof v === 'boolean') return key === 'ok' ? (v ? '成功' : '失敗') : (v ? 'あり' : 'なし');
  if (typeof v === 'number') return fmtNum(v);
  if (typeof v === 'object') {
    const inner = Object.entries(v).filter(([, x]) => x !== '' && x !== null && x !== undefined).map(([k, x]) => `${k}=${typeof x === 'object' ? JSON.stringify(x) : x}`);
    return inner.length ? inner.join('、') : '（なし）';
  }
  return String(v);
}

/**
 * A one-line summary of an event's fields (everything but its type).
 * @example eventSummary({ type: 'login.failed', reason: 'password' }) // '理由: パスワード誤り'
 */
export function eventSummary(event) {
  return Object.entries(event ?? {}).filter(([k]) => k !== 'type')
    .map(([k, v]) => `${FIELD_LABEL[k] ?? k}: ${valueText(k, v)}`).join(' ／ ');
}

/** The type cell: Japanese name and the code. */
function typeCell(type) {
  return h('td', { class: 'event-type' }, EVENT_LABEL[type] ?? type, h('br'), h('code', {}, type ?? ''));
}

/** A table of audit entries. */
function entriesTable(entries, testid, tall = true) {
  const head = ['番号', '日時', '利用者', '役割', '接続元', '種類', '内容'];
  return h('div', { class: ['table-wrap', tall ? 'tall' : null], tabindex: '0' }, h('table', { class: 'data audit', testid },
    h('thead', {}, h('tr', {}, head.map((t, i) => h('th', { scope: 'col', class: i === 0 ? 'num' : null }, t)))),
    h('tbody', {}, entries.map((e) => h('tr', { 'data-seq': String(e.seq), 'data-type': e.event?.type ?? '' },
      h('td', { class: 'num' }, fmtNum(e.seq)),
      h('td', { class: 'nowrap' }, e.at ?? ''),
      h('td', {}, e.user ?? ''),
      h('td', {}, e.role ?? ''),
      h('td', {}, e.ip ?? ''),
      typeCell(e.event?.type),
      h('td', { class: 'summary' }, eventSummary(e.event)))))));
}

/** One analysis section with its count. */
function analysisSection(key, title, note, count, body, unit = '件') {
  return h('section', { class: 'card analysis', testid: `analysis-${key}`, id: `analysis-${key}` },
    h('h3', {}, title, ' ', h('span', { class: ['badge', count ? 'ng' : 'ok'], testid: `analysis-${key}-count` }, `${fmtNum(count)} ${unit}`)),
    note ? h('p', { class: 'muted' }, note) : null,
    count ? body : h('p', { class: 'empty' }, '該当なし'));
}

/** Renders the four standard analyses. */
function renderAnalyses(box, a) {
  const list = (x) => (Array.isArray(x) ? x : []);
  const failed = list(a?.failedLogins);
  replace(box,
    h('h2', {}, '定型分析'),
    analysisSection('lateNight', '深夜の利用', '22時〜翌6時（日本時間）の操作', list(a?.lateNight).length, entriesTable(list(a?.lateNight), 'analysis-lateNight-table', false)),
    analysisSection('holiday', '休日の利用', '土曜・日曜・国民の祝日（振替休日を含む）の操作', list(a?.holiday).length, entriesTable(list(a?.holiday), 'analysis-holiday-table', false)),
    analysisSection('failedLogins', 'ログイン失敗', '利用者IDごとの失敗回数', failed.length,
      h('div', { class: 'table-wrap', tabindex: '0' }, h('table', { class: 'data', testid: 'analysis-failedLogins-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '利用者ID'), h('th', { scope: 'col', class: 'num' }, '回数'), h('th', { scope: 'col' }, '最終'))),
        h('tbody', {}, failed.map((f) => h('tr', {}, h('td', {}, f.user ?? ''), h('td', { class: 'num' }, fmtNum(f.count)), h('td', {}, f.last ?? '')))))), '人'),
    analysisSection('largeExtractions', '大量抽出', '個人一覧 1,000 人以上、または 100,000 行以上', list(a?.largeExtractions).length, entriesTable(list(a?.largeExtractions), 'analysis-largeExtractions-table', false)));
}

/**
 * Renders the audit page: the search form and results, then the analyses.
 * @example await render(container, ctx)
 */
export async function render(container, ctx) {
  container.append(h('h1', {}, '監査ログ'));

  const from = h('input', { id: 'audit-from', testid: 'audit-from', type: 'date' });
  const to = h('input', { id: 'audit-to', testid: 'audit-to', type: 'date' });
  const user = h('input', { id: 'audit-user', testid: 'audit-user', type: 'text', autocomplete: 'off' });
  const type = h('select', { id: 'audit-type', testid: 'audit-type' },
    h('option', { value: '' }, 'すべて'),
    EVENT_GROUPS.map((g) => h('optgroup', { label: g.label },
      h('option', { value: g.group }, `${g.label}すべて`),
      Object.entries(g.types).map(([t, label]) => h('option', { value: t }, `${label}（${t}）`)))));
  const search = h('button', { type: 'submit', id: 'audit-search', testid: 'audit-search' }, '検索');
  const form = h('form', { class: 'card filter-form', id: 'audit-filter-form', testid: 'audit-filter-form' },
    h('div', { class: 'form-row' },
      field('期間（から）', from), field('期間（まで）', to), field('利用者ID', user), field('種類', type),
      h('div', { class: 'actions' }, search)));
  const error = errorBox();
  const results = h('section', { class: 'audit-results', testid: 'audit-results', id: 'audit-results' });
  const analyses = h('section', { class: 'audit-analyses', testid: 'audit-analyses', id: 'audit-analyses' }, h('p', { class: 'loading' }, '分析を読み込み中…'));
  container.append(form, error, results, analyses);

  async function runSearch() {
    clearBox(error);
    const q = new URLSearchParams();
    for (const [k, el] of [['from', from], ['to', to], ['user', user], ['type', type]]) {
      const v = el.value.trim();
      if (v) q.set(k, v);
    }
    const qs = q.toString();
    try {
      const r = await busy([search], form, () => api(`${PATHS.audit}${qs ? `?${qs}` : ''}`));
      if (!ctx.isCurrent()) return;
      const entries = Array.isArray(r?.entries) ? r.entries : [];
      replace(results,
        h('h2', {}, '検索結果 ', h('span', { class: 'muted', testid: 'audit-count', 'data-count': String(entries.length) }, `${fmtNum(entries.length)} 件（新しい順、最大 1,000 件）`)),
        entries.length ? entriesTable(entries, 'audit-table') : h('p', { class: 'empty' }, '該当する記録はありません。'));
    } catch (err) {
      if (ctx.isCurrent()) showError(error, err);
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (from.value && to.value && from.value > to.value) {
      showError(error, '期間の「から」が「まで」より後になっています。');
      return;
    }
    runSearch();
  });

  await runSearch();
  if (!ctx.isCurrent()) return;
  try {
    const a = await api(PATHS.auditAnalyses);
    if (!ctx.isCurrent()) return;
    renderAnalyses(analyses, a);
  } catch (err) {
    if (!ctx.isCurrent()) return;
    const box = errorBox();
    replace(analyses, h('h2', {}, '定型分析'), box);
    showError(box, err);
  }
}
