// ウィザード (#/wizard, #/wizard/<saved id> to edit a saved extract): an ad-hoc extract without SQL,
// step by step on one page — 対象 (residents on a date / changes in a period), 条件 rows, 出力 (a count
// by up to three items, or a person list with a purpose), then preview, downloads, 公表用 and 保存.
// The definition it sends is the "juki-extract/1" JSON the server checks and compiles.

import { api, PATHS, extractPath } from '../api.js';
import { h, replace, field, errorBox, showError, clearBox, busy } from '../dom.js';
import { FORMATS, publicOption, wireDownloads, wirePreview } from './extract.js';

/** The roles a saved extract can be shared with, lowest first (euc.md §4). */
export const ROLES = ['閲覧者', 'EUC担当', '個人一覧', '管理者'];

/** Short names of the bases (the long ones come from GET /api/wizard/items). */
export const BASE_SHORT = { residents: '住民', changes: '異動' };

/** Japanese names of the date keywords a definition may hold instead of a date (src/euc/params.ts). */
export const DATE_KEYWORD_LABELS = {
  snapshot: 'スナップショットの基準日（処理済み日の翌日）',
  processedThrough: 'スナップショットの処理済み日',
  snapshotMonthStart: '基準日の月の初日',
  lastMonthStart: '前月の初日',
  lastMonthEnd: '前月の末日',
  last12MonthsStart: '過去 12 か月の初日',
  last12MonthsEnd: '過去 12 か月の末日',
  lastYearStart: '前年の 1 月 1 日',
  lastYearEnd: '前年の 12 月 31 日',
  periodStart: '前年の 1 月 1 日',
  periodEnd: '前年の 12 月 31 日',
  lastFiscalYearStart: '前年度の初日',
  lastFiscalYearEnd: '前年度の末日',
  next12MonthsStart: '今後 12 か月の初日',
  next12MonthsEnd: '今後 12 か月の末日',
};

/** Operator names used when the server's labels are not at hand. */
const OP_FALLBACK = { equals: '等しい', in: 'いずれか', between: '範囲', prefix: '前方一致', empty: '空', not_empty: '空でない' };

export const isDate = (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

/**
 * A date or keyword as text: the date itself, or the keyword's Japanese name.
 * @example dateRefText('snapshot') // 'スナップショットの基準日（処理済み日の翌日）'
 */
export function dateRefText(ref) {
  if (isDate(ref)) return ref;
  return DATE_KEYWORD_LABELS[ref] ? `${DATE_KEYWORD_LABELS[ref]}（${ref}）` : String(ref ?? '');
}

/** The day after an ISO date ('2022-01-31' → '2022-02-01'); '' when not a date. */
function nextDay(iso) {
  if (!isDate(iso)) return '';
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * One condition as a line: 「年齢 範囲（両端を含む） 65〜130」.
 * @example conditionText({ item: '性別', op: 'equals', value: '女' }, { equals: '等しい' }) // '性別 等しい 女'
 */
export function conditionText(c, opLabels = OP_FALLBACK) {
  const op = opLabels[c.op] ?? OP_FALLBACK[c.op] ?? c.op;
  if (c.op === 'between') return `${c.item} ${op} ${c.values?.[0] ?? ''}〜${c.values?.[1] ?? ''}`;
  if (c.op === 'in') return `${c.item} ${op} ${(c.values ?? []).join('、')}`;
  if (c.op === 'empty' || c.op === 'not_empty') return `${c.item} ${op}`;
  return `${c.item} ${op} ${c.value ?? ''}`;
}

/**
 * What a definition covers, as short texts for lists: 対象, 条件, 出力.
 * @example specSummary(spec).output // '集計: 地区 × 性別'
 */
export function specSummary(spec, opLabels) {
  const base = spec?.base ?? {};
  const baseText = base.kind === 'changes'
    ? `${BASE_SHORT.changes} ${dateRefText(base.from)} 〜 ${dateRefText(base.to)}`
    : `${BASE_SHORT.residents} 基準日 ${dateRefText(base.asOf)}`;
  const conditions = Array.isArray(spec?.conditions) ? spec.conditions : [];
  const output = spec?.output?.kind === 'persons'
    ? '個人一覧'
    : `集計: ${(spec?.output?.groupBy ?? []).length ? spec.output.groupBy.join(' × ') : '合計のみ'}`;
  return {
    base: baseText,
    conditions: conditions.length ? conditions.map((c) => conditionText(c, opLabels)).join(' ／ ') : '（条件なし: 全員）',
    output,
  };
}

/** 'YYYY-MM-DD' input, or a number input for integers, or text. */
function scalarInput(item, attrs) {
  if (item.type === 'int') {
    return h('input', { ...attrs, type: 'number', step: '1', inputmode: 'numeric', min: item.min !== undefined ? String(item.min) : null, max: item.max !== undefined ? String(item.max) : null });
  }
  if (item.type === 'date') return h('input', { ...attrs, type: 'date' });
  if (item.type === 'choice') {
    return h('select', attrs, (item.choices ?? []).map((c) => h('option', { value: c }, c)));
  }
  const code = item.type === 'code';
  return h('input', {
    ...attrs, type: 'text', spellcheck: 'false',
    inputmode: code ? 'numeric' : null,
    maxlength: code ? String(item.codeLength ?? 11) : item.maxLength ? String(item.maxLength) : null,
  });
}

/** A value typed into a form: integers of an int item as numbers, everything else trimmed text. */
function typed(item, raw) {
  const text = String(raw).trim();
  return item.type === 'int' && /^\d+$/.test(text) ? Number(text) : text;
}

let rowSeq = 0;

/**
 * One 条件 row: 項目, 演算 and the value control(s) for the item's type and the operator.
 * `read(n)` gives `{ condition }` or `{ problem }`.
 */
function conditionRow(items, ops, baseKind, initial, onRemove) {
  const n = ++rowSeq;
  const id = `cond${n}`;
  const itemSel = h('select', { id: `${id}-item`, testid: 'condition-item' });
  const opSel = h('select', { id: `${id}-op`, testid: 'condition-op' });
  const valueBox = h('div', { class: 'condition-value', testid: 'condition-value-box' });
  const remove = h('button', { type: 'button', class: 'small secondary', testid: 'condition-remove', 'aria-label': 'この条件を削除' }, '削除');
  const el = h('div', { class: 'condition-row', testid: 'condition-row' },
    h('div', { class: 'field' }, h('label', { for: itemSel.id }, '項目'), itemSel),
    h('div', { class: 'field' }, h('label', { for: opSel.id }, '演算'), opSel),
    valueBox,
    h('div', { class: 'condition-ops' }, remove));
  const hint = h('p', { class: 'hint condition-hint', testid: 'condition-hint' });
  el.append(hint);
  remove.addEventListener('click', () => onRemove(row));

  let controls = {};
  const current = () => items.find((i) => i.name === itemSel.value);

  function fillItems(kind) {
    const keep = itemSel.value;
    const usable = items.filter((i) => i.ops.length > 0 && i.bases.includes(kind));
    replace(itemSel, usable.map((i) => h('option', { value: i.name }, i.name)));
    if (usable.some((i) => i.name === keep)) itemSel.value = keep;
  }

  function fillOps(preferred) {
    const item = current();
    const keep = preferred ?? opSel.value;
    replace(opSel, (item?.ops ?? []).map((o) => h('option', { value: o }, ops[o] ?? o)));
    if (item?.ops.includes(keep)) opSel.value = keep;
    replace(hint, item?.description ?? '');
  }

  function fillValue(initialValue) {
    const item = current();
    const op = opSel.value;
    controls = {};
    if (!item) { replace(valueBox); return; }
    const vid = `${id}-value`;
    if (op === 'empty' || op === 'not_empty') {
      replace(valueBox, h('div', { class: 'field' }, h('span', { class: 'field-label' }, '値'), h('span', { class: 'muted no-value' }, '（値は不要）')));
      return;
    }
    if (op === 'between') {
      controls.from = scalarInput(item, { id: `${vid}-from`, testid: 'condition-from', 'aria-label': `${item.name}（から）` });
      controls.to = scalarInput(item, { id: `${vid}-to`, testid: 'condition-to', 'aria-label': `${item.name}（まで）` });
      const [a, b] = Array.isArray(initialValue) ? initialValue : [];
      if (a !== undefined) controls.from.value = String(a);
      if (b !== undefined) controls.to.value = String(b);
      replace(valueBox, h('div', { class: 'field' },
        h('label', { for: controls.from.id }, '値（から〜まで、両端を含む）'),
        h('div', { class: 'range' }, controls.from, h('span', { 'aria-hidden': 'true' }, '〜'), controls.to)));
      return;
    }
    if (op === 'in' && item.type === 'choice') {
      const chosen = new Set((Array.isArray(initialValue) ? initialValue : []).map(String));
      controls.checks = (item.choices ?? []).map((c, i) => h('input', { type: 'checkbox', id: `${vid}-${i}`, value: c, testid: `condition-choice-${c}`, checked: chosen.has(c) }));
      replace(valueBox, h('fieldset', { class: 'choice-group' },
        h('legend', { class: 'field-label' }, '値（いずれか。複数選べます）'),
        h('div', { class: 'choices' }, controls.checks.map((cb) => h('span', { class: 'choice' }, cb, h('label', { for: cb.id }, cb.value))))));
      return;
    }
    if (op === 'in') {
      controls.list = h('input', { id: vid, testid: 'condition-value', type: 'text', spellcheck: 'false', 'aria-describedby': `${vid}-hint` });
      if (Array.isArray(initialValue)) controls.list.value = initialValue.join(', ');
      replace(valueBox, h('div', { class: 'field' },
        h('label', { for: vid }, '値（いずれか）'), controls.list,
        h('span', { class: 'hint', id: `${vid}-hint` }, 'カンマ（, または 、）で区切って複数')));
      return;
    }
    controls.value = scalarInput(item, { id: vid, testid: 'condition-value' });
    if (initialValue !== undefined && initialValue !== null && !Array.isArray(initialValue)) controls.value.value = String(initialValue);
    const label = op === 'prefix' ? `値（先頭の数字、${item.codeLength ?? 11} 桁まで）` : '値';
    replace(valueBox, h('div', { class: 'field' }, h('label', { for: vid }, label), controls.value));
  }

  itemSel.addEventListener('change', () => { fillOps(); fillValue(); });
  opSel.addEventListener('change', () => fillValue());

  const row = {
    el,
    setBase(kind) {
      const before = itemSel.value;
      fillItems(kind);
      if (itemSel.value !== before) { fillOps(); fillValue(); }
    },
    read(index) {
      const item = current();
      const where = `条件${index + 1}${item ? `（${item.name}）` : ''}`;
      if (!item) return { problem: `${where}の項目を選んでください。` };
      const op = opSel.value;
      const missing = { problem: `${where}の値を入力してください。` };
      if (op === 'empty' || op === 'not_empty') return { condition: { item: item.name, op } };
      if (op === 'between') {
        if (!controls.from.value.trim() || !controls.to.value.trim()) return { problem: `${where}の範囲（から・まで）を両方入力してください。` };
        return { condition: { item: item.name, op, values: [typed(item, controls.from.value), typed(item, controls.to.value)] } };
      }
      if (op === 'in') {
        const values = controls.checks
          ? controls.checks.filter((cb) => cb.checked).map((cb) => cb.value)
          : controls.list.value.split(/[,、，]/).map((s) => s.trim()).filter(Boolean).map((s) => typed(item, s));
        if (!values.length) return controls.checks ? { problem: `${where}の値を 1 つ以上選んでください。` } : missing;
        return { condition: { item: item.name, op, values } };
      }
      if (!controls.value.value.trim()) return missing;
      return { condition: { item: item.name, op, value: typed(item, controls.value.value) } };
    },
  };

  fillItems(baseKind);
  if (initial?.item && items.some((i) => i.name === initial.item && i.bases.includes(baseKind))) itemSel.value = initial.item;
  fillOps(initial?.op);
  fillValue(initial ? (initial.values ?? initial.value) : undefined);
  return row;
}

/** A radio with its label. */
function radio(name, value, id, label, checked, testid) {
  const input = h('input', { type: 'radio', name, value, id, checked, testid });
  return { input, el: h('span', { class: 'radio' }, input, h('label', { for: id }, label)) };
}

/**
 * Renders the wizard; with `ctx.params[0]` the saved extract of that id is loaded into it.
 * @example await render(container, ctx)
 */
export async function render(container, ctx) {
  const editId = ctx.params[0];
  container.append(h('h1', {}, editId ? 'ウィザード — 保存した抽出の編集' : 'ウィザード'));
  const loadError = errorBox('wizard-load-error');
  const [catalogue, home, editing] = await Promise.all([
    ctx.cached(PATHS.wizardItems),
    ctx.cached('/api/home').catch(() => null),
    editId ? api(extractPath(editId)).then((r) => r?.extract ?? null).catch((err) => { showError(loadError, err); return null; }) : null,
  ]);
  if (!ctx.isCurrent()) return;
  if (editId && !editing) {
    container.append(loadError, h('p', {}, h('a', { href: '#/saved', testid: 'back-to-saved' }, '← 保存した抽出へ')));
    return;
  }

  const items = Array.isArray(catalogue?.items) ? catalogue.items : [];
  const ops = catalogue?.ops ?? OP_FALLBACK;
  const bases = catalogue?.bases ?? {};
  const processedThrough = home?.snapshot?.processedThrough;
  const snapshotDay = nextDay(processedThrough);
  const lastYear = snapshotDay ? Number(snapshotDay.slice(0, 4)) - 1 : null;
  const spec = editing?.spec;
  const mayEdit = Boolean(editing && (editing.owner === ctx.me.id || ctx.can.admin));

  if (editing) {
    container.append(h('p', { class: 'back' }, h('a', { href: '#/saved', testid: 'back-to-saved' }, '← 保存した抽出へ')),
      h('p', { class: 'alert info', testid: 'editing-note' },
        `「${editing.name}」（作成者 ${editing.owner}）を読み込みました。`,
        mayEdit ? '「上書き保存」で定義を更新します。' : '作成者ではないため、変更は「新しい抽出として保存」で保存してください。'));
  } else {
    container.append(h('p', { class: 'muted' }, '対象・条件・出力を選んで「プレビュー」を押してください。SQL は要りません。よく使う抽出は保存しておくと、日付を変えて実行し直せます。'));
  }

  // 1. 対象
  const baseKind0 = spec?.base?.kind === 'changes' ? 'changes' : 'residents';
  const rRes = radio('wizard-base', 'residents', 'wizard-base-residents', bases.residents ?? '住民（基準日現在）', baseKind0 === 'residents', 'base-residents');
  const rChg = radio('wizard-base', 'changes', 'wizard-base-changes', bases.changes ?? '異動（期間内）', baseKind0 === 'changes', 'base-changes');
  /** A date input; a keyword of the loaded definition is kept while the input stays empty. */
  const dateInput = (id, testid, ref, fallback) => {
    const keyword = ref !== undefined && !isDate(ref) ? ref : null;
    const input = h('input', { type: 'date', id, testid, value: isDate(ref) ? ref : keyword ? '' : fallback, 'aria-describedby': `${id}-hint` });
    if (keyword) input.dataset.keyword = keyword;
    return input;
  };
  const asOf = dateInput('wizard-asof', 'wizard-asof', spec?.base?.kind === 'residents' ? spec.base.asOf : undefined, snapshotDay);
  const from = dateInput('wizard-from', 'wizard-from', spec?.base?.kind === 'changes' ? spec.base.from : undefined, lastYear ? `${lastYear}-01-01` : '');
  const to = dateInput('wizard-to', 'wizard-to', spec?.base?.kind === 'changes' ? spec.base.to : undefined, lastYear ? `${lastYear}-12-31` : '');
  const keywordHint = (input, fallback) => (input.dataset.keyword
    ? `定義の値: ${dateRefText(input.dataset.keyword)}。空欄のままならこのキーワードのまま（実行のたびに日付が決まります）。`
    : `空欄なら ${dateRefText(fallback)}。`);
  /** A labelled date field whose hint is tied to the input (aria-describedby). */
  const dateField = (label, input, fallback) => h('div', { class: 'field' },
    h('label', { for: input.id }, label), input, h('span', { class: 'hint', id: `${input.id}-hint` }, keywordHint(input, fallback)));
  const residentsBox = h('div', { class: 'form-row base-dates', testid: 'base-residents-dates' }, dateField('基準日', asOf, 'snapshot'));
  const changesBox = h('div', { class: 'form-row base-dates', testid: 'base-changes-dates' },
    dateField('期間（から）', from, 'lastYearStart'), dateField('期間（まで）', to, 'lastYearEnd'));
  const baseStep = h('fieldset', { class: 'card wizard-step', testid: 'step-base' },
    h('legend', {}, h('span', { class: 'step-no' }, '1'), '対象'),
    h('div', { class: 'radios' }, rRes.el, rChg.el),
    residentsBox, changesBox,
    snapshotDay ? h('p', { class: 'muted' }, `データはスナップショット（${processedThrough} 処理分まで）のものです。`) : null);

  // 2. 条件
  const rows = [];
  const condList = h('div', { class: 'condition-list', testid: 'condition-list' });
  const noConditions = h('p', { class: 'muted', testid: 'no-conditions' }, '条件がありません（対象の全員・全件を数えます）。');
  const addCondition = h('button', { type: 'button', class: 'secondary', testid: 'add-condition', id: 'add-condition' }, '＋ 条件を追加');
  const baseKind = () => (rChg.input.checked ? 'changes' : 'residents');
  const removeRow = (row) => {
    rows.splice(rows.indexOf(row), 1);
    row.el.remove();
    noConditions.hidden = rows.length > 0;
    addCondition.focus();
  };
  const addRow = (initial) => {
    const row = conditionRow(items, ops, baseKind(), initial, removeRow);
    rows.push(row);
    condList.append(row.el);
    noConditions.hidden = true;
    return row;
  };
  addCondition.addEventListener('click', () => {
    const row = addRow();
    row.el.querySelector('select')?.focus();
  });
  const condStep = h('fieldset', { class: 'card wizard-step', testid: 'step-conditions' },
    h('legend', {}, h('span', { class: 'step-no' }, '2'), '条件'),
    h('p', { class: 'muted' }, 'すべての条件に当てはまるものを数えます（かつ）。'),
    noConditions, condList, h('div', { class: 'actions' }, addCondition));

  // 3. 出力
  const outKind0 = spec?.output?.kind === 'persons' && ctx.can.persons ? 'persons' : 'count';
  const rCount = radio('wizard-output', 'count', 'wizard-output-count', '集計（人数・件数の表、合計つき）', outKind0 === 'count', 'output-count');
  const rPersons = ctx.can.persons ? radio('wizard-output', 'persons', 'wizard-output-persons', '個人一覧', outKind0 === 'persons', 'output-persons') : null;
  const groupSelects = [1, 2, 3].map((i) => h('select', { id: `wizard-group-${i}`, testid: `group-${i}` }));
  const initialGroups = spec?.output?.kind === 'count' ? spec.output.groupBy ?? [] : [];
  const fillGroups = (kind, initial) => {
    const usable = items.filter((i) => i.groupable && i.bases.includes(kind));
    groupSelects.forEach((sel, i) => {
      const keep = initial ? (initial[i] ?? '') : sel.value;
      replace(sel, h('option', { value: '' }, '（なし）'), usable.map((it) => h('option', { value: it.name }, it.name)));
      sel.value = usable.some((it) => it.name === keep) ? keep : '';
    });
  };
  const countBox = h('div', { class: 'form-row', testid: 'output-count-box' },
    groupSelects.map((sel, i) => field(`分類${i + 1}`, sel, i === 0 ? '行の分類（なしなら合計だけ）' : i === groupSelects.length - 1 ? '最後の分類が公表用の表の列になります' : null)));
  const purpose = h('textarea', { id: 'wizard-purpose', name: 'purpose', testid: 'purpose', rows: '3', maxlength: '500', placeholder: '例: 敬老祝い金の案内送付のため' });
  const personsBox = h('div', { class: 'purpose', testid: 'output-persons-box' },
    h('p', { class: 'muted' }, '列は 宛名番号・氏名・氏名カナ・生年月日・性別・住所・方書・世帯番号・続柄 です（異動では異動事由・異動日つき）。'),
    field('利用目的（必須）', purpose, '個人情報を含む一覧です。利用目的は監査ログに記録されます。'),
    ctx.me.shien ? null : h('p', { class: 'muted', testid: 'shien-note' }, '支援措置の対象者は結果に含まれません（支援措置閲覧の権限がないため）。'));
  const pub = publicOption('wizard', { cross: true });
  const outStep = h('fieldset', { class: 'card wizard-step', testid: 'step-output' },
    h('legend', {}, h('span', { class: 'step-no' }, '3'), '出力'),
    h('div', { class: 'radios' }, rCount.el, rPersons?.el ?? h('span', { class: 'muted', testid: 'persons-unavailable' }, '個人一覧には「個人一覧」の役割が必要です。')),
    countBox, personsBox);

  // 4. 題名と実行
  const title = h('input', { type: 'text', id: 'wizard-title', testid: 'wizard-title', maxlength: '100', value: spec?.title ?? '', placeholder: '空欄なら条件から自動で付けます' });
  const previewButton = h('button', { type: 'submit', id: 'preview-button', testid: 'preview-button' }, 'プレビュー');
  const downloadButtons = FORMATS.map((f) => h('button', { type: 'button', class: 'secondary', id: f.testid, testid: f.testid, 'data-format': f.format }, f.label));
  const runStep = h('fieldset', { class: 'card wizard-step', testid: 'step-run' },
    h('legend', {}, h('span', { class: 'step-no' }, '4'), '題名と実行'),
    h('div', { class: 'form-row' }, h('div', { class: 'field wide' }, h('label', { for: title.id }, '題名'), title,
      h('span', { class: 'hint' }, 'ファイル名と Excel の表題になります（100 文字まで）。'))),
    pub.element,
    h('div', { class: 'actions' }, previewButton, h('span', { class: 'sep', 'aria-hidden': 'true' }), downloadButtons));

  const form = h('form', { class: 'wizard-form', id: 'wizard-form', testid: 'wizard-form', novalidate: true }, baseStep, condStep, outStep, runStep);
  const error = errorBox('wizard-error');

  // 保存
  const saveName = h('input', { type: 'text', id: 'save-name', testid: 'save-name', maxlength: '100', value: editing?.name ?? '', placeholder: '空欄なら題名' });
  const saveRole = h('select', { id: 'save-role', testid: 'save-role' },
    h('option', { value: '' }, '共有しない（自分だけ）'),
    ROLES.map((r) => h('option', { value: r }, `${r} 以上の役割と共有`)));
  saveRole.value = editing?.sharedWithRole ?? '';
  const updateButton = mayEdit ? h('button', { type: 'button', testid: 'save-update', id: 'save-update' }, '上書き保存') : null;
  const saveButton = h('button', { type: 'button', class: editing ? 'secondary' : null, testid: 'save-button', id: 'save-button' }, editing ? '新しい抽出として保存' : '保存');
  const saveResult = h('div', { class: 'alert success', role: 'status', testid: 'save-result', id: 'save-result', hidden: true });
  const saveCard = h('section', { class: 'card wizard-save', testid: 'save-card' },
    h('h2', {}, '保存'),
    h('p', { class: 'muted' }, '保存した抽出は「保存した抽出」から日付を変えて実行し直せます。共有すると、その役割以上の利用者の一覧にも出ます（変更・削除は作成者と管理者だけ）。'),
    h('div', { class: 'form-row' }, field('名前', saveName), field('共有する役割', saveRole), h('div', { class: 'actions' }, updateButton, saveButton)),
    saveResult);

  const exportBox = h('div', { class: 'export-result', testid: 'export-result', id: 'export-result', hidden: true });
  const previewBox = h('section', { class: 'preview', testid: 'preview', id: 'preview', hidden: true });
  container.append(form, saveCard, error, exportBox, previewBox);
  const allButtons = [previewButton, ...downloadButtons, saveButton, ...(updateButton ? [updateButton] : [])];

  function syncBase() {
    const kind = baseKind();
    residentsBox.hidden = kind !== 'residents';
    changesBox.hidden = kind !== 'changes';
    for (const row of rows) row.setBase(kind);
    fillGroups(kind);
  }
  function syncOutput() {
    const persons = Boolean(rPersons?.input.checked);
    countBox.hidden = persons;
    personsBox.hidden = !persons;
    pub.element.hidden = persons;
  }
  for (const r of [rRes, rChg]) r.input.addEventListener('change', syncBase);
  for (const r of [rCount, rPersons].filter(Boolean)) r.input.addEventListener('change', syncOutput);

  fillGroups(baseKind0, initialGroups);
  for (const c of Array.isArray(spec?.conditions) ? spec.conditions : []) addRow(c);
  syncBase();
  syncOutput();
  if (spec?.output?.kind === 'persons' && !ctx.can.persons) showError(error, 'この定義は個人一覧ですが、「個人一覧」の役割がないため集計として開きました。');

  /** A title from the definition when the field is empty: 「住民 年齢65〜130 性別別」. */
  function autoTitle(s) {
    const short = (c) => {
      if (c.op === 'between') return `${c.item}${c.values[0]}〜${c.values[1]}`;
      if (c.op === 'in') return `${c.item}=${c.values.join('・')}`;
      if (c.op === 'prefix') return `${c.item}${c.value}…`;
      if (c.op === 'empty') return `${c.item}なし`;
      if (c.op === 'not_empty') return `${c.item}あり`;
      return `${c.item}=${c.value}`;
    };
    const parts = [BASE_SHORT[s.base.kind], ...s.conditions.slice(0, 3).map(short)];
    if (s.output.kind === 'persons') parts.push('個人一覧');
    else parts.push(s.output.groupBy.length ? `${s.output.groupBy.join('・')}別` : '人数');
    return [...parts.join(' ')].slice(0, 100).join('');
  }

  /** The definition from the form, or null after showing what is missing. */
  function buildSpec() {
    const problems = [];
    const kind = baseKind();
    const dateOf = (input, fallback) => input.value || input.dataset.keyword || fallback;
    const base = kind === 'residents'
      ? { kind, asOf: dateOf(asOf, 'snapshot') }
      : { kind, from: dateOf(from, 'lastYearStart'), to: dateOf(to, 'lastYearEnd') };
    const conditions = [];
    rows.forEach((row, i) => {
      const r = row.read(i);
      if (r.problem) problems.push(r.problem);
      else conditions.push(r.condition);
    });
    const persons = Boolean(rPersons?.input.checked);
    const output = persons ? { kind: 'persons' } : { kind: 'count', groupBy: groupSelects.map((s) => s.value).filter(Boolean) };
    if (problems.length) {
      showError(error, problems.join(' '));
      return null;
    }
    const s = { format: 'juki-extract/1', title: title.value.trim(), base, conditions, output };
    if (!s.title) {
      s.title = autoTitle(s);
      title.value = s.title;
    }
    return s;
  }

  /** The body of a preview or export: the definition, the purpose and 公表用. */
  function runBody() {
    const s = buildSpec();
    if (!s) return null;
    const problems = [];
    const body = { spec: s };
    if (s.output.kind === 'persons') {
      const text = purpose.value.trim();
      if (!text) problems.push('利用目的を入力してください。');
      body.purpose = text;
    } else {
      const p = pub.read();
      if (p.problem) problems.push(p.problem);
      if (p.public) body.public = p.public;
      if (p.layout) body.layout = p.layout;
    }
    if (problems.length) {
      showError(error, problems.join(' '));
      return null;
    }
    return body;
  }

  wirePreview({ ctx, form, busyButtons: allButtons, error, exportBox, previewBox, body: runBody, path: PATHS.wizardPreview, onDone: () => previewBox.scrollIntoView({ block: 'nearest' }) });

  wireDownloads({ ctx, buttons: downloadButtons, busyButtons: allButtons, form, error, exportBox, body: runBody, path: PATHS.wizardExport });

  async function save(update) {
    clearBox(error);
    saveResult.hidden = true;
    const s = buildSpec();
    if (!s) return;
    const name = saveName.value.trim() || s.title;
    saveName.value = name;
    const body = { name, spec: s, sharedWithRole: saveRole.value || null };
    try {
      const r = await busy(allButtons, saveCard, () => api(update ? extractPath(editing.id) : PATHS.extracts, { body }));
      if (!ctx.isCurrent()) return;
      const saved = r?.extract ?? {};
      const shared = saved.sharedWithRole ? `${saved.sharedWithRole} 以上と共有` : '共有なし';
      replace(saveResult,
        `「${saved.name ?? name}」を${update ? '上書き保存' : '保存'}しました（${shared}）。 `,
        h('a', { href: '#/saved', testid: 'save-link' }, '保存した抽出を開く'));
      saveResult.dataset.id = saved.id ?? '';
      saveResult.hidden = false;
    } catch (err) {
      if (!ctx.isCurrent()) return;
      showError(error, err);
      error.scrollIntoView({ block: 'nearest' });
    }
  }
  saveButton.addEventListener('click', () => save(false));
  updateButton?.addEventListener('click', () => save(true));
}
