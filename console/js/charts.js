// Hand-written SVG charts: a trend line, a stacked status bar, a progress meter and columns. They scale
// with their box (viewBox) and take their colours from CSS classes, so the wall display and the phone share
// one drawing. Every chart carries a text equivalent (<title>, aria-label, legend) for screen readers.

import { h, s } from './dom.js';
import { number } from './format.js';

const W = 320;
const H = 150;
const PAD = { top: 18, right: 14, bottom: 24, left: 40 };

function niceMax(max) {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const steps = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
  return steps.map((f) => f * magnitude).find((v) => v >= max) || max;
}

function shortNumber(v) {
  if (Math.abs(v) >= 1e8) return `${number(v / 1e8, 1)}亿`;
  if (Math.abs(v) >= 1e4) return `${number(v / 1e4, 1)}万`;
  return number(v, 1);
}

/** A trend line over periods: points = [{label, value}] (value null = no data for that period). */
export function lineChart(points, { title = '', format = number, className = '' } = {}) {
  const values = points.map((p) => (p.value === null || p.value === undefined ? null : Number(p.value)));
  const known = values.filter((v) => v !== null);
  const top = niceMax(Math.max(0, ...known));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i) => PAD.left + (points.length <= 1 ? plotW / 2 : (i * plotW) / (points.length - 1));
  const y = (v) => PAD.top + plotH - (v / top) * plotH;
  const summary = points.map((p, i) => `${p.label} ${values[i] === null ? '无数据' : format(values[i])}`).join('，');
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: `chart line ${className}`, role: 'img', 'aria-label': `${title}：${summary}` },
    s('title', {}, `${title}：${summary}`));
  for (let k = 0; k <= 2; k += 1) {
    const v = (top * k) / 2;
    svg.append(s('line', { class: 'grid', x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }),
      s('text', { class: 'axis', x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, shortNumber(v)));
  }
  // Runs of known values are drawn as separate segments: a gap means "no data", not zero.
  let run = [];
  const runs = [];
  values.forEach((v, i) => {
    if (v === null) { if (run.length) runs.push(run); run = []; } else run.push([x(i), y(v)]);
  });
  if (run.length) runs.push(run);
  for (const r of runs) {
    const d = r.map(([px, py], i) => `${i ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
    if (r.length > 1) {
      svg.append(s('path', { class: 'area', d: `${d} L${r[r.length - 1][0].toFixed(1)},${y(0)} L${r[0][0].toFixed(1)},${y(0)} Z` }));
    }
    svg.append(s('path', { class: 'stroke', d }));
  }
  const every = Math.max(1, Math.ceil(points.length / 6));
  points.forEach((p, i) => {
    if (values[i] !== null) {
      svg.append(s('circle', { class: 'dot', cx: x(i), cy: y(values[i]), r: points.length > 20 ? 1.5 : 2.6 },
        s('title', {}, `${p.label}：${format(values[i])}`)));
    }
    if (i % every === 0 || i === points.length - 1) {
      svg.append(s('text', { class: 'axis', x: x(i), y: H - 6, 'text-anchor': 'middle' }, p.label));
    }
  });
  const lastIndex = values.map((v, i) => (v === null ? -1 : i)).filter((i) => i >= 0).pop();
  if (lastIndex !== undefined) {
    svg.append(s('text', { class: 'last', x: Math.min(x(lastIndex), W - PAD.right), y: y(values[lastIndex]) - 7, 'text-anchor': 'end' },
      format(values[lastIndex])));
  }
  return svg;
}

/** A stacked bar of statuses with a legend: segments = [{label, value, tone}]. */
export function statusBar(segments, { title = '', format = number } = {}) {
  const total = segments.reduce((sum, seg) => sum + Number(seg.value || 0), 0);
  const summary = segments.map((seg) => `${seg.label} ${format(seg.value)}`).join('，');
  const svg = s('svg', { viewBox: '0 0 100 8', preserveAspectRatio: 'none', class: 'chart bar', role: 'img', 'aria-label': `${title}：${summary}` },
    s('title', {}, `${title}：${summary}`));
  let offset = 0;
  if (total === 0) svg.append(s('rect', { class: 'empty', x: 0, y: 0, width: 100, height: 8 }));
  segments.forEach((seg, i) => {
    const width = total ? (Number(seg.value || 0) / total) * 100 : 0;
    if (width > 0) {
      svg.append(s('rect', { class: `seg ${seg.tone || `tone-${i % 6}`}`, x: offset, y: 0, width, height: 8 },
        s('title', {}, `${seg.label}：${format(seg.value)}`)));
    }
    offset += width;
  });
  const legend = h('ul', { class: 'legend' }, segments.map((seg, i) => h('li', {},
    h('span', { class: `swatch ${seg.tone || `tone-${i % 6}`}`, 'aria-hidden': 'true' }),
    h('span', { class: 'legend-label' }, seg.label),
    h('b', {}, format(seg.value)))));
  return h('figure', { class: 'status-bar' }, title ? h('figcaption', {}, title) : null, svg, legend);
}

/** Progress toward a target, or a rate (0..1). */
export function meter(value, max, { label = '', text = '' } = {}) {
  const ratio = max > 0 ? Math.max(0, Math.min(1, Number(value) / max)) : 0;
  const svg = s('svg', { viewBox: '0 0 100 6', preserveAspectRatio: 'none', class: 'chart meter', role: 'img', 'aria-label': `${label} ${text}` },
    s('rect', { class: 'track', x: 0, y: 0, width: 100, height: 6, rx: 3 }),
    s('rect', { class: 'fill', x: 0, y: 0, width: ratio * 100, height: 6, rx: 3 }));
  return h('figure', { class: 'meter-box' }, h('figcaption', {}, h('span', {}, label), h('b', {}, text)), svg);
}

/** Columns for a few categories: items = [{label, value}]. */
export function columns(items, { title = '', format = number } = {}) {
  const top = niceMax(Math.max(0, ...items.map((i) => Number(i.value || 0))));
  const plotH = H - PAD.top - PAD.bottom;
  const slot = (W - PAD.left - PAD.right) / Math.max(1, items.length);
  const summary = items.map((i) => `${i.label} ${format(i.value)}`).join('，');
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart columns', role: 'img', 'aria-label': `${title}：${summary}` },
    s('title', {}, `${title}：${summary}`));
  items.forEach((item, i) => {
    const v = Number(item.value || 0);
    const barH = (v / top) * plotH;
    const bx = PAD.left + i * slot + slot * 0.18;
    svg.append(s('rect', { class: `col tone-${i % 6}`, x: bx, y: PAD.top + plotH - barH, width: slot * 0.64, height: Math.max(barH, 0.5) },
      s('title', {}, `${item.label}：${format(v)}`)),
    s('text', { class: 'last', x: bx + slot * 0.32, y: PAD.top + plotH - barH - 4, 'text-anchor': 'middle' }, shortNumber(v)),
    s('text', { class: 'axis', x: bx + slot * 0.32, y: H - 6, 'text-anchor': 'middle' }, item.label));
  });
  svg.append(s('line', { class: 'grid', x1: PAD.left, x2: W - PAD.right, y1: PAD.top + plotH, y2: PAD.top + plotH }));
  return svg;
}
