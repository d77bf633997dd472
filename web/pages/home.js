// ホーム: the latest snapshot (団体, 処理日まで, 取込日時) and the load history, with each
// load's printed report on request.

import { api } from '../api.js';
import { h, replace, fmtNum, errorBox, showError, busy } from '../dom.js';

/** How a load's history mode is shown. */
const HISTORY_MODE = { full: '全件', delta: '差分' };

/** Milliseconds → '12.3 秒'. */
function fmtDuration(ms) {
  const n = Number(ms);
  if (!Number.isFinite(n)) return '';
  return `${(n / 1000).toLocaleString('ja-JP', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} 秒`;
}

/**
 * Renders the home page (GET /api/home, GET /api/loads/:id/report).
 * @example await render(container, ctx)
 */
export async function render(container, ctx) {
  container.append(h('h1', {}, 'ホーム'));
  const home = await ctx.cached('/api/home', true);
  if (!ctx.isCurrent()) return;

  const s = home?.snapshot;
  const snapshot = h('section', { class: 'card', testid: 'snapshot-card', id: 'snapshot-card' }, h('h2', {}, '最新のスナップショット'));
  if (!s) {
    snapshot.append(h('p', { class: 'empty' }, 'まだデータが読み込まれていません。`juki load` でスナップショットを取り込んでください。'));
  } else {
    snapshot.append(h('dl', { class: 'facts' },
      h('dt', {}, '団体名'), h('dd', { testid: 'snapshot-name' }, s.municipalityName),
      h('dt', {}, '団体コード'), h('dd', { testid: 'snapshot-code' }, s.municipalityCode),
      h('dt', {}, '処理日まで'), h('dd', { testid: 'snapshot-processed-through' }, s.processedThrough),
      h('dt', {}, '取込日時'), h('dd', { testid: 'snapshot-loaded-at' }, s.loadedAt),
      h('dt', {}, '取込番号'), h('dd', {}, fmtNum(s.loadId))));
  }
  container.append(snapshot);

  const loads = Array.isArray(home?.loads) ? home.loads : [];
  const reportTitle = h('h3', { hidden: true });
  const reportText = h('pre', { class: 'load-report', testid: 'load-report-text', id: 'load-report-text', hidden: true });
  const error = errorBox();
  const history = h('section', { class: 'card' }, h('h2', {}, '取込履歴'));
  if (!loads.length) {
    history.append(h('p', { class: 'empty' }, '取込履歴はありません。'));
  } else {
    const tbody = h('tbody');
    for (const l of loads) {
      const button = h('button', { type: 'button', class: 'small secondary', testid: `load-report-button-${l.loadId}`, 'aria-controls': 'load-report-text' }, 'レポート');
      button.addEventListener('click', async () => {
        error.hidden = true;
        try {
          const r = await busy([button], history, () => api(`/api/loads/${encodeURIComponent(l.loadId)}/report`));
          if (!ctx.isCurrent()) return;
          replace(reportTitle, `取込番号 ${fmtNum(l.loadId)} の取込レポート`);
          replace(reportText, r?.text ?? '');
          reportTitle.hidden = false;
          reportText.hidden = false;
          reportText.scrollIntoView({ block: 'nearest' });
        } catch (err) {
          showError(error, err);
        }
      });
      tbody.append(h('tr', { testid: `load-row-${l.loadId}` },
        h('td', { class: 'num' }, fmtNum(l.loadId)),
        h('td', {}, l.loadedAt ?? ''),
        h('td', {}, l.processedThrough ?? ''),
        h('td', {}, HISTORY_MODE[l.historyMode] ?? l.historyMode ?? ''),
        h('td', {}, l.encoding ?? ''),
        h('td', { class: 'num' }, fmtNum(l.residentsRows)),
        h('td', { class: 'num' }, fmtNum(l.historyRows)),
        h('td', { class: 'num' }, fmtNum(l.historyRowsNew)),
        h('td', { class: 'num' }, fmtDuration(l.durationMs)),
        h('td', {}, button)));
    }
    const head = ['取込番号', '取込日時', '処理日まで', '履歴', '文字コード', '住民行数', '異動履歴行数', 'うち新規', '所要時間', ''];
    const numeric = new Set([0, 5, 6, 7, 8]);
    history.append(h('div', { class: 'table-wrap', tabindex: '0' },
      h('table', { class: 'data', testid: 'loads-table', id: 'loads-table' },
        h('thead', {}, h('tr', {}, head.map((t, i) => h('th', { scope: 'col', class: numeric.has(i) ? 'num' : null }, t)))),
        tbody)));
  }
  history.append(error, reportTitle, reportText);
  container.append(history);
}
