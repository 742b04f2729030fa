import { get } from './api.js';
import { withRange } from './timerange.js';
import { clear, emptyState, filterForm, formatNumber, h, table } from './ui.js';

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
