// 我的服务: what a resident may see — only their own records, each read from its service, which matches
// them by the person_ref in their token. No staff figure, list or board is reachable from here.

import { ApiError, explain, get } from '../api.js';
import { h, replace } from '../dom.js';
import { day, when } from '../format.js';
import { CONDITION, DEVICE, GRADE, name, SEEKER_STAGE } from '../labels.js';

const PLAN_STATUS = { open: '征求意见中', evaluating: '评估中', accepted: '已采纳', rejected: '未采纳' };

function card(title, load) {
  const body = h('div', {}, h('p', { class: 'muted' }, '加载中…'));
  load().then((content) => replace(body, content)).catch((err) => {
    if (err.name === 'AbortError') return;
    replace(body, h('p', { class: 'empty-note' }, err instanceof ApiError && err.status === 404 ? '暂无记录' : explain(err)));
  });
  return h('section', { class: 'panel' }, h('h3', {}, title), body);
}

export function render(main, ctx) {
  const controller = new AbortController();
  const { signal } = controller;
  main.append(h('div', { class: 'toolbar' }, h('h2', {}, '我的服务')),
    h('div', { class: 'record-grid', 'data-testid': 'mine' },
      card('我的住房与旧改', async () => {
        const [homes, plans] = await Promise.all([get('renovation/me/households', {}, { signal }),
          get('renovation/plans', { limit: 20 }, { signal }).catch(() => ({ items: [] }))]);
        return [
          homes.length ? h('ul', {}, homes.map((x) => h('li', {}, `${x.estate_name} ${x.label}`))) : h('p', { class: 'empty-note' }, '未登记住户信息'),
          plans.items?.length ? [h('h4', {}, '改造方案'), h('ul', {}, plans.items.map((p) => h('li', {}, `${p.title}（${PLAN_STATUS[p.status] || p.status}${p.voting_closes_on ? `，${day(p.voting_closes_on)} 截止` : ''}）`)))] : null,
        ];
      }),
      card('我的慢病管理', async () => {
        const page = await get('chronic-care/patients', { limit: 1 }, { signal });
        const me = page.items?.[0];
        if (!me) return h('p', { class: 'empty-note' }, '未纳入慢病管理');
        return h('dl', { class: 'record' },
          h('dt', {}, '病种'), h('dd', {}, me.conditions.map((c) => name(CONDITION, c.code)).join('、')),
          h('dt', {}, '家庭医生'), h('dd', {}, me.family_doctor),
          h('dt', {}, '最近测量'), h('dd', {}, `${name(GRADE, me.last_grade)} · ${when(me.last_reading_at)}`));
      }),
      card('我的安居守护', async () => {
        const mine = await get('community/residents/me', {}, { signal });
        const devices = await get('community/devices', { household_id: mine.household.id }, { signal });
        return [h('p', {}, mine.household.label),
          devices.items.length ? h('ul', {}, devices.items.map((d) => h('li', {}, `${name(DEVICE, d.type)} · ${d.status === 'active' ? '在用' : '已停用'}`)))
            : h('p', { class: 'empty-note' }, '尚未安装安居守护设备')];
      }),
      card('我的就业服务', async () => {
        const me = await get('jobs/seekers/me', {}, { signal });
        return h('dl', { class: 'record' }, h('dt', {}, '阶段'), h('dd', {}, name(SEEKER_STAGE, me.stage)),
          h('dt', {}, '登记时间'), h('dd', {}, when(me.registered_at)));
      })));
  return () => controller.abort();
}
