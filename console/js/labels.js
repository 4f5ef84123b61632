// Chinese names of the codes the services use (statuses, grades, groups). Unknown codes show as they are.

export const GRADE = { normal: '正常', uncontrolled: '未控制', high: '偏高/偏低', critical: '危急' };
export const STREET_SUFFIX = '';
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
