import { get } from './api.js';
import { columnChart, rankedBars } from './charts.js';
import { clear, emptyState, everyDay, h, sendFirstData } from './ui.js';

export async function renderOverview(root) {
  const [aggregates, issues] = await Promise.all([
    get('/v1/query/aggregates', { limit: 8 }),
    get('/v1/issues', { status: 'unresolved', limit: 5 }),
  ]);
  const nothing = !aggregates.dau.length && !aggregates.top_events.length && !aggregates.top_pages.length && !aggregates.all_errors_by_day.length;
  if (nothing) {
    clear(root, h('h1', {}, 'Overview'), emptyState('No data yet', ...sendFirstData()));
    return;
  }
  // Both charts cover the same days, every one present, so a quiet day shows as a gap, not as nothing.
  const known = [...aggregates.dau, ...aggregates.all_errors_by_day].map((point) => point.day).sort();
  const days = (series) => everyDay(series, known[0], known[known.length - 1]).map((point) => ({ label: point.day, value: point.count }));
  clear(root,
    h('h1', {}, 'Overview'),
    h('div', { class: 'grid' },
      h('section', { class: 'card' }, h('h2', {}, 'Daily active users'), columnChart(days(aggregates.dau), { title: 'Daily active users' })),
      // Errors of every source (events, logs, SeeStack, Sentry, OpenTelemetry), as the issues count them.
      h('section', { class: 'card' }, h('h2', {}, 'Errors by day'),
        aggregates.all_errors_by_day.some((point) => point.count > 0)
          ? columnChart(days(aggregates.all_errors_by_day), { bad: true, title: 'Errors by day' }) : h('p', { class: 'muted' }, 'No errors recorded.')),
      h('section', { class: 'card' }, h('h2', {}, 'Top events'),
        aggregates.top_events.length ? rankedBars(aggregates.top_events, (item) => `/events?name=${encodeURIComponent(item.name)}`) : h('p', { class: 'muted' }, 'No custom events yet.')),
      h('section', { class: 'card' }, h('h2', {}, 'Top pages'),
        aggregates.top_pages.length ? rankedBars(aggregates.top_pages) : h('p', { class: 'muted' }, 'No pageviews yet.')),
      h('section', { class: 'card' }, h('h2', {}, 'Open issues'),
        issues.issues.length
          ? h('ul', {}, issues.issues.map((issue) => h('li', {}, h('a', { href: `/issues/${issue.id}` }, issue.title), ` ×${issue.count}`)))
          : h('p', { class: 'muted' }, 'Nothing open.'))));
}
