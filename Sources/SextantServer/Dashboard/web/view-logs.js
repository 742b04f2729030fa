import { get } from './api.js';
import { withRange } from './timerange.js';
import { badge, clear, emptyState, filterForm, formatTime, h, table } from './ui.js';

export async function renderLogs(root, _parameters, query, navigate) {
  const { logs } = await get('/v1/query/logs', withRange({
    q: query.get('q'), level: query.get('level'), environment: query.get('environment'), app: query.get('app'), limit: 200,
  }));
  clear(root, h('h1', {}, 'Logs'),
    filterForm([
      { name: 'q', label: 'Search (every word must match)', size: 32 },
      { name: 'level', label: 'Level', options: ['', 'debug', 'info', 'warn', 'error', 'fatal'] },
      { name: 'environment', label: 'Environment' }, { name: 'app', label: 'App' },
    ], query, navigate),
    table([
      { label: 'Time', value: (log) => formatTime(log.ts) },
      { label: 'Level', value: (log) => badge(log.level) },
      { label: 'Message', value: (log) => h('div', {}, log.message, log.error ? h('pre', {}, JSON.stringify(log.error, null, 2)) : null) },
      { label: 'Service', value: (log) => log.service || '' },
      { label: 'Trace', value: (log) => log.trace_id ? h('a', { href: `/traces/${encodeURIComponent(log.trace_id)}` }, log.trace_id.slice(0, 12)) : '' },
      { label: 'App', value: (log) => log.app },
    ], logs, emptyState('No matching logs', h('p', { class: 'muted' }, 'Send logs with LuminaLog’s API:'),
      h('pre', {}, `curl -X POST ${location.origin}/v1/logs -H 'x-api-key: <project key>' -H 'Content-Type: application/json' \\\n  -d '{"logs":[{"timestamp":"2026-01-01T00:00:00Z","level":"info","message":"hello"}]}'`))));
}
