// Chinese names of the codes the services use (statuses, grades, groups). Unknown codes show as they are.

export const GRADE = { normal: '正常', uncontrolled: '未控制', high: '偏高/偏低', critical: '危急' };
export const SEEKER_STAGE = { registered: '已登记', in_service: '服务中', placed: '已就业', followed_up: '已跟踪回访' };
export const PRIORITY_GROUP = {
  graduate: '高校毕业生', older_unemployed: '大龄失业人员', land_expropriated: '被征地农民', hard_to_employ: '就业困难人员',
  zero_employment_household: '零就业家庭成员', disabled: '残疾人',
};
export const PLACEMENT_TYPE = { market: '市场就业', public_welfare: '公益性岗位', self_employed: '自主创业' };
export const FOLLOW_UP_OUTCOME = { employed: '在岗', not_employed: '未在岗' };
export const PROJECT_STATUS = { planned: '计划', approved: '已立项', in_progress: '施工中', completed: '待验收', accepted: '已验收' };
export const SCOPE_KIND = {
  pipes: '管网', lifts: '加装电梯', facades: '立面', accessibility: '无障碍', parking: '停车', greening: '绿化',
  roofs: '屋面', fire_safety: '消防', ageing_friendly: '适老化', other: '其他',
};
export const SEX = { M: '男', F: '女' };
export const CONDITION = {
  I10: '高血压', E11: '2型糖尿病', E10: '1型糖尿病', I25: '冠心病', J44: '慢阻肺', I69: '卒中后遗症', N18: '慢性肾病',
  E78: '血脂异常', M81: '骨质疏松', F03: '认知障碍',
};

export function name(map, code) {
  if (code === null || code === undefined || code === '') return '—';
  return map[code] || map[String(code).split('.')[0]] || String(code);
}
export const FOLLOW_UP_REASON = { routine: '例行随访', emergency_alert: '紧急呼叫后随访', flagged_reading: '异常读数后随访' };
export const DEVICE = { smoke: '烟感', gas: '燃气', emergency_button: '紧急按钮', door_sensor: '门磁' };
export const ALERT_KIND = { alarm: '报警', no_activity: '长时间无活动', low_battery: '电量低', offline: '离线', tamper: '被拆动', test: '测试' };
export const SEVERITY = { low: '低', medium: '中', high: '高', critical: '紧急' };
export const CATEGORY = { emergency: '报警', maintenance: '维护' };
export const ORDER_STATUS = {
  raised: '待响应', acknowledged: '已接单', dispatched: '已派单', on_site: '已到场', resolved: '已办结', reviewed: '已回访',
};
export const RESOLUTION = {
  handled: '现场处置完毕', false_alarm: '误报', resolved_remotely: '电话远程处置', device_replaced: '更换设备',
  referred_to_hospital: '送医', fire_service: '消防处置',
};
export const VISIT_REASON = { reading_flagged: '异常读数', alert_follow_up: '告警回访', routine: '例行探访', staff_request: '社工安排' };
export const PRIORITY = { routine: '常规', high: '优先', critical: '紧急' };
export const VISIT_STATUS = { open: '待分派', assigned: '已分派', done: '已完成', cancelled: '已取消' };
export const VISIT_OUTCOME = { visited: '已探访', not_home: '不在家', referred: '已转介', declined: '拒绝探访' };
const POSTS = {
  'post:grid-worker': '网格员', 'post:community-duty-officer': '社区值班员', 'post:community-secretary': '社区书记',
  'post:street-emergency-office': '街道应急办',
};
export function person(subject) {
  return subject ? POSTS[subject] || subject : '—';
}
