// Issues: triage by status tab, kind, search and sort; change one or many at once.
import { get, patch } from './api.js';
import { withRange } from './timerange.js';
import { badge, clear, emptyState, formatNumber, formatTime, h, kindLabel, table } from './ui.js';

const statuses = [['unresolved', 'Unresolved'], ['ticket_created', 'Ticket created'], ['transient', 'Transient'], ['resolved', 'Resolved']];
export const statusLabel = (status) => (statuses.find(([value]) => value === status) || [status, status])[1];

export function statusPicker(issue, onChange) {
  const select = h('select', { 'aria-label': `Status of ${issue.title}` },
    statuses.map(([status, label]) => h('option', { value: status, selected: status === issue.status }, label)));
  select.addEventListener('change', async () => {
    const updated = await patch(`/v1/issues/${issue.id}`, { status: select.value });
    onChange(updated.issue);
  });
  return select;
}

const sorts = [['newest', 'Newest'], ['last_seen', 'Last seen'], ['events', 'Most events'], ['users', 'Most users']];
const kinds = ['', 'error', 'rage_click', 'dead_click', 'missed_heartbeat', 'slow_endpoint'];

export async function renderIssues(root, parameters, query, navigate) {
  const status = query.get('status') ?? 'unresolved';
  const kind = query.get('kind') || '';
  const search = query.get('q') || '';
  const sort = query.get('sort') || 'newest';
  const { issues, counts } = await get('/v1/issues', withRange({ status: status || undefined, kind, q: search, sort, limit: 200 }));
  const rerender = () => renderIssues(root, parameters, query, navigate);
  // Each link keeps the other choices.
  const href = (changes) => {
    const next = new URLSearchParams(location.search);
    for (const [name, value] of Object.entries(changes)) next.set(name, value);
    for (const [name, value] of [...next]) if (value === '' && name !== 'status') next.delete(name);
    return `/issues?${next}`;
  };
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  const tab = (value, label, count) => h('a', { href: href({ status: value }), class: value === status ? 'active' : '', 'aria-current': value === status ? 'page' : null },
    `${label} `, h('span', { class: 'count' }, formatNumber(count)));
  const selected = new Set();
  const bulk = bulkBar(selected, rerender);
  const searchForm = h('form', { class: 'filters', role: 'search' },
    h('label', {}, 'Search titles and culprits', h('input', { name: 'q', type: 'search', value: search, size: 28 })),
    h('label', {}, 'Sort', h('select', { name: 'sort' }, sorts.map(([value, label]) => h('option', { value, selected: value === sort }, label)))),
    h('button', { class: 'primary', type: 'submit' }, 'Apply'));
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(href({ q: searchForm.elements.q.value.trim(), sort: searchForm.elements.sort.value === 'newest' ? '' : searchForm.elements.sort.value }));
  });
  clear(root, h('h1', {}, 'Issues'),
    h('p', { class: 'tabs' }, statuses.map(([value, label]) => [tab(value, label, counts[value]), ' ']), tab('', 'All', total)),
    h('p', { class: 'tabs kinds' }, kinds.map((value) => [h('a', { href: href({ kind: value }), class: value === kind ? 'active' : '' }, value ? kindLabel(value) : 'Every kind'), ' '])),
    searchForm, bulk.element,
    table([
      { label: h('input', { type: 'checkbox', 'aria-label': 'Select every issue shown', onchange: (event) => bulk.selectAll(event.target.checked) }),
        value: (issue) => bulk.checkbox(issue) },
      { label: 'Issue', value: (issue) => h('div', {}, h('a', { href: `/issues/${issue.id}` }, issue.title), h('div', { class: 'muted' }, `${kindLabel(issue.kind)} · ${issue.projectSlug}${issue.culprit ? ' · ' + issue.culprit : ''}`)) },
      { label: 'Events', value: (issue) => formatNumber(issue.count), numeric: true },
      { label: 'Users', value: (issue) => formatNumber(issue.userCount), numeric: true },
      { label: 'Last seen', value: (issue) => formatTime(issue.lastSeen) },
      { label: 'Priority', value: (issue) => badge(issue.priority, issue.priority === 'critical' || issue.priority === 'high' ? 'error' : 'warning') },
      // A changed status can move the issue out of this tab: show the list again.
      { label: 'Status', value: (issue) => statusPicker(issue, rerender) },
    ], issues, search || kind || status !== 'unresolved'
      ? emptyState('Nothing matches', h('p', {}, h('a', { href: '/issues' }, 'Show the unresolved issues')))
      : emptyState('No unresolved issues', h('p', { class: 'muted' },
        'Errors from every SDK group into issues, as do rage and dead clicks in replays, missed cron runs and slower endpoints.'))));
}

/// Checkboxes on the rows, and a bar that changes every checked issue's status at once.
function bulkBar(selected, done) {
  const boxes = [];
  const label = h('span', { role: 'status' });
  const buttons = statuses.map(([status, name]) => h('button', { type: 'button', 'data-status': status, onclick: async () => {
    for (const id of selected) await patch(`/v1/issues/${id}`, { status });
    done();
  } }, `Mark ${name.toLowerCase()}`));
  const element = h('div', { class: 'bulk', hidden: true }, label, ...buttons);
  const update = () => {
    element.hidden = selected.size === 0;
    label.textContent = `${selected.size} selected`;
  };
  return {
    element,
    checkbox(issue) {
      const box = h('input', { type: 'checkbox', 'aria-label': `Select ${issue.title}`, value: issue.id });
      box.addEventListener('change', () => {
        if (box.checked) selected.add(issue.id); else selected.delete(issue.id);
        update();
      });
      boxes.push(box);
      return box;
    },
    selectAll(checked) {
      for (const box of boxes) {
        box.checked = checked;
        if (checked) selected.add(box.value); else selected.delete(box.value);
      }
      update();
    },
  };
}
