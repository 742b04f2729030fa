import { get } from './api.js';
import { withRange } from './timerange.js';
import { clear, emptyFor, filterForm, formatDuration, formatTime, h, link, table } from './ui.js';

export async function renderUsers(root, _parameters, query, navigate) {
  const { users } = await get('/v1/query/users', withRange({ app: query.get('app'), limit: 200 }));
  clear(root, h('h1', {}, 'Users'), filterForm([{ name: 'app', label: 'App' }], query, navigate),
    table([
      { label: 'User', value: (user) => link(`/sessions?user=${encodeURIComponent(user.user_id)}`, user.user_id) },
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

export async function renderSessions(root, _parameters, query, navigate) {
  const { sessions } = await get('/v1/query/sessions', withRange({ app: query.get('app'), user: query.get('user'), limit: 200 }));
  clear(root, h('h1', {}, 'Sessions'), filterForm([{ name: 'app', label: 'App' }, { name: 'user', label: 'User' }], query, navigate),
    table([
      { label: 'Session', value: (session) => link(`/sessions/${encodeURIComponent(session.session_id)}`, session.session_id) },
      { label: 'User', value: (session) => session.user_id || '—' },
      { label: 'Started', value: (session) => formatTime(session.started_at) },
      { label: 'Duration', value: (session) => formatDuration(session.duration_ms), numeric: true },
      { label: 'Events', value: (session) => session.event_count, numeric: true },
      { label: 'Errors', value: (session) => session.error_count, numeric: true },
      { label: 'Replay', value: (session) => session.chunk_count ? `${session.chunk_count} chunk${session.chunk_count === 1 ? '' : 's'}` : '—' },
      { label: 'Entry', value: (session) => session.entry_url || '' },
    ], sessions, emptyFor(query, 'No sessions yet')));
}
