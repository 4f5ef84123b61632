// 工作清单: the lists a role works through. Each row opens its record; "加载更多" follows next_cursor.

import { worklistsFor } from '../access.js';
import { explain, get } from '../api.js';
import { h } from '../dom.js';
import { LISTS } from '../worklists-def.js';

const PAGE = 50;

export function render(main, ctx) {
  const mine = worklistsFor(ctx.roles);
  const current = mine.includes(ctx.params[0]) ? ctx.params[0] : mine[0];
  if (!current) {
    main.append(h('section', { class: 'panel' }, h('p', { class: 'empty-note' }, '您的角色没有工作清单。')));
    return null;
  }
  const def = LISTS[current];
  const tabs = h('nav', { class: 'tabs', 'aria-label': '工作清单' }, mine.map((id) => h('a', {
    href: `#/worklists/${id}`, class: id === current ? 'active' : '', 'aria-current': id === current ? 'page' : false,
  }, LISTS[id].title)));
  const body = h('tbody');
  const table = h('table', { class: 'list', 'data-testid': `worklist-${current}` },
    h('thead', {}, h('tr', {}, def.columns.map(([title, , cls]) => h('th', { class: cls === 'num' ? 'num' : '' }, title)))), body);
  const status = h('p', { class: 'muted', 'aria-live': 'polite' }, '加载中…');
  const more = h('button', { type: 'button', hidden: true }, '加载更多');
  main.append(tabs, h('section', { class: 'panel' },
    h('div', { class: 'toolbar' }, h('h2', {}, def.title), h('span', { class: 'muted' }, def.hint)),
    table, status, more));

  const controller = new AbortController();
  let cursor = null;
  let count = 0;
  async function load() {
    more.disabled = true;
    try {
      const page = await get(def.path, { ...def.query, limit: PAGE, cursor }, { signal: controller.signal });
      const items = page.items || [];
      for (const row of items) body.append(rowOf(def, row, ctx));
      count += items.length;
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
      status.textContent = count ? `共显示 ${count} 条${cursor ? '，还有更多' : ''}` : '暂无待办，清单已清空。';
    } catch (err) {
      if (err.name === 'AbortError') return;
      status.textContent = explain(err);
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', load);
  load();
  return () => controller.abort();
}

function rowOf(def, row, ctx) {
  const target = def.open(row);
  const cells = def.columns.map(([, value, cls], i) => {
    const text = value(row);
    // The first cell is a real link: keyboard and screen-reader users open the record with it.
    return h('td', { class: cls || '' }, i === 0 ? h('a', { href: target }, text ?? '—') : (text ?? '—'));
  });
  const flagged = def.flagged?.(row);
  if (flagged) cells[0].append(' ', h('span', { class: 'pill bad' }, typeof flagged === 'string' ? flagged : '重点'));
  return h('tr', { class: 'row', onclick: (e) => { if (e.target.tagName !== 'A') ctx.navigate(target); } }, cells);
}
