// Records of the community service: a home-visit task (with the resident it is for) and a work order.

import { canAct } from '../access.js';
import { explain, get, post } from '../api.js';
import { h } from '../dom.js';
import { minutes, when } from '../format.js';
import {
  CATEGORY, DEVICE, name, ORDER_STATUS, person, PRIORITY, RESOLUTION, SEVERITY, VISIT_OUTCOME, VISIT_REASON, VISIT_STATUS,
} from '../labels.js';
import { placeName } from '../places.js';
import { canReveal, revealable } from '../reveal.js';

const fields = (pairs) => h('dl', { class: 'record' }, pairs.filter(Boolean).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')]));
const section = (title, ...body) => h('section', { class: 'panel' }, h('h3', {}, title), ...body);
const list = (items) => (items.length ? h('ol', { class: 'timeline' }, items.map(([at, text]) => h('li', {}, h('time', { class: 'muted' }, when(at)), ' ', text)))
  : h('p', { class: 'empty-note' }, '暂无记录'));

export const RECORD = {
  visit: {
    title: '上门探访任务', back: '#/worklists/home-visits',
    async load(id, signal, ctx) {
      const visit = await get(`community/visits/${id}`, {}, { signal });
      // The resident is read only here, when a worker opens the task (the service audits the read).
      const resident = visit.resident_id
        ? await get(`community/residents/${visit.resident_id}`, {}, { signal }).catch(() => null) : null;
      return [
        section('任务', fields([
          ['原因', name(VISIT_REASON, visit.reason)], ['优先级', name(PRIORITY, visit.priority)],
          ['截止时间', when(visit.due_at)], ['状态', name(VISIT_STATUS, visit.status)], ['负责人', person(visit.assignee)],
          ['社区', await placeName(visit.community_code)], visit.outcome && ['结果', name(VISIT_OUTCOME, visit.outcome)],
          visit.note && ['备注', visit.note],
        ])),
        section('探访对象', resident ? fields([
          ['姓名', resident.name], ['年龄', `${resident.age} 岁`], ['电话', revealable(resident.phone, {
            path: `community/residents/${resident.id}/reveal`, field: 'phone', label: '电话', allowed: canReveal(ctx.roles, 'community') })],
          ['独居', resident.lives_alone ? '是' : '否'], ['残疾', resident.disabled ? '是' : '否'],
        ]) : h('p', { class: 'empty-note' }, '无法读取居民信息')),
        section('来源', list(visit.requests.map((r) => [r.at, `${name(VISIT_REASON, r.reason)}（${name(PRIORITY, r.priority)}）`]))),
        canAct(ctx.roles, 'community') && ['open', 'assigned'].includes(visit.status) ? completeForm(visit, ctx) : null,
      ].filter(Boolean);
    },
  },
  'work-order': {
    title: '安居守护工单', back: '#/board',
    async load(id, signal) {
      const order = await get(`community/work-orders/${id}`, {}, { signal });
      return [
        section('工单', fields([
          ['设备', `${name(DEVICE, order.device_type)}${name(CATEGORY, order.category)}`], ['级别', name(SEVERITY, order.severity)],
          ['状态', name(ORDER_STATUS, order.status)], ['社区', await placeName(order.community_code)],
          ['告警次数', String(order.alert_count)], ['负责人', person(order.assignee)],
          ['响应用时', order.seconds_to_acknowledge === null ? '—' : minutes(order.seconds_to_acknowledge / 60)],
          ['办结用时', order.seconds_to_resolve === null ? '—' : minutes(order.seconds_to_resolve / 60)],
          order.resolution && ['处置结果', name(RESOLUTION, order.resolution)],
        ])),
        section('处置过程', list(order.steps.map((s) => [s.at, `${name(ORDER_STATUS, s.to_status)} · ${person(s.by)}${s.note ? ` · ${s.note}` : ''}`]))),
        order.escalations.length ? section('超时升级', list(order.escalations.map((e) => [e.at, `第 ${e.level} 级 → ${person(e.to_assignee)}`]))) : null,
      ].filter(Boolean);
    },
  },
};

function completeForm(visit, ctx) {
  const outcome = h('select', { name: 'outcome', 'aria-label': '探访结果' },
    Object.entries(VISIT_OUTCOME).map(([k, label]) => h('option', { value: k }, label)));
  const note = h('textarea', { name: 'note', rows: 2, maxlength: 2000, placeholder: '情况记录（只留在社区，不发往其他部门）', 'aria-label': '情况记录' });
  const submit = h('button', { type: 'submit', class: 'primary' }, '完成探访');
  const form = h('form', { class: 'panel visit-complete' }, h('h3', {}, '登记探访结果'), outcome, note, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      await post(`community/visits/${visit.id}/complete`, { outcome: outcome.value, note: note.value.trim() || null });
      ctx.toast('探访已登记完成', 'ok');
      ctx.navigate('#/worklists/home-visits');
    } catch (err) {
      ctx.toast(explain(err), 'bad');
      submit.disabled = false;
    }
  });
  return form;
}
