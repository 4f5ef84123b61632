// The worklists: where each comes from (the gateway route of its service), its columns, and which record a
// row opens. Rows hold what the service returned; nothing here computes a business rule.

import { big, day, number, when } from './format.js';
import {
  FOLLOW_UP_REASON, GRADE, name, person, PRIORITY, PROJECT_STATUS, VISIT_REASON, VISIT_STATUS,
} from './labels.js';

export const LISTS = {
  'care-follow-ups': {
    title: '慢病随访逾期', hint: '到期未随访的慢病患者，风险高者在前',
    path: 'chronic-care/follow-ups/overdue',
    columns: [
      ['患者', (r) => r.patient_name],
      ['逾期', (r) => `${r.days_overdue} 天`, 'num'],
      ['最近分级', (r) => name(GRADE, r.last_grade)],
      ['应随访日期', (r) => day(r.follow_up.due_at)],
      ['原因', (r) => name(FOLLOW_UP_REASON, r.follow_up.reason), 'secondary'],
    ],
    flagged: (r) => r.flagged && '异常读数',
    open: (r) => `#/record/patient/${r.follow_up.patient_id}`,
  },
  'jobs-follow-ups': {
    title: '就业跟踪回访逾期', hint: '就业后按月跟踪回访，已逾期的在前',
    path: 'jobs/worklist/follow-ups', query: { overdue_only: 'true' },
    columns: [
      ['求职者', (r) => r.seeker_name],
      ['逾期', (r) => `${r.days_overdue} 天`, 'num'],
      ['回访月份', (r) => `第 ${r.month} 个月`],
      ['应回访日期', (r) => day(r.due_on)],
      ['经办人', (r) => r.caseworker, 'secondary'],
    ],
    open: (r) => `#/record/seeker/${r.seeker_id}`,
  },
  'home-visits': {
    title: '上门探访任务', hint: '待完成的居家探访，最早到期的在前',
    path: 'community/visits', query: { open: 'true' },
    columns: [
      ['探访原因', (r) => name(VISIT_REASON, r.reason)],
      ['优先级', (r) => name(PRIORITY, r.priority)],
      ['截止时间', (r) => when(r.due_at)],
      ['负责人', (r) => person(r.assignee)],
      ['状态', (r) => name(VISIT_STATUS, r.status), 'secondary'],
    ],
    flagged: (r) => (new Date(r.due_at) < new Date() ? '逾期' : r.priority === 'critical' && '紧急'),
    open: (r) => `#/record/visit/${r.id}`,
  },
  acceptance: {
    title: '待验收改造项目', hint: '已完工、等待验收的老旧小区改造项目',
    path: 'renovation/projects', query: { status: 'completed' },
    columns: [
      ['项目', (r) => r.name],
      ['面积', (r) => `${big(r.area_m2)} m²`, 'num'],
      ['完工日期', (r) => day(r.actual_end || r.planned_end)],
      ['进度', (r) => `${number(r.progress_pct)}%`, 'num'],
      ['状态', (r) => name(PROJECT_STATUS, r.status), 'secondary'],
    ],
    open: (r) => `#/record/project/${r.id}`,
  },
};
