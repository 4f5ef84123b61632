// 查看完整信息: ID numbers and phones arrive masked from every service. Staff who need one (to call a patient,
// to check an identity) click 查看, pick or write why, and the service answers that one value and writes an
// audit row (who, which record and field, why). The value is only put on the page: never stored or cached.

import { explain, post } from './api.js';
import { h, replace } from './dom.js';

// Who may ask, per area (the services decide; this only spares others a button that would be refused).
const REVEALERS = { jobs: ['admin', 'jobs'], community: ['admin', 'community'], 'chronic-care': ['doctor'] };
export const REASONS = ['电话随访', '核对身份办理业务', '紧急联系本人', '其他（请说明）'];
const OTHER = REASONS[REASONS.length - 1];
const MIN_REASON = 4; // the services refuse shorter reasons

export function canReveal(roles, area) {
  return roles.some((r) => (REVEALERS[area] || []).includes(r));
}

/** The masked ``value`` with a 查看 button (when ``allowed``) that reveals ``field`` through ``path``. */
export function revealable(value, { path, field, label, allowed }) {
  if (value === null || value === undefined || value === '') return '—';
  const shown = h('span', { class: 'masked-value', 'data-field': field }, value);
  if (!allowed) return shown;
  const box = h('span', { class: 'revealable' }, shown);
  const open = h('button', { type: 'button', class: 'link-button', 'aria-label': `查看完整${label}` }, '查看');
  open.addEventListener('click', () => replace(box, shown, reasonForm({ path, field, label, shown, box, open })));
  box.append(open);
  return box;
}

function reasonForm({ path, field, label, shown, box, open }) {
  const choice = h('select', { name: 'reason', 'aria-label': '查看原因' }, REASONS.map((r) => h('option', { value: r }, r)));
  const detail = h('input', { name: 'detail', maxlength: 150, placeholder: '补充说明（选“其他”时必填）', 'aria-label': '原因说明' });
  const error = h('span', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, '确认查看');
  const cancel = h('button', { type: 'button' }, '取消');
  const form = h('form', { class: 'reveal-form' }, choice, detail, submit, cancel, error,
    h('small', { class: 'muted' }, `查看${label}将记入审计日志（查看人、记录、字段、原因）`));
  cancel.addEventListener('click', () => replace(box, shown, open));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const extra = detail.value.trim();
    const reason = choice.value === OTHER ? extra : [choice.value, extra].filter(Boolean).join('：');
    if (reason.length < MIN_REASON) {
      error.textContent = `请说明查看原因（至少 ${MIN_REASON} 个字）`;
      return;
    }
    submit.disabled = true;
    try {
      const answer = await post(path, { field, reason });
      replace(box, h('span', { class: 'revealed-value', 'data-field': field }, answer.value ?? '—'));
    } catch (err) {
      error.textContent = explain(err);
      submit.disabled = false;
    }
  });
  return form;
}
