// 保存した抽出 (#/saved): the wizard definitions the user owns or that are shared with their role —
// run again with new dates (preview, downloads, 公表用), open in the wizard, delete (owner or 管理者),
// export as a JSON file and import one (from a file or pasted text).

import { api, PATHS, extractPath } from '../api.js';
import { h, replace, field, errorBox, showError, clearBox, busy, fmtNum } from '../dom.js';
import { kindBadge } from './euc-common.js';
import { FORMATS, publicOption, wireDownloads, wirePreview } from './extract.js';
import { specSummary, dateRefText, isDate } from './wizard.js';

/** Names of a run's date parameters. */
const PARAM_LABEL = { asOf: '基準日', from: 'から', to: 'まで' };

/** A timestamp of the server ('2025-04-01T09:30:00+09:00') as '2025-04-01 09:30:00' (日本時間). */
function fmtAt(at) {
  return String(at ?? '').replace('T', ' ').replace(/(\.\d+)?\+09:00$/, '');
}

/** A run's dates as text ('基準日 2021-01-01'); no overrides = the definition's own dates. */
function runParamsText(params) {
  const entries = Object.entries(params ?? {}).filter(([, v]) => v !== '' && v !== null && v !== undefined);
  return entries.length ? entries.map(([k, v]) => `${PARAM_LABEL[k] ?? k} ${v}`).join('、') : '定義どおり';
}

/** The 最近の実行 table of an extract (newest first, at most five). */
function runsTable(runs) {
  const list = Array.isArray(runs) ? runs.slice(0, 5) : [];
  if (!list.length) return h('p', { class: 'muted', testid: 'saved-runs-empty' }, 'まだ実行されていません。');
  return h('div', { class: 'table-wrap runs' }, h('table', { class: 'data', testid: 'saved-runs' },
    h('thead', {}, h('tr', {}, ['実行日時', '利用者', '日付', '定義'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, list.map((r) => h('tr', {},
      h('td', { class: 'nowrap' }, fmtAt(r.at)),
      h('td', {}, r.user ?? ''),
      h('td', {}, runParamsText(r.params)),
      h('td', {}, h('code', { class: 'hash', title: r.specHash ?? '' }, String(r.specHash ?? '').slice(0, 12))))))));
}

/**
 * The run form of one saved extract: its date overrides (prefilled with the definition's dates; a
 * keyword stays when the input is left empty), the purpose (person lists), 公表用 (counts), then
 * preview and downloads. `onRun` is called after every successful run (the server recorded it).
 */
function runPanel(ctx, e, onRun) {
  const spec = e.spec ?? {};
  const base = spec.base ?? {};
  const persons = spec.output?.kind === 'persons';
  const dateInputs = {};
  const dateField = (key, label, ref) => {
    const id = `run-${key.toLowerCase()}`;
    const keyword = isDate(ref) ? null : ref;
    const input = h('input', { type: 'date', id, testid: id, value: isDate(ref) ? ref : '', 'aria-describedby': `${id}-hint`, placeholder: keyword ?? null });
    dateInputs[key] = input;
    return h('div', { class: 'field' }, h('label', { for: id }, label), input,
      h('span', { class: 'hint', id: `${id}-hint`, testid: `${id}-hint` },
        keyword ? `定義: ${dateRefText(keyword)}。空欄なら定義どおり。` : `定義: ${ref}。変えると、その日付で実行します。`));
  };
  const dates = base.kind === 'changes'
    ? [dateField('from', '期間（から）', base.from), dateField('to', '期間（まで）', base.to)]
    : [dateField('asOf', '基準日', base.asOf)];

  const purpose = persons ? h('textarea', { id: 'run-purpose', testid: 'purpose', rows: '2', maxlength: '500', placeholder: '例: 敬老祝い金の案内送付のため' }) : null;
  const pub = persons ? null : publicOption('run', { cross: true });
  const error = errorBox(`run-error-${e.id}`);
  const previewButton = h('button', { type: 'submit', testid: 'preview-button', id: 'run-preview' }, 'プレビュー');
  const downloadButtons = FORMATS.map((f) => h('button', { type: 'button', class: 'secondary', testid: f.testid, id: `run-${f.testid}`, 'data-format': f.format }, f.label));
  const allowed = !persons || ctx.can.persons;
  const form = h('form', { class: 'run-form', testid: 'run-form', novalidate: true },
    h('fieldset', { disabled: !allowed },
      h('legend', {}, '実行'),
      h('div', { class: 'form-row' }, dates),
      purpose ? h('div', { class: 'purpose' }, field('利用目的（必須）', purpose, '個人情報を含む一覧です。利用目的は監査ログに記録されます。'),
        ctx.me.shien ? null : h('p', { class: 'muted', testid: 'shien-note' }, '支援措置の対象者は結果に含まれません（支援措置閲覧の権限がないため）。')) : null,
      pub ? pub.element : null,
      h('div', { class: 'actions' }, previewButton, h('span', { class: 'sep', 'aria-hidden': 'true' }), downloadButtons)));
  const exportBox = h('div', { class: 'export-result', testid: 'export-result', hidden: true });
  const previewBox = h('section', { class: 'preview', testid: 'preview', hidden: true });
  const el = h('div', { class: 'run-panel', testid: 'run-panel', id: `run-panel-${e.id}` }, form, error, exportBox, previewBox);
  if (!allowed) showError(error, '個人一覧の実行には「個人一覧」の役割が必要です。');
  const buttons = [previewButton, ...downloadButtons];

  function body() {
    const problems = [];
    const out = { dates: {} };
    for (const [k, input] of Object.entries(dateInputs)) if (input.value) out.dates[k] = input.value;
    if (purpose) {
      out.purpose = purpose.value.trim();
      if (!out.purpose) problems.push('利用目的を入力してください。');
    }
    const p = pub ? pub.read() : {};
    if (p.problem) problems.push(p.problem);
    if (p.public) out.public = p.public;
    if (p.layout) out.layout = p.layout;
    if (problems.length) {
      showError(error, problems.join(' '));
      return null;
    }
    return out;
  }

  wirePreview({ ctx, form, busyButtons: buttons, error, exportBox, previewBox, body, path: extractPath(e.id, 'preview'), onDone: onRun });
  wireDownloads({ ctx, buttons: downloadButtons, busyButtons: buttons, form, error, exportBox, body, path: extractPath(e.id, 'export'), onDone: onRun });
  return el;
}

/**
 * Renders the saved extracts page.
 * @example await render(container, ctx)
 */
export async function render(container, ctx) {
  container.append(h('h1', {}, '保存した抽出'),
    h('p', { class: 'muted' }, '自分が保存した抽出と、自分の役割に共有された抽出です。日付を変えて実行し直すと、その実行と使った定義が記録されます。新しく作るには ',
      h('a', { href: '#/wizard', testid: 'to-wizard' }, 'ウィザード'), ' を使ってください。'));
  const error = errorBox('saved-error');
  const status = h('p', { class: 'alert success', role: 'status', testid: 'saved-status', hidden: true });
  const listBox = h('section', { class: 'saved-list-box', testid: 'saved-list-box' });
  const catalogue = await ctx.cached(PATHS.wizardItems).catch(() => null);
  if (!ctx.isCurrent()) return;
  const ops = catalogue?.ops;

  // 取り込み
  const importFile = h('input', { type: 'file', id: 'import-file', testid: 'import-file', accept: '.json,application/json' });
  const importJson = h('textarea', { id: 'import-json', testid: 'import-json', rows: '6', spellcheck: 'false', class: 'code', placeholder: '{ "format": "juki-extract/1", "name": "…", "title": "…", … }' });
  const importName = h('input', { type: 'text', id: 'import-name', testid: 'import-name', maxlength: '100', placeholder: '空欄ならファイルの名前（または題名）' });
  const importButton = h('button', { type: 'submit', testid: 'import-submit', id: 'import-submit' }, '取り込む');
  const importError = errorBox('import-error');
  const importResult = h('p', { class: 'alert success', role: 'status', testid: 'import-result', hidden: true });
  const importForm = h('form', { class: 'card import-form', testid: 'import-form', id: 'import-form', novalidate: true },
    h('h2', {}, 'JSON ファイルから取り込む'),
    h('p', { class: 'muted' }, '他の団体や他の利用者が「JSON で書き出す」で作ったファイル（形式 juki-extract/1）を、自分の抽出として取り込みます（共有なし）。'),
    h('div', { class: 'form-row' }, field('ファイル', importFile, 'ファイルを選ぶと下の欄に読み込みます'),
      h('div', { class: 'field wide' }, h('label', { for: importName.id }, '名前（任意）'), importName,
        h('span', { class: 'hint' }, '自分の抽出に同じ名前があるときは、別の名前を付けてください'))),
    field('定義（JSON）', importJson),
    h('div', { class: 'actions' }, importButton),
    importError, importResult);

  container.append(error, status, listBox, importForm);

  let openPanel = null;
  const closePanel = () => {
    if (!openPanel) return;
    openPanel.panel.remove();
    openPanel.toggle.setAttribute('aria-expanded', 'false');
    replace(openPanel.toggle, '実行');
    openPanel = null;
  };

  function card(e) {
    const mine = e.owner === ctx.me.id;
    const mayEdit = mine || Boolean(ctx.can.admin);
    const sum = specSummary(e.spec, ops);
    const persons = e.spec?.output?.kind === 'persons';
    const runsBox = h('div', { class: 'saved-runs', testid: 'saved-runs-box' }, h('h4', {}, '最近の実行'), runsTable(e.runs));
    const toggle = h('button', { type: 'button', testid: 'saved-run-toggle', 'aria-expanded': 'false', 'aria-controls': `run-panel-${e.id}` }, '実行');
    const del = mayEdit ? h('button', { type: 'button', class: 'secondary danger', testid: 'saved-delete' }, '削除') : null;
    const li = h('li', { class: 'saved-item', testid: 'saved-item', 'data-id': e.id, 'data-name': e.name },
      h('div', { class: 'saved-head' },
        h('h3', { class: 'saved-name', testid: 'saved-name' }, e.name),
        kindBadge(persons ? 'persons' : 'aggregate'),
        h('span', { class: ['badge', e.sharedWithRole ? 'shared' : null], testid: 'saved-shared' }, e.sharedWithRole ? `共有: ${e.sharedWithRole} 以上` : '共有なし'),
        h('span', { class: 'muted', testid: 'saved-owner' }, `作成者 ${e.owner}${mine ? '（自分）' : ''}`)),
      h('dl', { class: 'facts saved-facts' },
        h('dt', {}, '題名'), h('dd', { testid: 'saved-title' }, e.spec?.title ?? ''),
        h('dt', {}, '対象'), h('dd', { testid: 'saved-base' }, sum.base),
        h('dt', {}, '条件'), h('dd', { testid: 'saved-conditions' }, sum.conditions),
        h('dt', {}, '出力'), h('dd', { testid: 'saved-output' }, sum.output),
        h('dt', {}, '更新'), h('dd', {}, fmtAt(e.updatedAt))),
      runsBox,
      h('div', { class: 'actions' },
        toggle,
        h('a', { href: `#/wizard/${encodeURIComponent(e.id)}`, class: 'button-link', testid: 'saved-edit' }, mayEdit ? '編集' : 'ウィザードで開く'),
        h('a', { href: extractPath(e.id, 'file'), download: `${e.name}.json`, class: 'button-link', testid: 'saved-file' }, 'JSON で書き出す'),
        del));

    const refreshRuns = async () => {
      try {
        const r = await api(extractPath(e.id));
        if (ctx.isCurrent() && r?.extract) replace(runsBox, h('h4', {}, '最近の実行'), runsTable(r.extract.runs));
      } catch {
        // the list is refreshed on the next visit
      }
    };
    toggle.addEventListener('click', () => {
      const wasOpen = openPanel?.toggle === toggle;
      closePanel();
      if (wasOpen) return;
      const panel = runPanel(ctx, e, refreshRuns);
      li.append(panel);
      toggle.setAttribute('aria-expanded', 'true');
      replace(toggle, '閉じる');
      openPanel = { panel, toggle };
      panel.querySelector('input, textarea, button')?.focus();
    });
    del?.addEventListener('click', async () => {
      if (!window.confirm(`「${e.name}」を削除しますか？（元に戻せません）`)) return;
      clearBox(error);
      status.hidden = true;
      try {
        await busy([del, toggle], li, () => api(extractPath(e.id, 'delete'), { body: {} }));
        if (!ctx.isCurrent()) return;
        replace(status, `「${e.name}」を削除しました。`);
        status.hidden = false;
        await load();
      } catch (err) {
        if (ctx.isCurrent()) showError(error, err);
      }
    });
    return li;
  }

  async function load() {
    const r = await api(PATHS.extracts);
    if (!ctx.isCurrent()) return;
    const extracts = Array.isArray(r?.extracts) ? r.extracts : [];
    openPanel = null;
    replace(listBox,
      h('h2', {}, '一覧 ', h('span', { class: 'muted', testid: 'saved-count', 'data-count': String(extracts.length) }, `${fmtNum(extracts.length)} 件`)),
      extracts.length
        ? h('ul', { class: 'saved-list', testid: 'saved-list', id: 'saved-list' }, extracts.map(card))
        : h('p', { class: 'empty', testid: 'saved-empty' }, '保存した抽出はまだありません。ウィザードで作って「保存」してください。'));
  }

  importFile.addEventListener('change', () => {
    const file = importFile.files?.[0];
    if (!file) return;
    clearBox(importError);
    if (file.size > 200_000) {
      showError(importError, 'ファイルが大きすぎます（200,000 バイトまで）。');
      return;
    }
    const reader = new FileReader();
    reader.addEventListener('load', () => {
      importJson.value = String(reader.result ?? '').replace(/^\uFEFF/, '');
      importJson.dispatchEvent(new Event('input'));
    });
    reader.addEventListener('error', () => showError(importError, 'ファイルを読み込めませんでした。'));
    reader.readAsText(file, 'utf-8');
  });

  importForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearBox(importError);
    importResult.hidden = true;
    const json = importJson.value.trim();
    if (!json) {
      showError(importError, '取り込む定義（JSON）をファイルで選ぶか、欄に貼り付けてください。');
      return;
    }
    const name = importName.value.trim();
    try {
      const r = await busy([importButton], importForm, () => api(PATHS.extractsImport, { body: { json, ...(name ? { name } : {}) } }));
      if (!ctx.isCurrent()) return;
      importForm.reset();
      replace(importResult, `「${r?.extract?.name ?? name}」を取り込みました（一覧に追加しました）。`);
      importResult.hidden = false;
      await load();
    } catch (err) {
      if (ctx.isCurrent()) showError(importError, err);
    }
  });

  await load();
}
