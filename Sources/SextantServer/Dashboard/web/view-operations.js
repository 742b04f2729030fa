import { get } from './api.js';
import { withRange } from './timerange.js';
import { badge, clear, emptyState, filterForm, formatDuration, formatNumber, formatTime, h, table } from './ui.js';

export async function renderEndpoints(root, _parameters, query, navigate) {
  const { endpoints } = await get('/v1/query/requests', withRange({ app: query.get('app'), direction: query.get('direction') }));
  clear(root, h('h1', {}, 'HTTP endpoints'),
    filterForm([{ name: 'app', label: 'App' }, { name: 'direction', label: 'Direction', options: ['', 'inbound', 'outbound'] }], query, navigate),
    table([
      { label: 'Endpoint', value: (endpoint) => h('code', {}, `${endpoint.method} ${endpoint.host}${endpoint.path}`) },
      { label: 'Requests', value: (endpoint) => formatNumber(endpoint.count), numeric: true },
      { label: 'Error rate', value: (endpoint) => `${((100 * endpoint.error_count) / Math.max(endpoint.count, 1)).toFixed(1)}%`, numeric: true },
      { label: 'p50', value: (endpoint) => `${formatNumber(endpoint.p50_ms)} ms`, numeric: true },
      { label: 'p95', value: (endpoint) => `${formatNumber(endpoint.p95_ms)} ms`, numeric: true },
      { label: 'p99', value: (endpoint) => `${formatNumber(endpoint.p99_ms)} ms`, numeric: true },
    ], endpoints, emptyState('No HTTP telemetry yet', h('p', { class: 'muted' }, 'SeeStack SDKs send it to /ingest/v1/http-requests.'))));
}

export async function renderMonitors(root) {
  const { monitors } = await get('/v1/monitors');
  clear(root, h('h1', {}, 'Cron monitors'),
    table([
      { label: 'Monitor', value: (monitor) => h('div', {}, h('strong', {}, monitor.slug), h('div', { class: 'muted' }, monitor.app)) },
      { label: 'Status', value: (monitor) => badge(monitor.status) },
      { label: 'Schedule', value: (monitor) => h('code', {}, monitor.schedule) },
      { label: 'Last ping', value: (monitor) => monitor.last_ping_at ? `${formatTime(monitor.last_ping_at)} (${monitor.last_status})` : 'never' },
      { label: 'Last run', value: (monitor) => formatDuration(monitor.last_duration_ms), numeric: true },
      { label: 'Next expected', value: (monitor) => formatTime(monitor.next_expected_at) },
    ], monitors, emptyState('No monitors yet', h('p', { class: 'muted' }, 'Add one to the configuration or with the CLI, then ping it from the job:'),
      h('pre', {}, `sextant monitors create --project default nightly-backup --schedule "0 3 * * *"\ncurl -X POST ${location.origin}/ingest/v1/heartbeat -H 'X-SeeStack-Key: <project key>' \\\n  -H 'Content-Type: application/json' -d '{"slug":"nightly-backup","status":"success","durationMs":1200}'`))));
}
