// Traces: a list, and one trace as a waterfall with the errors and logs that carry its id.
import { get } from './api.js';
import { withRange } from './timerange.js';
import { badge, clear, emptyState, filterForm, formatDuration, formatTime, h, table } from './ui.js';

export async function renderTraces(root, _parameters, query, navigate) {
  const { traces } = await get('/v1/query/traces', withRange({
    app: query.get('app'), service: query.get('service'), min_duration_ms: query.get('min_duration_ms'), limit: 200,
  }));
  clear(root, h('h1', {}, 'Traces'),
    filterForm([{ name: 'app', label: 'App' }, { name: 'service', label: 'Service' },
      { name: 'min_duration_ms', label: 'Slower than (ms)', size: 8 }], query, navigate),
    table([
      { label: 'Trace', value: (trace) => h('div', {}, h('a', { href: `/traces/${encodeURIComponent(trace.trace_id)}` }, trace.name || trace.trace_id),
        h('div', { class: 'muted' }, `${trace.app}${trace.service ? ' · ' + trace.service : ''}`)) },
      { label: 'Started', value: (trace) => formatTime(trace.start_ms) },
      { label: 'Duration', value: (trace) => formatDuration(trace.duration_ms), numeric: true },
      { label: 'Spans', value: (trace) => trace.span_count, numeric: true },
      { label: 'Errors', value: (trace) => trace.error_count ? badge(String(trace.error_count), 'error') : '0', numeric: true },
    ], traces, emptyState('No traces yet', h('p', { class: 'muted' },
      'Sentry SDKs send transactions with traces_sample_rate set; SeeStack SDKs send spans to /ingest/v1/spans.'))));
}

export async function renderTrace(root, [traceID]) {
  const trace = await get(`/v1/traces/${encodeURIComponent(traceID)}`);
  const starts = trace.spans.map((span) => span.start_ms).filter((value) => value !== null);
  const ends = trace.spans.map((span) => span.end_ms ?? span.start_ms).filter((value) => value !== null);
  const origin = starts.length ? Math.min(...starts) : 0;
  const total = Math.max((ends.length ? Math.max(...ends) : origin) - origin, 1);
  const row = (span) => {
    const offset = span.start_ms === null ? 0 : ((span.start_ms - origin) / total) * 100;
    const width = Math.max(((span.duration_ms ?? 0) / total) * 100, 0.5);
    return h('li', { class: 'span-row' },
      h('span', { class: 'span-name', style: `padding-left:${span.depth * 1.1}rem` },
        h('strong', {}, span.operation || 'span'), ' ', span.description || '', span.status && span.status !== 'ok' ? [' ', badge(span.status, 'error')] : null),
      h('span', { class: 'span-track', 'aria-hidden': 'true' },
        h('span', { class: `span-bar${span.status && span.status !== 'ok' ? ' failed' : ''}`, style: `left:${offset.toFixed(2)}%;width:${Math.min(width, 100 - offset).toFixed(2)}%` })),
      h('span', { class: 'num' }, formatDuration(span.duration_ms)));
  };
  clear(root, h('h1', {}, trace.spans.find((span) => span.depth === 0)?.description || `Trace ${traceID}`),
    h('p', { class: 'muted' }, `Trace ${traceID} · ${trace.spans.length} spans · ${formatDuration(total)}`),
    trace.spans.length ? h('ol', { class: 'waterfall', 'aria-label': 'Spans' }, trace.spans.map(row)) : h('p', { class: 'muted' }, 'No spans recorded for this trace.'),
    h('h2', {}, 'Errors in this trace'),
    table([
      { label: 'Time', value: (event) => formatTime(event.ts) },
      { label: 'Error', value: (event) => h('a', { href: `/incidents/${event.id}` }, `${event.name}: ${event.props?.message ?? ''}`) },
    ], trace.errors, h('p', { class: 'muted' }, 'None.')),
    h('h2', {}, 'Logs in this trace'),
    table([
      { label: 'Time', value: (log) => formatTime(log.ts) },
      { label: 'Level', value: (log) => badge(log.level) },
      { label: 'Message', value: (log) => log.message },
    ], trace.logs, h('p', { class: 'muted' }, 'None.')));
}
