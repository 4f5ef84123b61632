import { h } from '../dom.js';

export function render(main) {
  main.append(h('p', { class: 'muted' }, '建设中'));
  return null;
}
