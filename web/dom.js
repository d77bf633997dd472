// DOM helpers for the browser UI: element building (never innerHTML with data), number
// formatting for Japanese display, tables, alert boxes and busy buttons.

/**
 * Builds an element. Attributes: `class`, `id`, `for`, `testid` (→ data-testid), `on`
 * (event listeners), boolean properties (`disabled`, `hidden`, `required`, `checked`,
 * `selected`, `open`) and plain attributes; children are strings, nodes, arrays or null.
 * @example h('button', { type: 'button', testid: 'run', on: { click: run } }, '実行')
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'for') el.htmlFor = value;
    else if (key === 'testid') el.dataset.testid = value;
    else if (key === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else if (key === 'value') el.value = value;
    else if (['disabled', 'hidden', 'required', 'checked', 'selected', 'open', 'multiple'].includes(key)) el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/**
 * Appends strings (as text), nodes and nested arrays; skips null, undefined and false.
 * @example append(section, [h('h2', {}, '結果'), table])
 */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/**
 * Replaces all children of `parent`.
 * @example replace(box, h('p', {}, '完了'))
 */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/**
 * Formats a number for Japanese display (桁区切り). Integer strings (bigints sent as text)
 * are formatted too; anything else is shown as given. null/undefined → ''.
 * @example fmtNum(12345) // '12,345'
 */
export function fmtNum(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? value.toLocaleString('ja-JP') : String(value);
  if (typeof value === 'bigint') return value.toLocaleString('ja-JP');
  if (typeof value === 'string' && /^-?\d{4,}$/.test(value)) {
    try { return BigInt(value).toLocaleString('ja-JP'); } catch { return value; }
  }
  return String(value);
}

/**
 * Formats a byte count: '12,345 バイト（12.1 KB）'.
 * @example fmtBytes(2048) // '2,048 バイト（2.0 KB）'
 */
export function fmtBytes(bytes) {
  const n = Number(bytes);
  if (!Number.isFinite(n)) return String(bytes ?? '');
  const plain = `${n.toLocaleString('ja-JP')} バイト`;
  if (n < 1024) return plain;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${plain}（${v.toLocaleString('ja-JP', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} ${units[i]}）`;
}

/** Column kinds that are right-aligned and formatted as numbers. */
const NUMERIC_KINDS = new Set(['int', 'number', 'rate']);

/**
 * A scrollable table with a sticky header. `columns` are names or `{name, kind}`; a cell is
 * formatted as a number when its column kind is numeric or (kind unknown) its value is a number.
 * @example dataTable(['町丁字', '人口'], [['本町', 1234]], { testid: 'preview-table' })
 */
export function dataTable(columns, rows, opts = {}) {
  const cols = columns.map((c) => (typeof c === 'string' ? { name: c } : c));
  const thead = h('thead', {}, h('tr', {}, cols.map((c) =>
    h('th', { scope: 'col', class: NUMERIC_KINDS.has(c.kind) ? 'num' : null }, c.name))));
  const tbody = h('tbody');
  for (const row of rows) {
    const tr = h('tr');
    cols.forEach((c, i) => {
      const v = Array.isArray(row) ? row[i] : row?.[c.name];
      const numeric = NUMERIC_KINDS.has(c.kind) || (c.kind === undefined && (typeof v === 'number' || typeof v === 'bigint'));
      tr.append(h('td', { class: numeric ? 'num' : null }, numeric ? fmtNum(v) : (v ?? '')));
    });
    tbody.append(tr);
  }
  const table = h('table', { class: 'data', testid: opts.testid, id: opts.id }, opts.caption ? h('caption', {}, opts.caption) : null, thead, tbody);
  return h('div', { class: ['table-wrap', opts.tall ? 'tall' : null], tabindex: '0', testid: opts.wrapTestid }, table);
}

/**
 * The error box (role="alert", data-testid="error-box"); hidden while empty.
 * Use `showError(box, err)` / `clearBox(box)`.
 * @example const err = errorBox(); showError(err, e)
 */
export function errorBox(id) {
  return h('div', { class: 'alert error', role: 'alert', testid: 'error-box', id, hidden: true });
}

/**
 * Shows an error (an Error, an ApiError or a string) in an error box. Errors already handled
 * globally (a 401 that sent the user to the login view) are ignored.
 * @example showError(box, new Error('失敗しました'))
 */
export function showError(box, err) {
  if (err && err.handled) return;
  const message = typeof err === 'string' ? err : (err?.message || 'エラーが発生しました。');
  replace(box, message);
  box.hidden = false;
}

/**
 * Empties and hides a message box.
 * @example clearBox(errorBoxEl)
 */
export function clearBox(box) {
  box.replaceChildren();
  box.hidden = true;
}

/**
 * Runs `fn` with the given buttons disabled and `aria-busy` set on `scope`; re-enables them after.
 * @example await busy([runButton], form, () => api('/api/...'))
 */
export async function busy(buttons, scope, fn) {
  const previous = buttons.map((b) => b.disabled);
  buttons.forEach((b) => { b.disabled = true; });
  if (scope) scope.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    buttons.forEach((b, i) => { b.disabled = previous[i]; });
    if (scope) scope.removeAttribute('aria-busy');
  }
}

/**
 * A labelled form field (label associated with the control through `for`).
 * @example field('利用者ID', h('input', { id: 'login-id' }))
 */
export function field(label, control, hint) {
  return h('div', { class: 'field' },
    h('label', { for: control.id }, label),
    control,
    hint ? h('span', { class: 'hint' }, hint) : null);
}

/**
 * A status badge: OK (green) or NG (red).
 * @example okBadge(true) // <span class="badge ok">OK</span>
 */
export function okBadge(ok, testid) {
  return h('span', { class: ['badge', ok ? 'ok' : 'ng'], testid }, ok ? 'OK' : 'NG');
}
