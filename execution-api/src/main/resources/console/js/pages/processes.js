import { api } from '../api.js';
import { h, show, when } from '../dom.js';

const STATUSES = ['RUNNING', 'WAITING', 'COMPLETED', 'ERROR', 'CANCELLED'];

/** Processes, newest first, filtered by status, definition and start time, a page at a time. */
export async function processesPage() {
  const definitions = (await api('/api/v1/definitions?limit=500')).definitions;
  const status = select('status', 'Status', [['', 'Any'], ...STATUSES.map((s) => [s, s])]);
  const definition = select('definition', 'Definition', [['', 'Any'], ...definitions.map((d) => [d.id, d.name])]);
  const after = dateInput('created-after', 'Created after');
  const before = dateInput('created-before', 'Created before');
  const filters = h(
    'form',
    { class: 'filters', 'aria-label': 'Filters' },
    status.field,
    definition.field,
    after.field,
    before.field,
    h('button', { type: 'submit' }, 'Apply filters'),
  );
  const body = h('tbody');
  const table = h(
    'table',
    {},
    h('caption', {}, 'Processes'),
    h('thead', {}, h('tr', {}, ['Process', 'Definition', 'Status', 'Started'].map((c) => h('th', { scope: 'col' }, c)))),
    body,
  );
  const more = h('button', { type: 'button', hidden: true }, 'Next page');
  const names = new Map(definitions.map((d) => [d.id, d.name]));
  let next = null;
  const load = async (cursor) => {
    const query = new URLSearchParams({ limit: '25' });
    if (status.input.value) query.set('status', status.input.value);
    if (definition.input.value) query.set('definitionId', definition.input.value);
    if (after.input.value) query.set('createdAfter', new Date(after.input.value).toISOString());
    if (before.input.value) query.set('createdBefore', new Date(before.input.value).toISOString());
    if (cursor) query.set('cursor', cursor);
    const page = await api(`/api/v1/processes?${query}`);
    if (!cursor) body.replaceChildren();
    for (const process of page.processes) {
      body.append(
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: `#/processes/${process.id}` }, process.id.slice(0, 8))),
          h('td', {}, names.get(process.definitionId) || process.definitionId),
          h('td', {}, h('span', { class: `status ${process.status.toLowerCase()}` }, process.status)),
          h('td', {}, when(process.createdAt)),
        ),
      );
    }
    if (!body.children.length) body.append(h('tr', {}, h('td', { colspan: 4 }, 'No process matches.')));
    next = page.next;
    more.hidden = !next;
  };
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    load(null);
  });
  more.addEventListener('click', () => load(next));
  show(h('h1', {}, 'Processes'), filters, h('div', { class: 'table-wrap' }, table), more);
  await load(null);
}

function select(id, label, options) {
  const input = h('select', { id }, options.map(([value, text]) => h('option', { value }, text)));
  return { input, field: h('div', { class: 'field' }, h('label', { for: id }, label), input) };
}

function dateInput(id, label) {
  const input = h('input', { id, type: 'datetime-local' });
  return { input, field: h('div', { class: 'field' }, h('label', { for: id }, label), input) };
}
