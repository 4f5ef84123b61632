// 实时告警: home-safety work orders in lanes by status, kept current by the community service's live feed
// (server-sent events through the gateway). A worker moves an order on from its card: acknowledge,
// dispatch, arrive, resolve, review. If the stream cannot be opened the board says so and polls instead.

import { canAct } from '../access.js';
import { BASE, explain, get, post } from '../api.js';
import { h, replace } from '../dom.js';
import { ago, clock } from '../format.js';
import { describe } from '../feed-text.js';
import { CATEGORY, DEVICE, name, ORDER_STATUS, person, RESOLUTION, SEVERITY } from '../labels.js';
import { places } from '../places.js';
import { openStream } from '../sse.js';

const LANES = [
  { id: 'raised', title: '待响应', statuses: ['raised'], cap: 50 },
  { id: 'acknowledged', title: '已接单', statuses: ['acknowledged'], cap: 20 },
  { id: 'working', title: '处置中', statuses: ['dispatched', 'on_site'], cap: 20 },
  { id: 'resolved', title: '已办结待回访', statuses: ['resolved'], cap: 6 },
];
const POLL_MS = 4000;
const RESYNC_MS = 60_000;
const FEED_MAX = 60;
const LIVE_TEXT = {
  connecting: '连接中…', open: '实时', reconnecting: '重新连接中…', polling: '轮询更新（实时通道不可用）',
  denied: '无权订阅实时消息', closed: '已断开',
};

export function render(main, ctx) {
  const writer = canAct(ctx.roles, 'community');
  const orders = new Map();
  const drafts = new Map(); // what a worker typed on a card survives the card being redrawn by an event
  const fresh = new Set();
  let names = new Map();
  const live = h('span', { class: 'live', 'data-testid': 'live-state', 'aria-live': 'polite' }, LIVE_TEXT.connecting);
  const lanes = Object.fromEntries(LANES.map((lane) => [lane.id, h('ol', { 'data-lane': lane.id })]));
  const counts = Object.fromEntries(LANES.map((lane) => [lane.id, h('b', {}, '0')]));
  const feed = h('ol', { class: 'feed', 'data-testid': 'feed' });
  main.append(
    h('div', { class: 'toolbar' }, h('h2', {}, '实时告警与工单'), live),
    h('div', { class: 'board-layout' },
      h('section', { class: 'panel' }, h('div', { class: 'columns-board', 'data-testid': 'board' },
        LANES.map((lane) => h('div', { class: 'lane' }, h('h3', {}, lane.title, counts[lane.id]), lanes[lane.id])))),
      h('aside', { class: 'panel' }, h('h3', {}, '动态'), feed)));

  const controller = new AbortController();
  const { signal } = controller;

  function laneOf(order) {
    return LANES.find((lane) => lane.statuses.includes(order.status));
  }

  const changedAt = (o) => new Date(o.steps?.at(-1)?.at || o.raised_at).getTime();

  function draw() {
    for (const lane of LANES) {
      // Waiting orders: the longest-waiting first. Others: the latest change first, and only the most recent
      // few (a wall shows what is moving; the full history is in the records).
      const items = [...orders.values()].filter((o) => laneOf(o)?.id === lane.id)
        .sort((a, b) => (lane.id === 'raised' ? changedAt(a) - changedAt(b) : changedAt(b) - changedAt(a)));
      const shown = items.slice(0, lane.cap);
      replace(lanes[lane.id], shown.length ? shown.map(card) : h('li', { class: 'empty-note' }, '暂无'),
        items.length > shown.length ? h('li', { class: 'empty-note' }, `另有 ${items.length - shown.length} 单`) : null);
      counts[lane.id].textContent = String(items.length);
    }
  }

  function upsert(order) {
    if (orders.get(order.id)?.status !== order.status) drafts.delete(order.id);
    if (order.status === 'reviewed') orders.delete(order.id);
    else orders.set(order.id, order);
  }

  let synced = false;
  async function resync() {
    try {
      const [open, resolved] = await Promise.all([
        get('community/work-orders', { open: 'true', limit: 200 }, { signal }),
        get('community/work-orders', { status: 'resolved', limit: 50 }, { signal }),
      ]);
      const before = new Map(orders);
      orders.clear();
      [...open.items, ...resolved.items].forEach(upsert);
      if (synced && pollTimer) logChanges(before); // the stream tells what happened; polling has to compare
      synced = true;
      draw();
    } catch (err) {
      if (err.name !== 'AbortError') ctx.toast(explain(err), 'bad');
    }
  }

  async function refresh(id) {
    try {
      upsert(await get(`community/work-orders/${id}`, {}, { signal }));
      fresh.add(id);
      draw();
      fresh.delete(id);
    } catch (err) {
      if (err.name !== 'AbortError' && err.status === 404) { orders.delete(id); draw(); }
    }
  }

  function log(message) {
    feed.prepend(h('li', { 'data-kind': message.kind }, h('time', {}, clock(new Date(message.at || Date.now()))), describe(message, names)));
    while (feed.children.length > FEED_MAX) feed.lastChild.remove();
  }

  function logChanges(before) {
    for (const order of orders.values()) {
      const old = before.get(order.id);
      if (old && old.status === order.status && old.alert_count === order.alert_count) continue;
      fresh.add(order.id);
      const kind = !old ? 'alert.raised' : old.status !== order.status ? `workorder.${order.status}` : 'alert.repeated';
      log({ kind, at: new Date().toISOString(), community_code: order.community_code,
        data: { device_type: order.device_type, severity: order.severity, kind_of_alert: 'alarm' } });
    }
    setTimeout(() => fresh.clear(), 0);
  }

  function onEvent(event) {
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    log(message);
    const id = message.data?.work_order_id;
    if (id) refresh(id);
  }

  // Polling: only while the stream is not open (a proxy that buffers, a network that drops streams).
  let pollTimer = null;
  function polling(on) {
    if (on && !pollTimer) pollTimer = setInterval(resync, POLL_MS);
    if (!on && pollTimer) { clearInterval(pollTimer); pollTimer = null; }
  }

  function onState(state) {
    const shown = state === 'unsupported' || (state === 'reconnecting' && pollTimer) ? 'polling' : state;
    live.className = `live ${shown}`;
    live.dataset.state = shown;
    live.textContent = LIVE_TEXT[shown] || state;
    if (state === 'open') {
      polling(false);
      setTimeout(resync, 500); // what changed between the first list and the stream's start
    } else if (state === 'unsupported' || state === 'reconnecting') {
      polling(true);
    }
  }

  function card(order) {
    const overdue = order.status === 'raised' && order.ack_due_at && new Date(order.ack_due_at) < new Date();
    const classes = ['order', `sev-${order.severity}`, overdue ? 'overdue' : '', fresh.has(order.id) ? 'fresh' : ''].join(' ');
    return h('li', { class: classes, 'data-order': order.id, 'data-status': order.status },
      h('div', { class: 'order-head' },
        h('a', { class: 'order-title', href: `#/record/work-order/${order.id}` }, `${name(DEVICE, order.device_type)}${name(CATEGORY, order.category)}`),
        h('span', { class: `pill ${order.severity === 'critical' || order.severity === 'high' ? 'bad' : ''}` }, `${name(SEVERITY, order.severity)}级`)),
      h('div', { class: 'order-meta' },
        h('span', {}, names.get(order.community_code) || order.community_code),
        h('span', {}, `${ago(order.raised_at)}告警`),
        order.alert_count > 1 ? h('span', {}, `共 ${order.alert_count} 次`) : null,
        h('span', { 'data-testid': 'order-status' }, name(ORDER_STATUS, order.status)),
        order.assignee ? h('span', {}, `负责：${person(order.assignee)}`) : null,
        order.responder ? h('span', {}, `处置：${order.responder}`) : null,
        order.escalation_level ? h('span', { class: 'pill bad' }, `已升级 ${order.escalation_level} 级`) : null,
        overdue ? h('span', { class: 'pill bad' }, '响应超时') : null,
        order.resolution ? h('span', {}, name(RESOLUTION, order.resolution)) : null),
      writer ? actions(order) : null);
  }

  function draft(order, field, control) {
    const saved = drafts.get(order.id)?.[field];
    if (saved !== undefined) control.value = saved;
    control.addEventListener('input', () => drafts.set(order.id, { ...drafts.get(order.id), [field]: control.value }));
    return control;
  }

  function actions(order) {
    const box = h('div', { class: 'order-actions' });
    const act = (verb, body, label, cls = '') => h('button', {
      type: 'button', class: cls, 'data-action': verb,
      onclick: async (e) => {
        const button = e.currentTarget;
        box.querySelectorAll('button').forEach((b) => { b.disabled = true; });
        try {
          upsert(await post(`community/work-orders/${order.id}/${verb}`, typeof body === 'function' ? body() : body));
          ctx.toast(`${label}：已完成`, 'ok');
          draw();
        } catch (err) {
          ctx.toast(explain(err), 'bad');
          box.querySelectorAll('button').forEach((b) => { b.disabled = false; });
          button.focus();
        }
      },
    }, label);
    if (order.status === 'raised') box.append(act('acknowledge', {}, '确认接单', 'primary'));
    if (order.status === 'acknowledged') {
      const responder = draft(order, 'responder', h('input', { name: 'responder', placeholder: '处置人员（如网格员）', 'aria-label': '处置人员', maxlength: 120 }));
      box.append(responder, act('dispatch', () => ({ responder: responder.value.trim() || ctx.session.username }), '派单', 'primary'),
        act('resolve', { resolution: 'false_alarm' }, '误报办结'));
    }
    if (order.status === 'dispatched') box.append(act('arrive', {}, '已到场', 'primary'));
    if (order.status === 'on_site') {
      const resolution = draft(order, 'resolution', h('select', { name: 'resolution', 'aria-label': '处置结果' },
        ['handled', 'device_replaced', 'referred_to_hospital', 'fire_service'].map((r) => h('option', { value: r }, RESOLUTION[r]))));
      box.append(resolution, act('resolve', () => ({ resolution: resolution.value }), '办结', 'primary'));
    }
    if (order.status === 'resolved') {
      const rating = draft(order, 'rating', h('select', { name: 'rating', 'aria-label': '回访评分' }, [5, 4, 3, 2, 1].map((n) => h('option', { value: n }, `${n} 分`))));
      box.append(rating, act('review', () => ({ rating: Number(rating.value) }), '回访评价'));
    }
    return box;
  }

  places().then((p) => { names = p.names; draw(); });
  resync();
  const stream = openStream(`${BASE}/community/feed/stream`, { onEvent, onState });
  const resyncTimer = setInterval(resync, RESYNC_MS);
  const tick = setInterval(draw, 30_000); // "n 分钟前" and overdue marks age
  return () => {
    stream.close();
    polling(false);
    clearInterval(resyncTimer);
    clearInterval(tick);
    controller.abort();
  };
}
