// SQL (#/sql, 管理者 only): one read-only SELECT on the store (POST /api/admin/sql), its result table
// (the first 1,000 rows), the time it took, and the server's message when a statement is refused.
// Every statement is recorded in the 監査ログ.

import { api, PATHS } from '../api.js';
import { h, replace, dataTable, errorBox, showError, clearBox, busy, fmtNum } from '../dom.js';

/** An example statement for the empty editor (the as-of views of queries/store/asof.sql). */
const EXAMPLE = "SELECT 性別, count(*) AS 人数\nFROM residents_asof(DATE '2025-01-01')\nGROUP BY 1\nORDER BY 1";

/** Rows the server returns at most (src/server/routes/admin.ts). */
const MAX_ROWS = 1000;

/**
 * Renders the SQL page.
 * @example await render(container, ctx)
 */
export async function render(container, ctx) {
  container.append(h('h1', {}, 'SQL（管理者）'),
    h('div', { class: 'alert info', testid: 'sql-note' },
      h('p', {}, '参照専用の接続で SELECT 文を 1 つだけ実行します（INSERT・DELETE・SET・ATTACH・COPY などは実行できません）。結果は先頭 ',
        fmtNum(MAX_ROWS), ' 行までです。実行した SQL は監査ログに記録されます。'),
      h('p', {}, '時点の表: ', h('code', {}, "residents_asof(DATE 'YYYY-MM-DD')"), '（その日の住民）、',
        h('code', {}, "persons_asof(DATE 'YYYY-MM-DD')"), '、', h('code', {}, "changes_in(DATE '…', DATE '…')"), '（期間の異動）。取り込みの記録 ', h('code', {}, 'loads'),
        ' とマスタ ', h('code', {}, 'master_*'), ' も読めます。個人の情報を持つ元の表は直接は読めません。')));

  const text = h('textarea', { id: 'sql-text', testid: 'sql-text', rows: '8', spellcheck: 'false', class: 'code sql-text', placeholder: EXAMPLE, 'aria-describedby': 'sql-text-hint' });
  const run = h('button', { type: 'submit', id: 'sql-run', testid: 'sql-run' }, '実行');
  const form = h('form', { class: 'card sql-form', testid: 'sql-form', id: 'sql-form', novalidate: true },
    h('div', { class: 'field wide' }, h('label', { for: text.id }, 'SQL'), text,
      h('span', { class: 'hint', id: 'sql-text-hint' }, 'Ctrl + Enter でも実行できます。')),
    h('div', { class: 'actions' }, run));
  const error = errorBox('sql-error');
  const result = h('section', { class: 'card sql-result', testid: 'sql-result', id: 'sql-result', hidden: true });
  container.append(form, error, result);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearBox(error);
    const sql = text.value.trim();
    if (!sql) {
      showError(error, 'SQL を入力してください。');
      text.focus();
      return;
    }
    result.hidden = true;
    try {
      const r = await busy([run], form, () => api(PATHS.sql, { body: { sql } }));
      if (!ctx.isCurrent()) return;
      const columns = Array.isArray(r?.columns) ? r.columns.map((c) => (typeof c === 'string' ? c : c?.name ?? '')) : [];
      const rows = Array.isArray(r?.rows) ? r.rows : [];
      replace(result,
        h('h2', {}, '結果'),
        h('p', { class: 'total', testid: 'sql-meta', 'data-rows': String(rows.length), 'data-ms': String(r?.ms ?? '') },
          `${fmtNum(rows.length)} 行（${fmtNum(r?.ms ?? 0)} ミリ秒）`),
        r?.truncated ? h('p', { class: 'alert warning', testid: 'sql-truncated' }, `先頭 ${fmtNum(MAX_ROWS)} 行までを表示しています（続きがあります）。集計や条件で絞ってください。`) : null,
        rows.length || columns.length
          ? dataTable(columns, rows, { testid: 'sql-table', id: 'sql-table', tall: true })
          : h('p', { class: 'empty' }, '結果の行はありません。'));
      result.hidden = false;
    } catch (err) {
      if (ctx.isCurrent()) showError(error, err);
    }
  });
  text.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      form.requestSubmit();
    }
  });
  text.focus();
}
