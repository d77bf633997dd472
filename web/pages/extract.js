// One EUC extract (#/euc/<id>): a form built from its typed parameters, the preview (total, first
// rows, chart) and the downloads (Excel, CSV UTF-8, CSV Shift_JIS with unmappable characters listed);
// aggregates also have a 公表用（秘匿処理） variant. The preview, export and 公表用 pieces are shared
// with the wizard and the saved extracts.

import { api } from '../api.js';
import { h, replace, field, dataTable, errorBox, showError, clearBox, busy, fmtNum, fmtBytes } from '../dom.js';
import { kindBadge, deniedReason } from './euc-common.js';

/** Download formats: button label, test id and the API format. */
export const FORMATS = [
  { format: 'xlsx', label: 'Excel (xlsx)', testid: 'download-xlsx' },
  { format: 'csv', label: 'CSV (UTF-8)', testid: 'download-csv' },
  { format: 'csv-cp932', label: 'CSV (Shift_JIS)', testid: 'download-csv-cp932' },
];

const isDate = (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const isSet = (v) => v !== undefined && v !== null;

/**
 * The form control for one parameter, with its default: date → <input type=date> (min/max when
 * they are dates), int → number with min/max, choice → <select>, flag → checkbox, else text.
 * @example control({ name: 'kijunbi', label: '基準日', type: 'date', default: '2026-01-01' })
 */
function control(p) {
  const id = `param-${p.name}`;
  const common = { id, name: p.name, testid: id, required: !p.optional && p.type !== 'flag', 'aria-describedby': `${id}-hint` };
  const def = isSet(p.default) ? String(p.default) : '';
  switch (p.type) {
    case 'date':
      return h('input', { ...common, type: 'date', value: isDate(def) ? def : '', min: isDate(p.min) ? p.min : null, max: isDate(p.max) ? p.max : null });
    case 'int':
      return h('input', { ...common, type: 'number', step: '1', inputmode: 'numeric', min: isSet(p.min) ? String(p.min) : null, max: isSet(p.max) ? String(p.max) : null, value: def });
    case 'choice': {
      const choices = (Array.isArray(p.choices) ? p.choices : []).map(String);
      const select = h('select', common,
        p.optional && !choices.includes(def) ? h('option', { value: '' }, '（指定なし）') : null,
        choices.map((c) => h('option', { value: c }, c)));
      select.value = choices.includes(def) ? def : (select.options[0]?.value ?? '');
      return select;
    }
    case 'flag':
      return h('input', { ...common, type: 'checkbox', checked: p.default === true || p.default === 'true' });
    default:
      return h('input', { ...common, type: 'text', value: def, maxlength: isSet(p.maxLength) ? String(p.maxLength) : null });
  }
}

/** The hint under a parameter: its description, range, format and whether it may be empty. */
function hint(p) {
  const parts = [];
  if (p.description) parts.push(p.description);
  if (p.type === 'int' && isSet(p.min) && isSet(p.max)) parts.push(`${fmtNum(p.min)}〜${fmtNum(p.max)}`);
  else if (p.type === 'int' && isSet(p.min)) parts.push(`${fmtNum(p.min)} 以上`);
  else if (p.type === 'int' && isSet(p.max)) parts.push(`${fmtNum(p.max)} 以下`);
  if (p.type === 'date' && isDate(p.min) && isDate(p.max)) parts.push(`${p.min}〜${p.max}`);
  else if (p.type === 'date' && isDate(p.min)) parts.push(`${p.min} 以降`);
  else if (p.type === 'date' && isDate(p.max)) parts.push(`${p.max} 以前`);
  if (p.patternLabel && !p.description) parts.push(p.patternLabel);
  if (p.optional) parts.push('空欄可');
  return parts.length ? parts.join('。') : undefined;
}

/** A labelled parameter field (checkboxes put the label after the box). */
function paramField(p, input) {
  const label = p.label + (p.optional ? '（任意）' : '');
  const text = hint(p);
  const hintEl = text ? h('span', { class: 'hint', id: `${input.id}-hint` }, text) : null;
  if (!hintEl) input.removeAttribute('aria-describedby');
  if (p.type === 'flag') {
    return h('div', { class: 'field flag' }, h('div', { class: 'flag-row' }, input, h('label', { for: input.id }, label)), hintEl);
  }
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input, hintEl);
}

/**
 * Reads the form: `{ params }` or `{ problems }` (Japanese messages). An empty required field is a
 * problem; an empty optional text or choice is sent as '' (= no condition), any other empty
 * optional field is left out (the server applies its default); flags are booleans.
 * @example collect(def.params, inputs)
 */
function collect(params, inputs) {
  const values = {};
  const problems = [];
  for (const p of params) {
    if (p.type === 'flag') { values[p.name] = inputs[p.name].checked; continue; }
    const raw = inputs[p.name].value.trim();
    if (raw === '') {
      if (!p.optional) problems.push(`${p.label}を入力してください。`);
      else if (p.type === 'text' || p.type === 'choice') values[p.name] = '';
      continue;
    }
    if (p.type === 'int') {
      const n = Number(raw);
      if (!Number.isInteger(n)) { problems.push(`${p.label}は整数で入力してください。`); continue; }
      if (isSet(p.min) && n < p.min) problems.push(`${p.label}は ${fmtNum(p.min)} 以上にしてください。`);
      if (isSet(p.max) && n > p.max) problems.push(`${p.label}は ${fmtNum(p.max)} 以下にしてください。`);
      values[p.name] = n;
    } else if (p.type === 'date') {
      if (!isDate(raw)) { problems.push(`${p.label}は日付（YYYY-MM-DD）で入力してください。`); continue; }
      if (isDate(p.min) && raw < p.min) problems.push(`${p.label}は ${p.min} 以降の日付にしてください。`);
      if (isDate(p.max) && raw > p.max) problems.push(`${p.label}は ${p.max} 以前の日付にしてください。`);
      values[p.name] = raw;
    } else {
      values[p.name] = raw;
    }
  }
  for (const p of params) {
    const other = p.type === 'date' && p.notBefore ? params.find((q) => q.name === p.notBefore) : undefined;
    if (other && isDate(values[p.name]) && isDate(values[other.name]) && values[p.name] < values[other.name]) {
      problems.push(`${p.label}は${other.label}（${values[other.name]}）以降の日付にしてください。`);
    }
  }
  return problems.length ? { problems } : { params: values };
}

/** Default k of 公表用: counts below it are hidden (euc.md §5). */
export const DEFAULT_K = 3;

/**
 * The 公表用（秘匿処理） option: a checkbox and k. `read()` gives `{ public: { k } }` when checked,
 * `{}` when not, or `{ problem }` when k is not an integer 1〜100.
 * @example const pub = publicOption('extract'); form.append(pub.element); const r = pub.read();
 */
export function publicOption(prefix, opts = {}) {
  // the wizard's counts can also be laid out as a cross table (the last 分類 across) without 秘匿
  const cross = opts.cross ? h('input', { type: 'checkbox', id: `${prefix}-cross`, testid: 'cross-check' }) : null;
  const check = h('input', { type: 'checkbox', id: `${prefix}-public`, testid: 'public-check', 'aria-describedby': `${prefix}-public-hint` });
  const k = h('input', { type: 'number', id: `${prefix}-public-k`, testid: 'public-k', min: '1', max: '100', step: '1', inputmode: 'numeric', value: String(DEFAULT_K), disabled: true, class: 'k-input' });
  check.addEventListener('change', () => { k.disabled = !check.checked; });
  const element = h('div', { class: 'public-option', testid: 'public-option' },
    cross ? h('div', { class: 'flag-row' }, cross, h('label', { for: cross.id }, 'クロス表（最後の分類を列に、行と列の合計つき）')) : null,
    h('div', { class: 'flag-row' }, check, h('label', { for: check.id }, '公表用（秘匿処理）'),
      h('label', { for: k.id, class: 'k-label' }, 'k ='), k),
    h('span', { class: 'hint', id: `${prefix}-public-hint` },
      'k 未満の数値（0 は除く）と、合計から逆算できる数値を X で隠します。公表する表に使ってください。'));
  return {
    element,
    check,
    k,
    read() {
      if (!check.checked) return cross?.checked ? { layout: 'cross' } : {};
      const n = Number(k.value);
      if (!Number.isInteger(n) || n < 1 || n > 100) return { problem: '公表用の k は 1〜100 の整数にしてください。' };
      return { public: { k: n } };
    },
  };
}

/** The preview: conditions, 「全 N 件中 先頭 M 件」, the table (X = 秘匿) and the chart. */
export function renderPreview(box, r) {
  const rows = Array.isArray(r.rows) ? r.rows : [];
  const columns = Array.isArray(r.columns) ? r.columns : [];
  const total = Number(r.total ?? rows.length);
  const shown = r.shown && typeof r.shown === 'object' ? Object.entries(r.shown) : [];
  const parts = [h('h2', {}, 'プレビュー')];
  if (shown.length) {
    parts.push(h('dl', { class: 'conditions', testid: 'preview-conditions' },
      shown.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, String(v ?? ''))))));
  }
  parts.push(h('p', { class: 'total', testid: 'preview-total', id: 'preview-total', 'data-total': String(total), 'data-rows': String(rows.length) },
    `全 ${fmtNum(total)} 件中 先頭 ${fmtNum(rows.length)} 件`));
  if (r.chartUrl) {
    const img = h('img', { src: r.chartUrl, alt: 'グラフ', class: 'chart', testid: 'chart-img', id: 'chart-img' });
    const failed = h('p', { class: 'alert warning', hidden: true }, 'グラフを表示できませんでした。');
    img.addEventListener('error', () => { img.hidden = true; failed.hidden = false; });
    parts.push(h('figure', { class: 'chart-wrap' }, img, failed));
  }
  parts.push(rows.length
    ? dataTable(columns, rows, { testid: 'preview-table', id: 'preview-table', tall: true })
    : h('p', { class: 'empty', testid: 'preview-empty' }, '該当するデータはありません。'));
  replace(box, parts);
  for (const td of box.querySelectorAll('td.num')) {
    if (td.textContent === 'X') {
      td.classList.add('suppressed');
      td.title = '秘匿（公表用）';
    }
  }
  box.hidden = false;
}

/** The export outcome: rows, bytes, file name and (CP932) the characters that could not be kept. */
export function renderExport(box, r, label) {
  const unmappable = Array.isArray(r.unmappable) ? r.unmappable : [];
  const unmappableTotal = Number(r.unmappableTotal ?? unmappable.length);
  const parts = [h('p', { class: 'alert success', role: 'status', testid: 'export-summary' },
    `${label} を作成しました: ${fmtNum(r.rows)} 行、${fmtBytes(r.bytes)}。ファイル名 `, h('span', { class: 'file-name', testid: 'export-file-name' }, r.fileName ?? ''))];
  if (unmappableTotal > 0) {
    parts.push(h('div', { class: 'alert warning', testid: 'unmappable-box', id: 'unmappable-box' },
      h('p', {}, h('strong', {}, `Shift_JIS で表せない文字が ${fmtNum(unmappableTotal)} 件あります。`),
        'ファイルではこれらの文字を「〓」に置き換えました。必要なら UTF-8 の CSV をお使いください。'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data', testid: 'unmappable-table' },
        h('thead', {}, h('tr', {}, ['行', '列', '文字', 'コードポイント'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, unmappable.map((u) => h('tr', {},
          h('td', { class: 'num' }, fmtNum(u.row)),
          h('td', {}, u.column ?? ''),
          h('td', { class: 'char' }, u.char ?? ''),
          h('td', {}, u.codePoint ?? '')))))),
      unmappableTotal > unmappable.length ? h('p', {}, `ほか ${fmtNum(unmappableTotal - unmappable.length)} 件（一覧は先頭 ${fmtNum(unmappable.length)} 件）`) : null));
  }
  replace(box, parts);
  box.hidden = false;
}

/** Starts the browser download of a one-time URL. */
export function startDownload(url, fileName) {
  const a = h('a', { href: url, download: fileName || '', hidden: true, testid: 'download-link' });
  document.body.append(a);
  a.click();
  a.remove();
}


/**
 * Wires a form's submit to a preview: build the body, ask the server (errors shown in the error box),
 * render the preview, then `onDone` (e.g. scroll, refresh the run list).
 * @example wirePreview({ ctx, form, busyButtons, error, exportBox, previewBox, body, path: '/api/wizard/preview' })
 */
export function wirePreview({ ctx, form, busyButtons, error, exportBox, previewBox, body, path, onDone }) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearBox(error);
    const b = body();
    if (!b) return;
    exportBox.hidden = true;
    try {
      const r = await busy(busyButtons, form, () => api(path, { body: b }));
      if (!ctx.isCurrent()) return;
      renderPreview(previewBox, r);
      onDone?.();
    } catch (err) {
      if (ctx.isCurrent()) showError(error, err);
    }
  });
}
/**
 * Wires the Excel / CSV / CSV(Shift_JIS) buttons: build the body, ask the server to prepare the
 * file (errors shown in the error box), show what was written, then start the one-time download.
 * @example wireDownloads({ ctx, buttons: downloadButtons, busyButtons, form, error, exportBox, body, path: '/api/wizard/export' })
 */
export function wireDownloads({ ctx, buttons, busyButtons, form, error, exportBox, body, path, onDone }) {
  FORMATS.forEach((f, i) => buttons[i].addEventListener('click', async () => {
    clearBox(error);
    const b = body();
    if (!b) return;
    exportBox.hidden = true;
    exportBox.replaceChildren();
    try {
      const r = await busy(busyButtons, form, () => api(path, { body: { ...b, format: f.format } }));
      if (!ctx.isCurrent()) return;
      renderExport(exportBox, r, f.label);
      startDownload(r.url, r.fileName);
      onDone?.();
    } catch (err) {
      if (ctx.isCurrent()) showError(error, err);
    }
  }));
}

/**
 * Renders the extract page for `id`.
 * @example await render(container, ctx, '01')
 */
export async function render(container, ctx, id) {
  container.append(h('p', { class: 'back' }, h('a', { href: '#/euc', testid: 'back-to-euc' }, '← 抽出の一覧へ')));
  const data = await ctx.cached('/api/euc');
  if (!ctx.isCurrent()) return;
  const def = (Array.isArray(data?.extracts) ? data.extracts : []).find((d) => d.id === id);
  if (!def) {
    const box = errorBox();
    container.append(h('h1', {}, 'EUC 定型抽出'), box);
    showError(box, `抽出 ${id} はありません。`);
    return;
  }
  const allowed = def.allowed !== false;
  const persons = def.kind === 'persons';
  const params = Array.isArray(def.params) ? def.params : [];

  container.append(
    h('h1', { class: 'extract-h1' }, h('span', { class: 'extract-id' }, def.id), ' ', def.title, ' ', kindBadge(def.kind)),
    def.description ? h('p', { class: 'extract-desc' }, def.description) : null);

  const error = errorBox('extract-error');
  if (!allowed) {
    container.append(error);
    showError(error, `この抽出は利用できません: ${deniedReason(def)}`);
  }

  const inputs = {};
  const fields = params.map((p) => {
    inputs[p.name] = control(p);
    return paramField(p, inputs[p.name]);
  });
  let purpose = null;
  if (persons) {
    purpose = h('textarea', { id: 'purpose', name: 'purpose', testid: 'purpose', required: true, rows: '3', maxlength: '500', placeholder: '例: 敬老祝い金の案内送付のため' });
  }

  const pub = persons ? null : publicOption('extract');

  const previewButton = h('button', { type: 'submit', id: 'preview-button', testid: 'preview-button' }, 'プレビュー');
  const downloadButtons = FORMATS.map((f) => h('button', { type: 'button', class: 'secondary', id: f.testid, testid: f.testid, 'data-format': f.format }, f.label));
  const allButtons = [previewButton, ...downloadButtons];
  const fieldset = h('fieldset', { disabled: !allowed },
    h('legend', {}, '条件'),
    h('div', { class: 'param-grid' }, fields.length ? fields : h('p', { class: 'muted' }, 'この抽出に条件はありません。')),
    purpose ? h('div', { class: 'purpose' },
      field('利用目的（必須）', purpose, '個人情報を含む一覧です。利用目的は監査ログに記録されます。'),
      persons && !ctx.me.shien ? h('p', { class: 'muted', testid: 'shien-note' }, '支援措置の対象者は結果に含まれません（支援措置閲覧の権限がないため）。') : null) : null,
    pub ? pub.element : null,
    h('div', { class: 'actions' }, previewButton, h('span', { class: 'sep', 'aria-hidden': 'true' }), downloadButtons));
  const form = h('form', { class: 'card extract-form', id: 'extract-form', testid: 'extract-form', 'data-extract': def.id, novalidate: true }, fieldset);

  const exportBox = h('div', { class: 'export-result', testid: 'export-result', id: 'export-result', hidden: true });
  const previewBox = h('section', { class: 'preview', testid: 'preview', id: 'preview', hidden: true });
  container.append(form);
  if (allowed) container.append(error);
  container.append(exportBox, previewBox);

  /** The request body, or null after showing what is missing. */
  function body() {
    const read = collect(params, inputs);
    const problems = read.problems ? [...read.problems] : [];
    const text = purpose ? purpose.value.trim() : '';
    if (purpose && !text) problems.push('利用目的を入力してください。');
    const published = pub ? pub.read() : {};
    if (published.problem) problems.push(published.problem);
    if (problems.length) {
      showError(error, problems.join(' '));
      return null;
    }
    return { params: read.params, ...(purpose ? { purpose: text } : {}), ...(published.public ? { public: published.public } : {}) };
  }

  wirePreview({ ctx, form, busyButtons: allButtons, error, exportBox, previewBox, body, path: `/api/euc/${encodeURIComponent(def.id)}/preview` });

  wireDownloads({ ctx, buttons: downloadButtons, busyButtons: allButtons, form, error, exportBox, body, path: `/api/euc/${encodeURIComponent(def.id)}/export` });
}
