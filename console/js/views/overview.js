// 一屏统览: the four areas' figures from GET /api/v1/dashboard/overview, with charts, refreshed every
// minute. An area that cannot answer keeps its place on the screen with a clear mark saying why.

import { AREAS, canSee } from '../access.js';
import { AREA_INFO, formatOf, labelOf } from '../areas.js';
import { BASE, explain, get } from '../api.js';
import { columns, lineChart, meter, statusBar } from '../charts.js';
import { h, replace } from '../dom.js';
import { clock, money, number, percent } from '../format.js';
import { describe } from '../feed-text.js';
import { PROJECT_STATUS } from '../labels.js';
import { places } from '../places.js';
import { openStream } from '../sse.js';

const REFRESH_MS = 60_000;
const STATUS_TEXT = { unavailable: '暂不可用', forbidden: '无权查看', error: '数据异常' };
const FC_STATUS = { applied: '已申报', selected: '入选试点', building: '建设中', inspection_requested: '申请验收', accepted: '已验收', rejected: '未通过' };
const CONDITIONS = { I10: '高血压', E11: '糖尿病', E10: '1型糖尿病', I25: '冠心病', J44: '慢阻肺', I69: '卒中后遗症', N18: '慢性肾病', E78: '血脂异常', M81: '骨质疏松', F03: '认知障碍' };
const SEEKER_STAGE = { registered: '已登记', in_service: '服务中', placed: '已就业', followed_up: '已跟踪回访' };
const PLACEMENT = { market: '市场就业', public_welfare: '公益性岗位', self_employed: '自主创业' };
const RELIEF = { reduce: '减', refund: '返', defer: '缓' };
const STAGE = { raised: '待响应', acknowledged: '已接单', dispatched: '已派单', on_site: '已到场' };
const SEVERITY = { critical: '紧急', high: '高', medium: '中', low: '低' };
const DEVICE = { smoke: '烟感', gas: '燃气', emergency_button: '紧急按钮', door_sensor: '门磁' };
const STATION = { canteen: '助餐', childcare: '托育', elderly_care: '养老', health_station: '健康', neighbourhood: '邻里', five_in_one: '五位一体' };


export function render(main, ctx) {
  const thisYear = new Date().getFullYear();
  const filters = { year: '', street_code: '' };
  const yearSelect = h('select', { id: 'f-year', 'aria-label': '年份' }, h('option', { value: '' }, '全部年份'),
    Array.from({ length: 5 }, (_, i) => h('option', { value: thisYear - i }, `${thisYear - i}年`)));
  const streetSelect = h('select', { id: 'f-street', 'aria-label': '街道' }, h('option', { value: '' }, '全区'));
  const stamp = h('span', { class: 'stamp', 'aria-live': 'polite' });
  const refresh = h('button', { type: 'button', class: 'ghost', onclick: () => load() }, '刷新');
  const grid = h('div', { class: 'area-grid', 'data-testid': 'overview' });
  main.append(
    h('div', { class: 'toolbar' }, h('h2', {}, '一屏统览'), h('div', { class: 'filters' }, yearSelect, streetSelect, refresh, stamp)),
    grid);
  places().then(({ streets }) => streets.forEach((st) => streetSelect.append(h('option', { value: st.code }, st.name))));
  yearSelect.addEventListener('change', () => { filters.year = yearSelect.value; load(); });
  streetSelect.addEventListener('change', () => { filters.street_code = streetSelect.value; load(); });

  const cards = Object.fromEntries(AREAS.map((area) => {
    const card = h('section', { class: 'panel area-card loading', 'data-area': area, 'aria-busy': 'true' },
      h('header', {}, h('h3', {}, AREA_INFO[area].title), h('small', {}, AREA_INFO[area].owner)),
      h('p', { class: 'muted' }, '加载中…'));
    grid.append(card);
    return [area, card];
  }));

  let controller = null;
  async function load() {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    refresh.disabled = true;
    try {
      const data = await get('dashboard/overview', filters, { signal });
      for (const area of AREAS) {
        const entry = data.areas?.[area] || { status: 'unavailable', detail: '网关未配置此领域' };
        fillCard(cards[area], area, entry, filters, signal);
      }
      const down = AREAS.filter((a) => ['unavailable', 'error'].includes(data.areas?.[a]?.status));
      stamp.textContent = `更新于 ${clock()}${down.length ? ' · 部分领域暂不可用' : ''}`;
    } catch (err) {
      if (err.name === 'AbortError') return;
      stamp.textContent = explain(err);
      ctx.toast(explain(err), 'bad');
    } finally {
      refresh.disabled = false;
    }
  }

  // Live: readers of the community feed see each alert and work-order change as it happens, and the
  // figures refresh right after it (once per burst), not only every minute.
  let stream = null;
  let soon = null;
  if (canSee(ctx.roles, 'board')) {
    const state = h('span', { class: 'live', 'data-testid': 'overview-live' }, '连接中…');
    const text = h('a', { class: 'ticker-text', href: '#/board', 'data-testid': 'ticker' }, '告警与工单的变化会即时显示在这里');
    main.insertBefore(h('div', { class: 'ticker' }, state, text), grid);
    let names = new Map();
    places().then((p) => { names = p.names; });
    stream = openStream(`${BASE}/community/feed/stream`, {
      onEvent(event) {
        try { text.textContent = `${clock()} ${describe(JSON.parse(event.data), names)}`; } catch { return; }
        clearTimeout(soon);
        soon = setTimeout(load, 1500);
      },
      onState(s) {
        state.className = `live ${s}`;
        state.dataset.state = s;
        state.textContent = s === 'open' ? '实时' : s === 'reconnecting' || s === 'connecting' ? '连接中…' : '每分钟刷新';
      },
    });
  }

  load();
  const timer = setInterval(load, REFRESH_MS);
  return () => { clearInterval(timer); clearTimeout(soon); stream?.close(); controller?.abort(); };
}

function fillCard(card, area, entry, filters, signal) {
  const info = AREA_INFO[area];
  card.classList.remove('loading', 'ok', 'unavailable', 'forbidden', 'error');
  card.classList.add(entry.status === 'ok' ? 'ok' : entry.status);
  card.removeAttribute('aria-busy');
  card.dataset.status = entry.status;
  const head = h('header', {}, h('h3', {}, info.title), h('small', {}, info.owner),
    entry.status === 'ok' ? null : h('span', { class: `badge ${entry.status}`, 'data-testid': 'area-status' }, STATUS_TEXT[entry.status] || entry.status));
  if (entry.status !== 'ok') {
    replace(card, head, h('div', { class: 'unavailable-note' },
      h('p', {}, entry.status === 'forbidden' ? '您的角色不查看此领域的统计。' : '该领域的服务暂时没有响应，其他领域不受影响。'),
      entry.detail && entry.status !== 'forbidden' ? h('p', { class: 'muted' }, String(entry.detail)) : null));
    return;
  }
  const figures = entry.figures || {};
  const shown = new Set();
  const tiles = info.headline.filter(([key]) => key in figures).map(([key, label, fmt, unit]) => {
    shown.add(key);
    return h('div', { class: 'tile', 'data-figure': `${area}.${key}`, 'data-value': String(figures[key]) },
      h('span', { class: 'tile-value' }, fmt(figures[key]), unit ? h('small', {}, unit) : null),
      h('span', { class: 'tile-label' }, label));
  });
  const charts = h('div', { class: 'charts' }, CHARTS[area]?.(entry, figures) || []);
  const rest = Object.keys(figures).filter((k) => !shown.has(k)).sort();
  const more = rest.length ? h('details', { class: 'more' }, h('summary', {}, `更多指标（${rest.length}）`),
    h('dl', {}, rest.map((key) => [h('dt', {}, labelOf(key)),
      h('dd', { 'data-figure': `${area}.${key}`, 'data-value': String(figures[key]) }, formatOf(key)(figures[key]))]))) : null;
  replace(card, head, h('div', { class: 'tiles' }, tiles), charts, more);
  if (info.trend) loadTrend(charts, area, info.trend, filters, signal);
}

const CHARTS = {
  renovation(entry, f) {
    const out = [];
    const byStatus = entry.breakdowns?.projects_by_status;
    if (byStatus) {
      out.push(statusBar(Object.entries(PROJECT_STATUS).map(([k, label], i) => ({ label, value: byStatus[k] || 0, tone: `tone-${i}` })),
        { title: '改造项目进度（个）' }));
    }
    const done = Number(f.area_renovated_m2 || 0);
    const going = Number(f.area_under_way_m2 || 0);
    if (done + going > 0) {
      out.push(meter(done, done + going, { label: '已完成 / 已完成+在改', text: `${number(done / 10000, 1)} / ${number((done + going) / 10000, 1)} 万m²` }));
    }
    const province = entry.breakdowns?.future_communities_province;
    const city = entry.breakdowns?.future_communities_city;
    if (province || city) {
      out.push(statusBar(Object.entries(FC_STATUS).map(([k, label], i) => ({
        label, value: (province?.[k] || 0) + (city?.[k] || 0), tone: k === 'rejected' ? 'bad' : `tone-${i}` })),
      { title: '未来社区创建（个）' }));
    }
    return out;
  },
  jobs(entry) {
    const b = entry.breakdowns || {};
    const bar = (data, names, title, format) => statusBar(Object.entries(names).map(([k, label], i) => ({ label, value: data[k] || 0, tone: `tone-${i}` })), { title, format });
    return [
      b.seekers_by_stage && bar(b.seekers_by_stage, SEEKER_STAGE, '"登记—主动服务—后续跟踪"闭环（人）'),
      b.placements_by_type && bar(b.placements_by_type, PLACEMENT, '就业去向（人）'),
      b.relief_fen_by_kind && bar(b.relief_fen_by_kind, RELIEF, '惠企减返缓（元）', money),
    ].filter(Boolean);
  },
  community(entry, f) {
    const b = entry.breakdowns || {};
    const out = [];
    if (b.work_orders_open_by_stage) {
      out.push(statusBar(Object.entries(STAGE).map(([k, label], i) => ({ label, value: b.work_orders_open_by_stage[k] || 0, tone: i === 0 ? 'bad' : `tone-${i}` })),
        { title: '未办结工单（按环节）' }));
    }
    if (b.work_orders_open_by_severity) {
      const tones = { critical: 'bad', high: 'warn', medium: 'tone-0', low: 'tone-1' };
      out.push(statusBar(Object.entries(SEVERITY).map(([k, label]) => ({ label, value: b.work_orders_open_by_severity[k] || 0, tone: tones[k] })),
        { title: '未办结工单（按级别）' }));
    }
    if ('childcare_occupancy_pct' in f) {
      out.push(meter(f.childcare_occupancy_pct, 100, { label: '托育名额使用率', text: `${number(f.childcare_occupancy_pct, 1)}%` }));
    }
    const devices = b.alerts_by_device_type;
    if (devices && Object.keys(devices).length) {
      out.push(h('figure', { class: 'chart-box' }, h('figcaption', {}, '告警（按设备）'),
        columns(Object.keys(DEVICE).map((k) => ({ label: DEVICE[k], value: devices[k] || 0 })), { title: '告警（按设备）' })));
    }
    if (b.stations_by_kind && Object.keys(b.stations_by_kind).length) {
      out.push(h('figure', { class: 'chart-box' }, h('figcaption', {}, '15分钟服务圈站点'),
        columns(Object.entries(b.stations_by_kind).map(([k, v]) => ({ label: STATION[k] || k, value: v })), { title: '服务站点' })));
    }
    return out;
  },
  'chronic-care'(entry, f) {
    const out = [];
    if ('readings' in f) {
      const flagged = Number(f.flagged_readings || 0);
      const critical = Number(f.critical_readings || 0);
      out.push(statusBar([
        { label: '正常', value: Math.max(0, Number(f.readings) - flagged), tone: 'ok' },
        { label: '异常', value: Math.max(0, flagged - critical), tone: 'warn' },
        { label: '危急', value: critical, tone: 'bad' },
      ], { title: '监测读数（条）' }));
    }
    if ('bp_control_rate' in f) out.push(meter(f.bp_control_rate, 1, { label: '血压控制率', text: percent(f.bp_control_rate) }));
    if ('glucose_control_rate' in f) out.push(meter(f.glucose_control_rate, 1, { label: '血糖控制率', text: percent(f.glucose_control_rate) }));
    const byCondition = entry.patients_by_condition;
    if (byCondition && Object.keys(byCondition).length) {
      out.push(h('figure', { class: 'chart-box' }, h('figcaption', {}, '在管患者（按病种）'),
        columns(Object.entries(byCondition).sort((a, b) => b[1] - a[1]).map(([k, v]) => ({ label: CONDITIONS[k] || k, value: v })), { title: '在管患者' })));
    }
    return out;
  },
};

// Month windows ending with the current month (or the 12 months of the chosen year).
export function monthWindows(year, today = new Date()) {
  const windows = [];
  const endYear = year ? Number(year) : today.getFullYear();
  const endMonth = year && Number(year) < today.getFullYear() ? 11 : today.getMonth();
  for (let i = 11; i >= 0; i -= 1) {
    const d = new Date(Date.UTC(endYear, endMonth - i, 1));
    if (year && d.getUTCFullYear() !== Number(year)) continue;
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
    windows.push({ label: `${d.getUTCMonth() + 1}月`, from: d.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) });
  }
  return windows;
}

const TREND_TTL_MS = 5 * 60_000; // trends change slowly: the minute refresh reuses them
const trendCache = new Map();
const DAY = 86_400_000;
const localDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }); // YYYY-MM-DD

// How each trend is read from its service (real data only: figures per period, or records counted per day).
const TRENDS = {
  // The chronic-care overview takes inclusive dates: ask it month by month.
  async months(area, trend, filters, signal) {
    const windows = monthWindows(filters.year);
    const values = await Promise.all(windows.map((w) => get(`${area}/stats/overview`,
      { date_from: w.from, date_to: w.to, street_code: filters.street_code }, { signal })
      .then((d) => d.figures?.[trend.figure] ?? null)));
    return windows.map((w, i) => ({ label: w.label, value: values[i] }));
  },
  // Alerts of the last 30 days, counted per local day (a few pages of the alert list).
  async dailyAlerts(area, trend, filters, signal) {
    const since = new Date(Date.now() - 29 * DAY);
    const counts = new Map();
    for (let i = 0; i < 30; i += 1) counts.set(localDay.format(new Date(since.getTime() + i * DAY)), 0);
    let cursor = null;
    for (let page = 0; page < 10; page += 1) {
      const data = await get(`${area}/alerts`, { received_from: `${localDay.format(since)}T00:00:00+08:00`, limit: 200, cursor }, { signal });
      for (const alert of data.items) {
        if (filters.street_code && alert.street_code !== filters.street_code) continue;
        const key = localDay.format(new Date(alert.received_at));
        if (counts.has(key)) counts.set(key, counts.get(key) + 1);
      }
      cursor = data.next_cursor;
      if (!cursor) break;
    }
    return [...counts].map(([d, n]) => ({ label: `${Number(d.slice(5, 7))}/${Number(d.slice(8))}`, value: n }));
  },
};

async function loadTrend(container, area, trend, filters, signal) {
  const box = h('figure', { class: 'chart-box trend', 'data-testid': `trend-${area}` }, h('figcaption', {}, trend.title), h('p', { class: 'muted' }, '加载趋势…'));
  container.prepend(box);
  const key = `${area}|${filters.year}|${filters.street_code}`;
  try {
    let cached = trendCache.get(key);
    if (!cached || Date.now() - cached.at > TREND_TTL_MS) {
      cached = { at: Date.now(), points: await TRENDS[trend.by](area, trend, filters, signal) };
      trendCache.set(key, cached);
    }
    replace(box, h('figcaption', {}, trend.title), lineChart(cached.points, { title: trend.title }));
  } catch (err) {
    if (err.name === 'AbortError') return;
    replace(box, h('figcaption', {}, trend.title), h('p', { class: 'muted' }, `趋势暂不可用：${explain(err)}`));
  }
}
