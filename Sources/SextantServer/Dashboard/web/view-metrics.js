// Metrics from OpenTelemetry SDKs: the names reported, and one metric as a chart over time.
import { get } from './api.js';
import { currentRange, withRange } from './timerange.js';
import { columnChart } from './charts.js';
import { clear, emptyState, filterForm, formatNumber, formatTime, h, link, table } from './ui.js';

const intervals = ['minute', 'hour', 'day'];

export async function renderMetrics(root, _parameters, query, navigate) {
  const name = query.get('name');
  if (name) return renderMetric(root, name, query);
  const { metrics } = await get('/v1/query/metrics', withRange({ app: query.get('app') }));
  clear(root, h('h1', {}, 'Metrics'), filterForm([{ name: 'app', label: 'App' }], query, navigate),
    table([
      { label: 'Metric', value: (metric) => link(`/charts?name=${encodeURIComponent(metric.name)}${query.get('app') ? `&app=${encodeURIComponent(query.get('app'))}` : ''}`, metric.name) },
      { label: 'Kind', value: (metric) => metric.kind },
      { label: 'Unit', value: (metric) => metric.unit || '' },
      { label: 'Points', value: (metric) => formatNumber(metric.points), numeric: true },
      { label: 'Last reported', value: (metric) => formatTime(metric.last_seen) },
    ], metrics, emptyState('No metrics yet', h('p', { class: 'muted' },
      'OpenTelemetry SDKs export metrics with OTEL_EXPORTER_OTLP_ENDPOINT set to this server and a project key in OTEL_EXPORTER_OTLP_HEADERS.'))));
}

// What a bucket's value means depends on the kind; the caption says it.
const meaning = { gauge: 'average', sum: 'total', histogram: 'average observation' };

async function renderMetric(root, name, query) {
  const range = currentRange();
  let interval = intervals.includes(query.get('interval')) ? query.get('interval') : 'hour';
  const to = range.to ?? Date.now();
  const from = range.from ?? to - (interval === 'day' ? 30 : interval === 'hour' ? 2 : 1 / 12) * 86_400_000;
  // A long range at a fine interval would pass the server's bucket bound: coarser buckets instead.
  const width = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
  while (interval !== 'day' && (to - from) / width[interval] > 1500) interval = intervals[intervals.indexOf(interval) + 1];
  const { metric } = await get('/v1/query/metrics', { app: query.get('app'), name, interval, from: Math.floor(from), to });
  const label = (ms) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  const filled = metric.buckets.filter((bucket) => bucket.points > 0);
  const switcher = h('p', {}, 'Interval: ', ...intervals.flatMap((choice) => [
    choice === interval ? h('strong', {}, choice) : h('a', { href: `/charts?name=${encodeURIComponent(name)}&interval=${choice}` }, choice), ' ']));
  clear(root, h('h1', {}, name),
    h('p', { class: 'muted' }, `${metric.kind || 'no data'}${metric.unit ? ` · ${metric.unit}` : ''} · ${meaning[metric.kind] || 'value'} per ${interval}`),
    switcher,
    filled.length
      ? columnChart(metric.buckets.map((bucket) => ({ label: label(bucket.ts), value: bucket.value ?? 0 })), { title: `${name} per ${interval}` })
      : emptyState('No points in this range', h('p', { class: 'muted' }, 'Try a wider interval.')),
    filled.length ? table([
      { label: 'From', value: (bucket) => formatTime(bucket.ts) },
      { label: 'Value', value: (bucket) => formatNumber(bucket.value), numeric: true },
      { label: 'Min', value: (bucket) => formatNumber(bucket.min), numeric: true },
      { label: 'Max', value: (bucket) => formatNumber(bucket.max), numeric: true },
      ...(metric.kind === 'histogram' ? [{ label: 'Observations', value: (bucket) => formatNumber(bucket.count), numeric: true }] : []),
      { label: 'Points', value: (bucket) => bucket.points, numeric: true },
    ], filled.slice().reverse()) : null);
}
