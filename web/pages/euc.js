// EUC: the catalogue of standard extracts (GET /api/euc); extracts the role may not run are shown
// disabled with the reason. #/euc/<id> opens one extract (pages/extract.js).

import { h } from '../dom.js';
import { kindBadge, deniedReason } from './euc-common.js';
import * as extractPage from './extract.js';

/**
 * Renders the catalogue, or one extract when the route is #/euc/<id>.
 * @example await render(container, ctx)
 */
export async function render(container, ctx) {
  if (ctx.params[0]) return extractPage.render(container, ctx, ctx.params[0]);

  container.append(h('h1', {}, 'EUC 定型抽出'));
  const data = await ctx.cached('/api/euc');
  if (!ctx.isCurrent()) return;
  const extracts = Array.isArray(data?.extracts) ? data.extracts : [];
  if (!extracts.length) {
    container.append(h('p', { class: 'empty' }, '利用できる抽出はありません。'));
    return;
  }
  const list = h('ul', { class: 'catalogue', testid: 'euc-list', id: 'euc-list' });
  for (const def of extracts) {
    const allowed = def.allowed !== false;
    const title = allowed
      ? h('a', { href: `#/euc/${encodeURIComponent(def.id)}`, testid: `euc-link-${def.id}`, class: 'extract-title' }, def.title)
      : h('span', { class: 'extract-title', testid: `euc-link-${def.id}`, 'aria-disabled': 'true' }, def.title);
    list.append(h('li', { class: ['extract', allowed ? null : 'disabled'], testid: `euc-item-${def.id}`, 'data-allowed': String(allowed) },
      h('div', { class: 'extract-head' },
        h('span', { class: 'extract-id' }, def.id),
        title,
        kindBadge(def.kind),
        def.chart ? h('span', { class: 'badge chart' }, 'グラフ') : null),
      def.description ? h('p', { class: 'extract-desc' }, def.description) : null,
      allowed ? null : h('p', { class: 'denied', testid: `euc-denied-${def.id}` }, `利用できません: ${deniedReason(def)}`)));
  }
  container.append(list);
}
