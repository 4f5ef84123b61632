// Numbers, money and times the way a reader in Hangzhou expects them (zh-CN, Asia/Shanghai). The API speaks
// UTC and integer fen; conversion happens only here, at display.

const TZ = 'Asia/Shanghai';
const int = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const dec = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });

export function number(value, digits) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return '—';
  const n = Number(value);
  if (digits !== undefined) return new Intl.NumberFormat('zh-CN', { maximumFractionDigits: digits }).format(n);
  return Number.isInteger(n) ? int.format(n) : dec.format(n);
}

/** Large counts the Chinese way: 33200 -> "3.32万", 1.1e9 -> "11亿". */
export function big(value) {
  const n = Number(value);
  if (!Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  if (abs >= 1e8) return `${number(n / 1e8, 2)}亿`;
  if (abs >= 1e4) return `${number(n / 1e4, 2)}万`;
  return number(n);
}

/** Integer fen -> yuan, large amounts in 万/亿. */
export function money(fen) {
  const n = Number(fen);
  if (!Number.isFinite(n)) return '—';
  return `${big(n / 100)}元`;
}

export function percent(rate) {
  const n = Number(rate);
  if (!Number.isFinite(n)) return '—';
  const value = n <= 1 ? n * 100 : n; // services give rates as 0..1 (or already as percent)
  return `${number(value, 1)}%`;
}

export function minutes(value) {
  const n = Number(value);
  if (!Number.isFinite(n)) return '—';
  if (n >= 120) return `${number(n / 60, 1)} 小时`;
  return `${number(n, 1)} 分钟`;
}

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  hour12: false,
});
const timeOnly = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const dateOnly = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateTime.format(d);
}

export function day(iso) {
  if (!iso) return '—';
  const d = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00+08:00`) : new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateOnly.format(d);
}

export function clock(date = new Date()) {
  return timeOnly.format(date);
}

/** "3 分钟前" style, for the live board. */
export function ago(iso, now = Date.now()) {
  const t = new Date(iso).getTime();
  if (!Number.isFinite(t)) return '—';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} 秒前`;
  if (s < 3600) return `${Math.floor(s / 60)} 分钟前`;
  if (s < 86400) return `${Math.floor(s / 3600)} 小时前`;
  return `${Math.floor(s / 86400)} 天前`;
}
