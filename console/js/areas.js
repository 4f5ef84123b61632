// How each area's figures read on the overview: headline figures (label, unit, format), the charts drawn
// from them, and how its trend line is read (see TRENDS in views/overview.js). Figures an area does not report are skipped;
// figures not listed here still show, under "更多指标", with their key.

import { big, minutes, money, number, percent } from './format.js';

const m2 = (v) => `${big(v)} m²`;
const rate = (v) => percent(v);
const seconds = (v) => minutes(Number(v) / 60);
const pct = (v) => `${number(v, 1)}%`;

export const AREA_INFO = {
  renovation: {
    title: '旧改与未来社区', owner: '区住建局',
    headline: [
      ['area_renovated_m2', '已改造面积', m2],
      ['area_under_way_m2', '在改面积', m2],
      ['future_community_projects', '未来社区创建项目', number, '个'],
      ['future_community_provincial_pilots', '省级试点', number, '个'],
      ['beneficiaries', '受益人群', big, '人'],
      ['one_old_one_young_scenarios_passed', '"一老一小"场景验收', number, '个'],
    ],
  },
  jobs: {
    title: '就业服务', owner: '区就业管理服务中心',
    headline: [
      ['new_urban_jobs', '新增城镇就业', big, '人'],
      ['people_helped_into_work', '帮扶就业困难人员就业', big, '人'],
      ['relief_enterprise_times', '惠企减返缓', big, '家次'],
      ['relief_total_fen', '减返缓金额', money],
      ['benefit_paid_fen', '发放失业保险金', money],
      ['loans_disbursed_fen', '创业担保贷款', money],
      ['follow_ups_overdue', '跟踪回访逾期', number, '人'],
      ['zero_employment_households', '零就业家庭', number, '户'],
    ],
  },
  community: {
    title: '一老一小', owner: '振宁社区 · 社区服务',
    headline: [
      ['work_orders_open', '未办结工单', number, '单'],
      ['alerts_today', '今日告警', number, '条'],
      ['mean_seconds_to_acknowledge', '平均响应用时', seconds],
      ['mean_seconds_to_resolve', '平均办结用时', seconds],
      ['work_orders_open_escalated', '超时升级', number, '单'],
      ['visits_open', '待上门探访', number, '项'],
      ['households_with_kit', '安居守护四件套', number, '户'],
      ['courses', '公益课程', number, '门'],
    ],
    trend: { title: '近30天每日告警（条）', by: 'dailyAlerts' },
  },
  'chronic-care': {
    title: '小病慢病不出村', owner: '卫生健康',
    headline: [
      ['dispensing_services', '慢病配药服务', number, '人次'],
      ['drug_kinds_dispensed', '涉及药品', number, '种'],
      ['new_out_of_catalogue_drugs', '新增目录外药品', number, '种'],
      ['out_of_catalogue_orders', '目录外订单', number, '单'],
      ['flagged_readings', '异常读数', number, '条'],
      ['critical_readings', '危急读数', number, '条'],
      ['bp_control_rate', '血压控制率', rate],
      ['follow_ups_overdue', '随访逾期', number, '项'],
    ],
    // The service filters by inclusive dates: the trend asks it month by month.
    trend: { figure: 'dispensing_services', title: '每月慢病配药服务（人次）', by: 'months' },
  },
};

// Labels for figures outside the headline (shown under "更多指标").
export const LABELS = {
  projects_total: '改造项目', projects_planned: '计划中', projects_approved: '已立项', projects_in_progress: '施工中',
  projects_completed: '待验收', projects_accepted: '已验收', area_planned_m2: '计划改造面积',
  budget_total_fen: '改造预算', future_community_city_pilots: '市级试点', spaces_in_inventory: '闲置空间登记',
  spaces_commissioned: '已投用空间', spaces_commissioned_area_m2: '投用空间面积', households_voted: '参与表决户数',
  satisfaction_ratings: '满意度评价', satisfaction_avg: '平均满意度',
  patients_total: '在管患者', patients_hypertension: '高血压患者', patients_diabetes: '糖尿病患者',
  bp_controlled: '血压控制', glucose_controlled: '血糖控制', glucose_control_rate: '血糖控制率',
  partial_dispensings: '部分发药', drugs_added_to_catalogue: '新增入目录药品', low_stock_items: '低库存药品',
  people_helped_from_assistance_groups: '重点群体帮扶就业', public_welfare_placements: '公益性岗位安置',
  seekers_registered: '登记求职人员', seekers_in_service: '服务中', seekers_placed: '已就业', seekers_followed_up: '已跟踪回访',
  seekers_without_contact: '未联系人员', benefit_recipients: '领取失业保险金人数', benefit_claims_active: '在领失业保险金',
  loans_disbursed: '创业担保贷款笔数', loans_outstanding_fen: '贷款余额', loans_defaulted: '逾期贷款',
  relief_enterprises: '受惠企业', households_cleared: '零就业家庭动态清零',
  work_orders_open_raised: '待响应工单', work_orders_open_acknowledged: '已接单', work_orders_open_dispatched: '已派单',
  work_orders_open_on_site: '已到场', work_orders_raised: '工单总数', work_orders_resolved: '已办结工单',
  work_orders_reviewed: '已回访工单', alerts: '告警总数', alerts_today_high_or_critical: '今日高危告警', stations: '驿站与服务点',
  course_enrolments: '课程报名', course_waitlisted: '候补', course_attendances: '课程出勤', childcare_slots: '托育时段',
  childcare_places_offered: '托育名额', childcare_places_booked: '托育预约', childcare_occupancy_pct: '托育使用率',
  meals_served: '助餐份数', meals_ordered: '订餐份数', meal_subsidy_fen: '助餐补贴', devices_active: '在用设备',
  visits_overdue: '探访逾期', visits_done: '已完成探访', residents: '登记居民', elderly_living_alone: '独居老人',
  readings: '监测读数', lab_tests_resulted: '检验出结果', referrals_requested: '入院转诊申请',
  referrals_admitted: '已入院', nursing_visits: '康复护理上门', follow_ups_done: '已随访',
};


export function labelOf(key) {
  return LABELS[key] || key.replace(/_/g, ' ');
}

export function formatOf(key) {
  if (key.endsWith('_fen')) return money;
  if (key.endsWith('_rate')) return rate;
  if (key.endsWith('_m2')) return m2;
  if (key.endsWith('_minutes')) return minutes;
  if (key.startsWith('mean_seconds')) return seconds;
  if (key.endsWith('_pct')) return pct;
  return number;
}
