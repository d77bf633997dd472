// 利用者管理 (管理者): the list of users, adding one (its generated first password is shown once),
// disabling / enabling and issuing a new password.

import { api, PATHS } from '../api.js';
import { h, replace, field, errorBox, showError, clearBox, busy } from '../dom.js';

/** The roles, lowest first (euc.md §4). */
const ROLES = ['閲覧者', 'EUC担当', '個人一覧', '管理者'];

/** Shows a password that will never be shown again. */
function showPassword(box, userId, password, what) {
  const code = h('code', { class: 'password', testid: 'generated-password', id: 'generated-password' }, password);
  const copy = h('button', { type: 'button', class: 'small secondary', testid: 'copy-password' }, 'コピー');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(password);
      replace(copy, 'コピーしました');
    } catch {
      replace(copy, 'コピーできません。選択してコピーしてください');
    }
  });
  replace(box,
    h('p', {}, h('strong', {}, `利用者 ${userId} の${what}: `), code, ' ', copy),
    h('p', {}, 'このパスワードはこの一度だけ表示されます。本人に安全な方法で伝えてください。'));
  box.hidden = false;
}

/**
 * Renders the users page.
 * @example await render(container, ctx)
 */
export async function render(container, ctx) {
  container.append(h('h1', {}, '利用者管理'));
  const error = errorBox();
  const passwordBox = h('div', { class: 'alert success', role: 'status', testid: 'password-box', id: 'password-box', hidden: true });
  const listBox = h('section', { class: 'card', testid: 'users-list' });

  // Add form
  const newId = h('input', { id: 'user-add-id', testid: 'user-add-id', type: 'text', required: true, autocomplete: 'off', pattern: '[A-Za-z0-9._\\-]{1,64}', maxlength: '64', spellcheck: 'false' });
  const newRole = h('select', { id: 'user-add-role', testid: 'user-add-role' }, ROLES.map((r) => h('option', { value: r }, r)));
  const newShien = h('input', { id: 'user-add-shien', testid: 'user-add-shien', type: 'checkbox' });
  const addButton = h('button', { type: 'submit', id: 'user-add-submit', testid: 'user-add-submit' }, '追加');
  const addForm = h('form', { class: 'card', id: 'user-add-form', testid: 'user-add-form', novalidate: true },
    h('h2', {}, '利用者の追加'),
    h('div', { class: 'form-row' },
      field('利用者ID', newId, '英数字と . _ - （64 文字まで）'),
      field('役割', newRole),
      h('div', { class: 'field checkbox' }, newShien, h('label', { for: 'user-add-shien' }, '支援措置閲覧')),
      h('div', { class: 'actions' }, addButton)),
    h('p', { class: 'muted' }, '初期パスワードは自動で作成され、追加の直後に一度だけ表示されます。'));

  container.append(error, passwordBox, addForm, listBox);

  async function load() {
    const r = await api(PATHS.users);
    if (!ctx.isCurrent()) return;
    const users = Array.isArray(r) ? r : Array.isArray(r?.users) ? r.users : [];
    const tbody = h('tbody');
    for (const u of users) {
      const self = u.id === ctx.me.id;
      const toggle = self ? null : h('button', { type: 'button', class: 'small secondary', testid: `user-toggle-${u.id}` }, u.disabled ? '有効にする' : '無効にする');
      const reset = h('button', { type: 'button', class: 'small secondary', testid: `user-reset-${u.id}` }, 'パスワード再発行');
      toggle?.addEventListener('click', () => change(u, { disabled: !u.disabled }, [toggle, reset],
        u.disabled ? `利用者 ${u.id} を有効にしますか？` : `利用者 ${u.id} を無効にしますか？（ログイン中なら直ちにログアウトされます）`));
      reset.addEventListener('click', () => change(u, { resetPassword: true }, [toggle, reset].filter(Boolean),
        `利用者 ${u.id} のパスワードを再発行しますか？（今のパスワードは使えなくなります）`));
      tbody.append(h('tr', { testid: `user-row-${u.id}`, class: u.disabled ? 'disabled' : null },
        h('td', {}, u.id, self ? h('span', { class: 'muted' }, '（自分）') : null),
        h('td', {}, u.role ?? ''),
        h('td', {}, u.shien ? 'あり' : '—'),
        h('td', {}, u.disabled ? h('span', { class: 'badge ng' }, '無効') : h('span', { class: 'badge ok' }, '有効')),
        h('td', {}, u.createdAt ?? ''),
        h('td', { class: 'ops' }, toggle, ' ', reset)));
    }
    replace(listBox,
      h('h2', {}, '利用者一覧 ', h('span', { class: 'muted' }, `${users.length} 人`)),
      h('div', { class: 'table-wrap', tabindex: '0' }, h('table', { class: 'data', testid: 'users-table', id: 'users-table' },
        h('thead', {}, h('tr', {}, ['利用者ID', '役割', '支援措置閲覧', '状態', '作成日時', '操作'].map((t) => h('th', { scope: 'col' }, t)))),
        tbody)));
  }

  async function change(u, body, buttons, question) {
    if (!window.confirm(question)) return;
    clearBox(error);
    try {
      const r = await busy(buttons, listBox, () => api(`${PATHS.users}/${encodeURIComponent(u.id)}`, { body }));
      if (!ctx.isCurrent()) return;
      if (r?.password) showPassword(passwordBox, u.id, r.password, '新しいパスワード');
      else passwordBox.hidden = true;
      await load();
    } catch (err) {
      if (ctx.isCurrent()) showError(error, err);
    }
  }

  addForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearBox(error);
    passwordBox.hidden = true;
    const id = newId.value.trim();
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) {
      showError(error, '利用者IDは英数字と . _ - で 64 文字までにしてください。');
      newId.focus();
      return;
    }
    try {
      const r = await busy([addButton], addForm, () => api(PATHS.users, { body: { id, role: newRole.value, shien: newShien.checked } }));
      if (!ctx.isCurrent()) return;
      const password = r?.password ?? r?.generatedPassword;
      if (password) showPassword(passwordBox, id, password, '初期パスワード');
      addForm.reset();
      await load();
      passwordBox.scrollIntoView({ block: 'nearest' });
    } catch (err) {
      if (ctx.isCurrent()) showError(error, err);
    }
  });

  await load();
}
