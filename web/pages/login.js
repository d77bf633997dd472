// The login view: 利用者ID and パスワード, POST /api/login, the server's message on failure
// (wrong password, locked account …).

import { api } from '../api.js';
import { h, field, errorBox, showError, busy } from '../dom.js';

/**
 * Renders the login form into `container`; calls `onLogin()` after a successful login.
 * `message` (an error) and `info` (a notice such as ログアウトしました) are shown above the form.
 * @example render(div, { onLogin: () => loadMe() })
 */
export function render(container, { message, info, onLogin }) {
  const idInput = h('input', { id: 'login-id', name: 'id', type: 'text', autocomplete: 'username', required: true, testid: 'login-id', autocapitalize: 'off', spellcheck: 'false' });
  const pwInput = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, testid: 'login-password' });
  const submit = h('button', { type: 'submit', id: 'login-submit', testid: 'login-submit' }, 'ログイン');
  const error = errorBox('login-error');
  const notice = h('div', { class: 'alert info', role: 'status', testid: 'login-info', hidden: !info }, info ?? '');

  const form = h('form', { id: 'login-form', testid: 'login-form', class: 'login-form', novalidate: true },
    h('h1', {}, '住基統計 ログイン'),
    notice,
    error,
    field('利用者ID', idInput),
    field('パスワード', pwInput),
    h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    notice.hidden = true;
    error.hidden = true;
    const id = idInput.value.trim();
    if (!id || !pwInput.value) {
      showError(error, '利用者IDとパスワードを入力してください。');
      (id ? pwInput : idInput).focus();
      return;
    }
    try {
      await busy([submit], form, () => api('/api/login', { body: { id, password: pwInput.value }, noAuthRedirect: true }));
    } catch (err) {
      pwInput.value = '';
      showError(error, err);
      pwInput.focus();
      return;
    }
    await onLogin();
  });

  container.append(h('div', { class: 'login-wrap' }, form));
  if (message) showError(error, message);
  idInput.focus();
}
