// Cron monitors: their health, how to ping them, their runs; create, pause and delete.
import { get, patch, post, remove } from './api.js';
import { actionForm, confirmButton, copyable, fromFile, settingsNav } from './forms.js';
import { badge, clear, emptyState, formatDuration, formatRelative, formatTime, h, link, table } from './ui.js';

export async function renderMonitors(root) {
  const [{ monitors }, { projects }] = await Promise.all([get('/v1/monitors'), get('/v1/settings/projects')]);
  const rerender = () => renderMonitors(root);
  clear(root, h('h1', {}, 'Cron monitors'), settingsNav('/monitors'),
    actionForm('New monitor', [
      { name: 'app', label: 'Project', options: projects.map((project) => project.slug) },
      { name: 'slug', label: 'Slug (the job sends it)', placeholder: 'nightly-backup', required: true },
      { name: 'schedule', label: 'Schedule: cron in UTC, or 5m / 2h / 1d', placeholder: '0 3 * * *', required: true },
      { name: 'grace_seconds', label: 'Grace (seconds)', type: 'number', value: '300', size: 8 },
    ], 'Create monitor', (values) => post('/v1/settings/monitors', { ...values, grace_seconds: Number(values.grace_seconds || 300) }), rerender),
    table([
      { label: 'Monitor', value: (monitor) => h('div', {}, link(`/monitors/${monitor.id}`, monitor.slug), h('div', { class: 'muted' }, monitor.app)) },
      { label: 'Status', value: (monitor) => badge(monitor.status) },
      { label: 'Schedule', value: (monitor) => h('code', {}, monitor.schedule) },
      { label: 'Last ping', value: (monitor) => lastPing(monitor) },
      { label: 'Last run', value: (monitor) => formatDuration(monitor.last_duration_ms), numeric: true },
      { label: 'Next run', value: (monitor) => nextRun(monitor) },
      { label: '', value: (monitor) => actions(monitor, rerender) },
    ], monitors, emptyState('No monitors yet', h('p', { class: 'muted' }, 'Create one above, then ping it from the job.'))));
}

function lastPing(monitor) {
  if (!monitor.last_ping_at) return 'never';
  return h('span', { title: formatTime(monitor.last_ping_at) }, `${formatRelative(monitor.last_ping_at)} (${monitor.last_status})`);
}

/// When the next run is due, or how long the missed one has been overdue.
function nextRun(monitor) {
  if (monitor.status === 'paused') return `paused ${formatRelative(monitor.paused_at)}`;
  if (!monitor.next_expected_at) return '—';
  const when = h('span', { title: formatTime(monitor.next_expected_at) }, formatRelative(monitor.next_expected_at));
  return monitor.next_expected_at < Date.now() ? h('span', {}, 'was due ', when) : when;
}

/// Pause or resume, and delete; `deleted` runs after a delete (the list re-renders, a detail page leaves).
function actions(monitor, rerender, deleted = rerender) {
  const paused = monitor.status === 'paused';
  const toggle = h('button', { type: 'button' }, paused ? 'Resume' : 'Pause');
  toggle.addEventListener('click', async () => { await patch(`/v1/settings/monitors/${monitor.id}`, { paused: !paused }); rerender(); });
  return h('span', { class: 'actions' }, toggle, ' ',
    fromFile(monitor.source) || confirmButton('Delete', async () => { await remove(`/v1/settings/monitors/${monitor.id}`); deleted(); }));
}

export async function renderMonitor(root, [id], _query, navigate) {
  const [{ monitor, heartbeats }, { projects, base_url: base }] = await Promise.all([get(`/v1/monitors/${id}`), get('/v1/settings/projects')]);
  const key = projects.find((project) => project.slug === monitor.app)?.keys[0]?.key || '<project key>';
  const rerender = () => renderMonitor(root, [id], _query, navigate);
  const ping = (status) => `curl -fsS -X POST ${base}/ingest/v1/heartbeat -H 'X-SeeStack-Key: ${key}' \\\n  -H 'Content-Type: application/json' -d '{"slug":"${monitor.slug}","status":"${status}","durationMs":1200}'`;
  clear(root, h('p', {}, link('/monitors', '← Monitors')),
    h('h1', {}, monitor.slug, ' ', badge(monitor.status)),
    h('div', { class: 'grid' },
      h('section', { class: 'card' }, h('h2', {}, 'Schedule'),
        h('p', {}, h('code', {}, monitor.schedule), ` in UTC, ${formatDuration(monitor.grace_seconds * 1000)} grace`),
        h('p', {}, 'Last ping: ', lastPing(monitor)), h('p', {}, 'Next run: ', nextRun(monitor)), actions(monitor, rerender, () => navigate('/monitors'))),
      h('section', { class: 'card' }, h('h2', {}, 'Ping it'),
        h('p', { class: 'muted' }, 'At the end of the job (a failed run sends "failed"):'), copyable(ping('success')),
        h('p', { class: 'muted' }, 'A Sentry SDK\'s cron check-ins with this slug count as pings too.'))),
    h('h2', {}, 'Runs'),
    table([
      { label: 'Time', value: (run) => formatTime(run.ts) },
      { label: 'Status', value: (run) => badge(run.status, run.status === 'success' ? 'healthy' : 'failed') },
      { label: 'Duration', value: (run) => formatDuration(run.duration_ms), numeric: true },
      { label: 'Message', value: (run) => run.message || '' },
    ], heartbeats, emptyState('No runs yet', h('p', { class: 'muted' }, 'Send the request above from the job.'))));
}
