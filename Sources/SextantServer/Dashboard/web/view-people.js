import { get } from './api.js';
import { withRange } from './timerange.js';
import { clear, emptyFor, emptyState, filterForm, formatDuration, formatTime, h, link, plural, table } from './ui.js';

export async function renderUsers(root, _parameters, query, navigate) {
  const { users } = await get('/v1/query/users', withRange({ app: query.get('app'), limit: 200 }));
  clear(root, h('h1', {}, 'Users'), filterForm([{ name: 'app', label: 'App' }], query, navigate),
    table([
      { label: 'User', value: (user) => link(`/users/${encodeURIComponent(user.user_id)}?app=${encodeURIComponent(user.app)}`, user.user_id) },
      { label: 'App', value: (user) => user.app },
      { label: 'Properties', value: (user) => propertySummary(user.properties) },
      { label: 'Sessions', value: (user) => user.session_count, numeric: true },
      { label: 'Last seen', value: (user) => formatTime(user.last_seen) },
    ], users, emptyFor(query, 'No users yet')));
}

// The first few properties a client set on the user ($set / $set_once), as `key: value`.
function propertySummary(properties) {
  const entries = Object.entries(properties || {}).filter(([key]) => !key.startsWith('$'));
  return entries.slice(0, 3).map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : value}`).join(', ');
}

const sessionFilters = ['app', 'user', 'has_replay', 'has_errors', 'min_duration', 'url', 'device', 'browser'];
const either = (yes, no) => [['', 'either'], ['true', yes], ['false', no]];

export async function renderSessions(root, _parameters, query, navigate) {
  const filters = Object.fromEntries(sessionFilters.map((name) => [name, query.get(name)]));
  const { sessions } = await get('/v1/query/sessions', withRange({ ...filters, limit: 200 }));
  clear(root, h('h1', {}, 'Sessions'),
    filterForm([
      { name: 'app', label: 'App' }, { name: 'user', label: 'User' },
      { name: 'has_replay', label: 'Replay', options: either('with a replay', 'without') },
      { name: 'has_errors', label: 'Errors', options: either('with errors', 'without') },
      { name: 'min_duration', label: 'At least (seconds)', size: 6 },
      { name: 'url', label: 'Visited a URL containing', placeholder: '/checkout' },
      { name: 'device', label: 'Device', options: [['', 'any'], ['desktop', 'desktop'], ['mobile', 'mobile'], ['tablet', 'tablet']] },
      { name: 'browser', label: 'Browser', placeholder: 'Chrome', size: 8 },
    ], query, navigate),
    sessionTable(sessions, emptyFor(query, 'No sessions yet')));
}

function sessionTable(sessions, empty) {
  return table([
    { label: 'Session', value: (session) => link(`/sessions/${encodeURIComponent(session.session_id)}`, session.session_id) },
    { label: 'User', value: (session) => session.user_id ? link(`/users/${encodeURIComponent(session.user_id)}?app=${encodeURIComponent(session.app)}`, session.user_id) : '—' },
    { label: 'Started', value: (session) => formatTime(session.started_at) },
    { label: 'Duration', value: (session) => formatDuration(session.duration_ms), numeric: true },
    { label: 'Events', value: (session) => session.event_count, numeric: true },
    { label: 'Errors', value: (session) => session.error_count, numeric: true },
    { label: 'Replay', value: (session) => session.chunk_count ? plural(session.chunk_count, 'chunk') : '—' },
    { label: 'Browser', value: (session) => session.browser ? `${session.browser} · ${session.os}` : '—' },
    { label: 'Device', value: (session) => session.device || '—' },
    { label: 'Entry', value: (session) => session.entry_url || '' },
  ], sessions, empty);
}

/// A person: what clients set on them, their sessions, their latest events and errors.
export async function renderUser(root, [id], query) {
  const app = query.get('app');
  const [{ users }, { sessions }, { events }, errors] = await Promise.all([
    get('/v1/query/users', { app, user: id, limit: 1 }),
    get('/v1/query/sessions', withRange({ app, user: id, limit: 50 })),
    get('/v1/query/events', withRange({ app, user: id, limit: 50 })),
    get('/v1/query/events', withRange({ app, user: id, type: 'error', limit: 20 })),
  ]);
  const person = users[0];
  if (!person) {
    clear(root, h('h1', {}, id), emptyState('No such user', h('p', {}, link('/users', 'Back to the users'))));
    return;
  }
  const properties = Object.entries(person.properties || {});
  clear(root, h('p', {}, link('/users', '← Users')), h('h1', {}, person.user_id),
    h('div', { class: 'grid' },
      h('section', { class: 'card' }, h('h2', {}, 'Person'),
        h('p', {}, `${person.app} · first seen ${formatTime(person.first_seen)} · last seen ${formatTime(person.last_seen)} · ${plural(person.session_count, 'session')}`),
        properties.length
          ? h('dl', { class: 'properties' }, properties.map(([key, value]) => [h('dt', {}, key), h('dd', {}, typeof value === 'object' ? JSON.stringify(value) : String(value))]))
          : h('p', { class: 'muted' }, 'No properties: SDKs set them with identify ($set, $set_once).')),
      h('section', { class: 'card' }, h('h2', {}, 'Errors'),
        errors.events.length
          ? h('ul', {}, errors.events.map((event) => h('li', {}, link(`/incidents/${event.id}`, event.name), ` ${formatTime(event.ts)}`)))
          : h('p', { class: 'muted' }, 'No errors in this range.'))),
    h('h2', {}, 'Sessions'), sessionTable(sessions, h('p', { class: 'muted' }, 'No sessions in this range.')),
    h('h2', {}, 'Latest events'),
    table([
      { label: 'Time', value: (event) => formatTime(event.ts) },
      { label: 'Event', value: (event) => event.type === 'pageview' ? event.url || event.name : event.name },
      { label: 'Type', value: (event) => event.type },
    ], events, h('p', { class: 'muted' }, 'No events in this range.')));
}
