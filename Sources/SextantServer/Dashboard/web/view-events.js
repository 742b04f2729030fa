import { get } from './api.js';
import { withRange } from './timerange.js';
import { clear, emptyFor, filterForm, formatTime, h, link, table } from './ui.js';

const columns = [
  { label: 'Time', value: (event) => formatTime(event.ts) },
  { label: 'Type', value: (event) => event.type },
  { label: 'Name', value: (event) => event.type === 'error' || event.type === 'bug_report' ? link(`/incidents/${event.id}`, event.name) : event.name },
  { label: 'User', value: (event) => event.user_id || '—' },
  { label: 'Session', value: (event) => event.session_id ? link(`/sessions/${encodeURIComponent(event.session_id)}`, event.session_id) : '—' },
  { label: 'App', value: (event) => event.app },
  { label: 'URL', value: (event) => event.url || '' },
  { label: 'Props', value: (event) => event.props ? h('code', {}, JSON.stringify(event.props).slice(0, 120)) : '' },
];

export async function renderEvents(root, _parameters, query, navigate) {
  const filters = Object.fromEntries(['type', 'name', 'name_contains', 'prop', 'user', 'session', 'app'].map((name) => [name, query.get(name)]));
  let events = (await get('/v1/query/events', withRange({ ...filters, limit: 200 }))).events;
  const list = h('div');
  const tail = h('input', { type: 'checkbox', id: 'tail' });
  const show = () => clear(list, table(columns, events, emptyFor(query, 'No events yet')));
  clear(root,
    h('h1', {}, 'Events'),
    filterForm([
      { name: 'type', label: 'Type', options: ['', 'event', 'pageview', 'error', 'network', 'bug_report'] },
      { name: 'name', label: 'Name is' }, { name: 'name_contains', label: 'Name contains' },
      { name: 'prop', label: 'Property (key=value)', placeholder: 'plan=pro' },
      { name: 'user', label: 'User' }, { name: 'session', label: 'Session' }, { name: 'app', label: 'App' },
    ], query, navigate),
    h('p', {}, h('label', {}, tail, ' Live tail (new events appear as they arrive)')),
    list);
  show();
  // Live tail: ask for what arrived since the newest event shown.
  const timer = setInterval(async () => {
    if (!tail.checked) return;
    const newest = events[0]?.ts ?? 0;
    const fresh = (await get('/v1/query/events', withRange({ ...filters, from: newest, limit: 200 })).catch(() => ({ events: [] }))).events;
    const known = new Set(events.map((event) => event.id));
    const added = fresh.filter((event) => !known.has(event.id));
    if (added.length) {
      events = [...added, ...events].slice(0, 500);
      show();
    }
  }, 2000);
  return () => clearInterval(timer);
}
