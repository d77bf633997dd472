// 統計: runs the 年報 (POST /api/reports/nenpo) and the 定期報告 (POST /api/reports/zairyu) and
// shows the 整合性チェック, every table and the files to download.

import { api } from '../api.js';
import { h, replace, field, dataTable, errorBox, showError, clearBox, busy, okBadge } from '../dom.js';

/**
 * The default 年報 year: the year of the day after processedThrough (the latest 1月1日 the
 * store can describe), e.g. processedThrough 2025-12-31 → 2026.
 * @example defaultNenpoYear('2025-12-31') // 2026
 */
export function defaultNenpoYear(processedThrough) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(processedThrough ?? '');
  if (!m) return new Date().getFullYear();
  const next = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1));
  return next.getUTCFullYear();
}

/** Renders one report result: title, checks, tables and download links. */
function renderResult(box, r) {
  const checks = Array.isArray(r.checks) ? r.checks : [];
  const tables = Array.isArray(r.tables) ? r.tables : [];
  const files = Array.isArray(r.files) ? r.files : [];
  const ngCount = checks.filter((c) => !c.ok).length;

  const parts = [
    h('h2', {}, r.title ?? '結果', ' ', okBadge(Boolean(r.ok), 'report-ok')),
  ];
  const warnings = Array.isArray(r.warnings) ? r.warnings : [];
  if (warnings.length) {
    parts.push(h('div', { class: 'alert warning', testid: 'report-warnings' },
      h('strong', {}, '注意'),
      h('ul', {}, warnings.map((w) => h('li', {}, typeof w === 'string' ? w : (w?.message ?? JSON.stringify(w)))))));
  }
  if (files.length) {
    parts.push(h('section', { class: 'card', testid: 'report-files' },
      h('h3', {}, 'ファイル'),
      h('ul', { class: 'files' }, files.map((f) => h('li', {},
        h('a', { href: f.url, download: f.name, class: 'download', testid: 'report-file' }, f.name))))));
  }
  parts.push(h('section', { class: 'card', testid: 'report-checks' },
    h('h3', {}, '整合性チェック', ' ',
      h('span', { class: 'muted' }, checks.length ? (ngCount ? `（${checks.length} 件中 ${ngCount} 件 NG）` : `（${checks.length} 件すべて OK）`) : '（なし）')),
    checks.length ? h('div', { class: 'table-wrap', tabindex: '0' }, h('table', { class: 'data checks', testid: 'report-checks-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '結果'), h('th', { scope: 'col' }, 'チェック'), h('th', { scope: 'col' }, '詳細'))),
      h('tbody', {}, checks.map((c) => h('tr', { class: c.ok ? null : 'ng-row', testid: c.ok ? 'check-ok' : 'check-ng' },
        h('td', {}, okBadge(Boolean(c.ok))),
        h('td', {}, c.name ?? ''),
        h('td', { class: 'detail' }, c.detail ?? '')))))) : null));
  for (const t of tables) {
    parts.push(h('section', { class: 'card report-table' },
      h('h3', {}, t.name ?? ''),
      dataTable(Array.isArray(t.header) ? t.header : [], Array.isArray(t.rows) ? t.rows : [], { testid: 'report-table' })));
  }
  replace(box, parts);
  box.hidden = false;
}

/**
 * Renders the reports page.
 * @example await render(container, ctx)
 */
export async function render(container, ctx) {
  container.append(h('h1', {}, '統計'));
  let processedThrough;
  try {
    processedThrough = (await ctx.cached('/api/home'))?.snapshot?.processedThrough;
  } catch {
    // The form still works with this year as the default.
  }
  if (!ctx.isCurrent()) return;

  const error = errorBox();
  const result = h('div', { class: 'report-result', testid: 'report-result', id: 'report-result', hidden: true });

  // 年報
  const year = h('input', { id: 'nenpo-year', testid: 'nenpo-year', type: 'number', min: '1900', max: '2200', step: '1', required: true, value: String(defaultNenpoYear(processedThrough)) });
  const nenpoRun = h('button', { type: 'submit', id: 'nenpo-run', testid: 'nenpo-run' }, '実行');
  const nenpoForm = h('form', { class: 'card report-form', id: 'nenpo-form', testid: 'nenpo-form' },
    h('h2', {}, '住民基本台帳関係年報'),
    h('p', { class: 'muted' }, '基準日は指定した年の1月1日、人口動態は前年1月1日〜12月31日です。'),
    h('div', { class: 'form-row' }, field('年', year), h('div', { class: 'actions' }, nenpoRun)));

  // 定期報告
  const from = h('input', { id: 'zairyu-from', testid: 'zairyu-from', type: 'month' });
  const to = h('input', { id: 'zairyu-to', testid: 'zairyu-to', type: 'month' });
  const zairyuRun = h('button', { type: 'submit', id: 'zairyu-run', testid: 'zairyu-run' }, '実行');
  const zairyuForm = h('form', { class: 'card report-form', id: 'zairyu-form', testid: 'zairyu-form' },
    h('h2', {}, '中長期在留者 定期報告'),
    h('p', { class: 'muted' }, '期間を空欄にすると前年度（4月〜3月）になります。'),
    h('div', { class: 'form-row' }, field('期間（から）', from), field('期間（まで）', to), h('div', { class: 'actions' }, zairyuRun)));

  // 公表用 (秘匿処理): also the <table>_公表用.csv files, counts below k shown as X
  const publicBox = h('input', { id: 'report-public', testid: 'report-public', type: 'checkbox' });
  const publicK = h('input', { id: 'report-k', testid: 'report-k', type: 'number', min: '1', max: '100', step: '1', value: '3' });
  const publicForm = h('div', { class: 'card form-row' },
    field('公表用（秘匿処理）も作る', publicBox, '年齢別の表と定期報告の表に、k 未満の数とそれを逆算できる数を X にした版を追加します'),
    field('k（この数未満を X）', publicK));
  const withPublic = (body) => (publicBox.checked ? { ...body, public: { k: Number(publicK.value) || 3 } } : body);

  const buttons = [nenpoRun, zairyuRun];
  async function run(path, body, scope) {
    clearBox(error);
    result.hidden = true;
    result.replaceChildren();
    try {
      const r = await busy(buttons, scope, () => api(path, { body }));
      if (!ctx.isCurrent()) return;
      renderResult(result, r);
      result.scrollIntoView({ block: 'start' });
    } catch (err) {
      if (ctx.isCurrent()) showError(error, err);
    }
  }

  nenpoForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const y = Number(year.value);
    if (!Number.isInteger(y) || y < 1900 || y > 2200) {
      showError(error, '年は西暦4桁の整数で入力してください。');
      return;
    }
    run('/api/reports/nenpo', withPublic({ year: y }), nenpoForm);
  });
  zairyuForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body = {};
    if (from.value) body.from = from.value;
    if (to.value) body.to = to.value;
    run('/api/reports/zairyu', withPublic(body), zairyuForm);
  });

  container.append(h('div', { class: 'report-forms' }, nenpoForm, zairyuForm), publicForm, error, result);
}
