// One line of Chinese for a message of the community feed (the live board's log, the overview's ticker).

import { ALERT_KIND, DEVICE, name, ORDER_STATUS, person, SEVERITY, VISIT_STATUS } from './labels.js';

export function describe(message, names = new Map()) {
  const d = message.data || {};
  const where = names.get(message.community_code) || message.community_code || '';
  let text;
  if (message.kind === 'alert.raised' || message.kind === 'alert.repeated') {
    text = `${message.kind === 'alert.repeated' ? '重复' : '新'}告警：${name(DEVICE, d.device_type)}${name(ALERT_KIND, d.kind_of_alert)}（${name(SEVERITY, d.severity)}）`;
  } else if (message.kind === 'workorder.escalated') {
    text = `工单超时升级至第 ${d.escalation_level} 级：${person(d.assignee)}`;
  } else if (message.kind === 'workorder.assigned') {
    text = `工单转派：${person(d.assignee)}`;
  } else if (message.kind.startsWith('workorder.')) {
    text = `工单${name(ORDER_STATUS, message.kind.slice(10))}：${name(DEVICE, d.device_type)}${d.by ? `（${person(d.by)}）` : ''}`;
  } else if (message.kind.startsWith('visit.')) {
    const status = message.kind.slice(6);
    text = `上门探访${status === 'created' ? '任务新建' : name(VISIT_STATUS, status)}`;
  } else {
    text = message.kind;
  }
  return `${where} ${text}`.trim();
}
