// Sign-in with the gateway's password grant (POST /api/v1/auth/token).

import { explain, signIn } from '../api.js';
import { h } from '../dom.js';
import * as session from '../session.js';

export function render(main, { navigate, next }) {
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, '登录');
  const form = h('form', { class: 'login panel', 'aria-labelledby': 'login-title' },
    h('div', { class: 'login-brand' }, h('img', { src: 'favicon.svg', alt: '', width: 48, height: 48 }),
      h('div', {}, h('h1', { id: 'login-title' }, '萧山民生 · 一屏统览'), h('p', {}, '旧改 · 就业 · 一老一小 · 小病慢病不出村'))),
    h('label', { for: 'username' }, '用户名'), username,
    h('label', { for: 'password' }, '密码'), password,
    error, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    submit.disabled = true;
    submit.textContent = '登录中…';
    try {
      const s = await signIn(username.value.trim(), password.value);
      session.save(s);
      navigate(next || '#/');
    } catch (err) {
      if (err.status === 401 || err.status === 400 || err.status === 422) error.textContent = '用户名或密码不正确';
      else if (err.status === 404) error.textContent = '本环境未开放账号密码登录，请使用统一身份认证';
      else error.textContent = explain(err);
      error.hidden = false;
      password.select();
    } finally {
      submit.disabled = false;
      submit.textContent = '登录';
    }
  });
  main.append(form);
  return null;
}
