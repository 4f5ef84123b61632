// The console's shell: sign-in, the navigation the user's roles allow, and a hash router (#/page/...), so
// the gateway serves one static page and every view is a module.

import { canSee, homeFor, NAV, PAGES } from './access.js';
import { h, replace } from './dom.js';
import { clock } from './format.js';
import * as session from './session.js';
import * as login from './views/login.js';
import * as overview from './views/overview.js';
import * as board from './views/board.js';
import * as worklists from './views/worklists.js';
import * as record from './views/record.js';
import * as mine from './views/mine.js';

const VIEWS = { overview, board, worklists, record, mine };
const ROLE_NAMES = {
  admin: '系统管理员', auditor: '审计', renovation: '住建', jobs: '就业服务', 'jobs-approver': '就业审批',
  community: '社区', doctor: '医生', resident: '居民', integration: '接口',
};

const root = document.getElementById('app');
let cleanup = null;

function route() {
  const [page = '', ...params] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  return { page, params };
}

export function navigate(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

export function toast(message, tone = 'info') {
  const box = document.getElementById('toast');
  const item = h('div', { class: `toast ${tone}`, role: tone === 'bad' ? 'alert' : 'status' }, message);
  box.append(item);
  setTimeout(() => item.remove(), 6000);
}

function header(s, active) {
  const links = NAV.filter((page) => canSee(s.roles, page)).map((page) => h('a', {
    href: `#/${page}`, class: page === active ? 'active' : '', 'aria-current': page === active ? 'page' : false,
    dataset: { page },
  }, PAGES[page].title));
  const roles = s.roles.map((r) => ROLE_NAMES[r] || r).join('、');
  const now = h('time', { class: 'clock', 'aria-label': '当前时间' }, clock());
  const tick = setInterval(() => { if (now.isConnected) now.textContent = clock(); else clearInterval(tick); }, 1000);
  return h('header', { class: 'topbar' },
    h('div', { class: 'brand' }, h('img', { src: 'favicon.svg', alt: '', width: 28, height: 28 }),
      h('span', { class: 'brand-title' }, '萧山民生'), h('span', { class: 'brand-sub' }, '民生保障')),
    h('nav', { class: 'nav', 'aria-label': '主导航' }, links),
    h('div', { class: 'user' }, now,
      h('span', { class: 'who', title: roles }, h('b', { 'data-testid': 'username' }, s.username), h('small', {}, roles)),
      h('button', { type: 'button', class: 'ghost', onclick: () => { session.signOut(); navigate('#/login'); } }, '退出')));
}

function render() {
  if (cleanup) { try { cleanup(); } catch { /* a view's cleanup must not block navigation */ } }
  cleanup = null;
  const s = session.current();
  const { page, params } = route();
  if (!s) {
    replace(root, h('main', { id: 'view', class: 'view login-view' }));
    cleanup = login.render(root.querySelector('#view'), { navigate, next: page && page !== 'login' ? location.hash : '' });
    document.title = '登录 · 萧山民生一屏统览';
    return;
  }
  let target = page;
  if (page === '' || page === 'login') {
    target = homeFor(s.roles);
    if (target === 'denied') return renderDenied(s, '您的账号没有可用的页面');
    history.replaceState(null, '', `#/${target}`);
  }
  if (!VIEWS[target]) return renderDenied(s, '页面不存在', 'not-found');
  if (!canSee(s.roles, target)) return renderDenied(s, '您的账号无权查看此页面');
  const main = h('main', { id: 'view', class: `view ${target}-view` });
  replace(root, header(s, target === 'record' ? 'worklists' : target), main);
  document.title = `${PAGES[target].title} · 萧山民生一屏统览`;
  cleanup = VIEWS[target].render(main, { session: s, roles: s.roles, params, navigate, toast }) || null;
}

function renderDenied(s, message, kind = 'denied') {
  const main = h('main', { id: 'view', class: 'view denied-view' },
    h('section', { class: 'panel denied', 'data-testid': kind },
      h('h2', {}, kind === 'not-found' ? '找不到页面' : '无权访问'),
      h('p', {}, message),
      h('p', {}, h('a', { href: `#/${homeFor(s.roles)}` }, '返回首页'))));
  replace(root, header(s, ''), main);
  document.title = '无权访问 · 萧山民生一屏统览';
}

window.addEventListener('hashchange', render);
session.onChange((s) => { if (!s) navigate('#/login'); });
render();
