// What the EUC catalogue and the extract page share: the kind badge and why an extract is denied.

import { h } from '../dom.js';

/** The badge text for an extract kind. */
export const KIND_LABEL = { aggregate: '集計', persons: '個人一覧' };

/**
 * Why an extract is not available to the current user.
 * @example deniedReason({ kind: 'persons' }) // '「個人一覧」の役割が必要です。'
 */
export function deniedReason(def) {
  return def.kind === 'persons' ? '「個人一覧」の役割が必要です。' : 'この抽出を実行する権限がありません。';
}

/**
 * A kind badge: 集計 or 個人一覧.
 * @example kindBadge('persons')
 */
export function kindBadge(kind) {
  return h('span', { class: ['badge', `kind-${kind}`], testid: 'kind-badge' }, KIND_LABEL[kind] ?? kind);
}
