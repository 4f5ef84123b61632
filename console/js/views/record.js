// 记录详情: the record a worklist row (or a board card) opens, read from its service through the gateway.
// Personal fields are shown exactly as the service returns them (ID numbers and phones masked for everyone);
// an entitled user reveals one with a reason (reveal.js, audited by the service). Nothing is stored.

import { explain, get } from '../api.js';
import { h, replace } from '../dom.js';
import { big, day, money, number, when } from '../format.js';
import {
  CONDITION, FOLLOW_UP_OUTCOME, FOLLOW_UP_REASON, GRADE, name, PLACEMENT_TYPE, PRIORITY_GROUP, PROJECT_STATUS, SCOPE_KIND, SEEKER_STAGE, SEX,
} from '../labels.js';
import { canReveal, revealable } from '../reveal.js';
import { RECORD as COMMUNITY_RECORDS } from './community-records.js';

const fields = (pairs) => h('dl', { class: 'record' }, pairs.filter(Boolean).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')]));
const section = (title, ...body) => h('section', { class: 'panel' }, h('h3', {}, title), ...body);
const timeline = (entries) => (entries.length
  ? h('ol', { class: 'timeline' }, entries.map(([at, text]) => h('li', {}, h('time', { class: 'muted' }, when(at)), ' ', text)))
  : h('p', { class: 'empty-note' }, '暂无记录'));
const optional = (promise) => promise.catch((err) => (err.name === 'AbortError' ? Promise.reject(err) : null));

const RECORDS = {
  patient: {
    title: '慢病患者', back: '#/worklists/care-follow-ups',
    async load(id, signal, ctx) {
      const reveal = (field, label) => revealable(patient[field], {
        path: `chronic-care/patients/${id}/reveal`, field, label, allowed: canReveal(ctx.roles, 'chronic-care') });
      const [patient, events, followUps] = await Promise.all([
        get(`chronic-care/patients/${id}`, {}, { signal }),
        optional(get(`chronic-care/patients/${id}/timeline`, { limit: 20 }, { signal })),
        optional(get('chronic-care/follow-ups', { patient_id: id, status: 'scheduled' }, { signal })),
      ]);
      return [
        section('基本信息', fields([
          ['姓名', patient.name], ['性别', name(SEX, patient.sex)], ['出生日期', day(patient.birth_date)],
          ['证件号', reveal('id_number', '证件号')], ['电话', reveal('phone', '电话')], ['家庭医生', patient.family_doctor],
          ['病种', patient.conditions.map((c) => name(CONDITION, c.code)).join('、')],
          ['最近读数', `${name(GRADE, patient.last_grade)} · ${when(patient.last_reading_at)}`],
          patient.flagged_since && ['重点关注自', when(patient.flagged_since)],
          ['状态', patient.status === 'active' ? '在管' : `停止管理（${patient.inactive_reason || ''}）`],
        ])),
        section('待随访', followUps?.items?.length
          ? h('ul', {}, followUps.items.map((f) => h('li', {}, `${day(f.due_at)} · ${name(FOLLOW_UP_REASON, f.reason)}`)))
          : h('p', { class: 'empty-note' }, '暂无')),
        section('健康时间线', timeline((events?.items || []).map((e) => [e.occurred_at, e.summary]))),
      ];
    },
  },
  seeker: {
    title: '求职者', back: '#/worklists/jobs-follow-ups',
    async load(id, signal, ctx) {
      const reveal = (field, label) => revealable(seeker[field], {
        path: `jobs/seekers/${id}/reveal`, field, label, allowed: canReveal(ctx.roles, 'jobs') });
      const [seeker, placements] = await Promise.all([
        get(`jobs/seekers/${id}`, {}, { signal }),
        optional(get('jobs/placements', { seeker_id: id }, { signal })),
      ]);
      return [
        section('基本信息', fields([
          ['姓名', seeker.name], ['性别', name(SEX, seeker.sex)], ['年龄', `${seeker.age} 岁`], ['证件号', reveal('id_number', '证件号')],
          ['电话', reveal('phone', '电话')], ['重点群体', seeker.priority_groups.map((g) => name(PRIORITY_GROUP, g)).join('、') || '—'],
          ['阶段', name(SEEKER_STAGE, seeker.stage)], ['经办人', seeker.caseworker],
          ['登记时间', when(seeker.registered_at)], ['最近联系', when(seeker.last_contact_at)],
        ])),
        section('就业与跟踪回访', ...(placements?.items || []).map((p) => h('div', { class: 'placement' },
          fields([['去向', name(PLACEMENT_TYPE, p.placement_type)], ['就业日期', day(p.placed_on)],
            ['月薪', p.monthly_salary_fen ? money(p.monthly_salary_fen) : '—']]),
          h('ol', { class: 'timeline' }, p.follow_ups.map((f) => h('li', {},
            `第 ${f.month} 个月 · 应于 ${day(f.due_on)} · ${f.status === 'done' ? `已回访（${name(FOLLOW_UP_OUTCOME, f.outcome)}）` : '待回访'}`))))),
        ),
        section('阶段变化', timeline((seeker.stage_changes || []).map((c) => [c.at, `${name(SEEKER_STAGE, c.from_stage)} → ${name(SEEKER_STAGE, c.to_stage)}${c.reason ? `（${c.reason}）` : ''}`]))),
      ];
    },
  },
  project: {
    title: '改造项目', back: '#/worklists/acceptance',
    async load(id, signal) {
      const [project, acceptance, publicTimeline] = await Promise.all([
        get(`renovation/projects/${id}`, {}, { signal }),
        optional(get(`renovation/projects/${id}/inspections`, {}, { signal })),
        optional(get(`renovation/projects/${id}/timeline`, {}, { signal })),
      ]);
      return [
        section('项目信息', fields([
          ['名称', project.name], ['状态', name(PROJECT_STATUS, project.status)], ['改造面积', `${big(project.area_m2)} m²`],
          ['预算', money(project.budget_fen)], ['计划工期', `${day(project.planned_start)} — ${day(project.planned_end)}`],
          ['实际工期', `${day(project.actual_start)} — ${day(project.actual_end)}`], ['进度', `${number(project.progress_pct)}%`],
          ['改造内容', project.scope_items.map((i) => name(SCOPE_KIND, i.kind)).join('、') || '—'],
        ])),
        section('验收', acceptance ? [
          fields([['未整改问题', `${acceptance.open_defects} 项`]]),
          timeline(acceptance.inspections.map((i) => [i.recorded_at, `第 ${i.round} 轮 · ${day(i.inspected_on)} · ${i.inspector} · ${i.passed ? '通过' : '未通过'}`])),
          acceptance.defects.length ? h('ul', {}, acceptance.defects.map((d) => h('li', {}, `${d.description}（${d.status === 'open' ? '待整改' : d.status}）`))) : null,
        ] : h('p', { class: 'empty-note' }, '尚未组织验收')),
        section('项目进程', timeline((publicTimeline?.entries || []).map((e) => [e.at, e.title]))),
      ];
    },
  },
  ...COMMUNITY_RECORDS,
};

export function render(main, ctx) {
  const [kind, id] = ctx.params;
  const def = RECORDS[kind];
  const head = h('div', { class: 'record-head' },
    h('a', { href: def?.back || '#/worklists' }, '← 返回清单'), h('h2', {}, def?.title || '记录'));
  const body = h('div', { class: 'record-grid', 'data-testid': 'record' }, h('p', { class: 'muted' }, '加载中…'));
  main.append(head, body);
  if (!def || !id) {
    replace(body, h('p', { class: 'empty-note' }, '未知的记录类型'));
    return null;
  }
  const controller = new AbortController();
  def.load(id, controller.signal, ctx)
    .then((sections) => replace(body, sections))
    .catch((err) => { if (err.name !== 'AbortError') replace(body, h('p', { class: 'form-error' }, explain(err))); });
  return () => controller.abort();
}
