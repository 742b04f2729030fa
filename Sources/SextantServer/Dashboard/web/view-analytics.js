// Trends, retention and paths over the analytics queries: each a form kept in the URL and its answer.
import { get } from './api.js';
import { withRange } from './timerange.js';
import { columnChart, rankedBars } from './charts.js';
import { clear, emptyState, filterForm, formatNumber, h, table } from './ui.js';

const dayLabel = (ms) => new Date(ms).toISOString().slice(0, 13).replace('T', ' ');

async function eventNames() {
  const { top_events: known } = await get('/v1/query/aggregates', withRange({ limit: 20 }));
  return known.length ? h('p', { class: 'muted' }, 'Event names: ', known.flatMap((event) => [h('code', {}, event.name), ' '])) : null;
}

export async function renderTrends(root, _parameters, query, navigate) {
  const form = filterForm([
    { name: 'event', label: 'Events (comma-separated)', placeholder: 'view_product,purchase', size: 32 },
    { name: 'interval', label: 'Interval', options: ['', 'hour', 'day', 'week'] },
    { name: 'measure', label: 'Measure', options: ['', 'count', 'users'] },
    { name: 'breakdown', label: 'Breakdown', placeholder: 'type, url, name or props.KEY', size: 18 },
    { name: 'app', label: 'App', size: 10 },
  ], query, navigate);
  const suggestions = await eventNames();
  if (!query.get('event')) {
    clear(root, h('h1', {}, 'Trends'), form, suggestions,
      emptyState('Pick one or more events', h('p', { class: 'muted' }, 'A trend counts an event, or the users who did it, per hour, day or week.')));
    return;
  }
  const trends = await get('/v1/query/trends', withRange({
    event: query.get('event'), interval: query.get('interval'), measure: query.get('measure'), breakdown: query.get('breakdown'), app: query.get('app'),
  }));
  const unit = trends.measure === 'users' ? 'users' : 'events';
  const cards = trends.series.map((series) => {
    const title = series.breakdown_value === undefined ? series.event : `${series.event} · ${series.breakdown_value}`;
    const points = trends.buckets.map((start, index) => ({ label: dayLabel(start), value: series.values[index] }));
    return h('section', { class: 'card' },
      h('h2', {}, title, series.total === undefined ? '' : h('span', { class: 'muted' }, ` — ${formatNumber(series.total)} ${unit}`)),
      columnChart(points, { title: `${title}: ${unit} per ${trends.interval}` }));
  });
  clear(root, h('h1', {}, 'Trends'), form, suggestions,
    h('p', { class: 'muted' }, `${unit} per ${trends.interval}, UTC`),
    cards.length ? cards : emptyState('No events in this range'));
}

export async function renderRetention(root, _parameters, query, navigate) {
  const form = filterForm([
    { name: 'start_event', label: 'Cohort event', placeholder: 'signup', size: 16 },
    { name: 'return_event', label: 'Returning event', placeholder: 'purchase', size: 16 },
    { name: 'period', label: 'Period', options: ['', 'day', 'week'] },
    { name: 'periods', label: 'Periods', size: 4 },
    { name: 'app', label: 'App', size: 10 },
  ], query, navigate);
  const suggestions = await eventNames();
  if (!query.get('start_event') || !query.get('return_event')) {
    clear(root, h('h1', {}, 'Retention'), form, suggestions,
      emptyState('Pick a cohort event and a returning event',
        h('p', { class: 'muted' }, 'Users are grouped by when they first did the cohort event; each column shows how many came back.')));
    return;
  }
  const answer = await get('/v1/query/retention', withRange({
    start_event: query.get('start_event'), return_event: query.get('return_event'), period: query.get('period'),
    periods: query.get('periods'), app: query.get('app'),
  }));
  const columns = [
    { label: 'Cohort', value: (cohort) => cohort.date },
    { label: 'Users', value: (cohort) => formatNumber(cohort.size), numeric: true },
    ...Array.from({ length: answer.periods - 1 }, (_, offset) => ({
      label: `${answer.period === 'week' ? 'Week' : 'Day'} ${offset + 1}`,
      numeric: true,
      value: (cohort) => cohort.size ? `${((100 * cohort.returning[offset + 1]) / cohort.size).toFixed(1)}%` : '—',
    })),
  ];
  clear(root, h('h1', {}, 'Retention'), form, suggestions, table(columns, answer.cohorts, emptyState('No cohorts in this range')));
}

export async function renderPaths(root, _parameters, query, navigate) {
  const form = filterForm([
    { name: 'start', label: 'Start event', placeholder: 'view_product', size: 16 },
    { name: 'steps', label: 'Steps after it', size: 4 },
    { name: 'app', label: 'App', size: 10 },
  ], query, navigate);
  const suggestions = await eventNames();
  if (!query.get('start')) {
    clear(root, h('h1', {}, 'Paths'), form, suggestions,
      emptyState('Pick a start event', h('p', { class: 'muted' }, 'Paths show what users did next, most common first.')));
    return;
  }
  const answer = await get('/v1/query/paths', withRange({ start: query.get('start'), steps: query.get('steps'), app: query.get('app') }));
  const items = answer.paths.map((path) => ({ name: [answer.start, ...path.steps].join(' → ') + (path.steps.length ? '' : ' (nothing after)'), count: path.count }));
  clear(root, h('h1', {}, 'Paths'), form, suggestions,
    h('p', { class: 'muted' }, `${formatNumber(answer.starts)} users did ${answer.start}`),
    items.length ? h('section', { class: 'card' }, rankedBars(items)) : emptyState('Nobody did this event in this range'));
}
