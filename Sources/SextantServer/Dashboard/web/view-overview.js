import { get } from './api.js';
import { columnChart, rankedBars } from './charts.js';
import { previousRange, withRange } from './timerange.js';
import { clear, emptyState, everyDay, formatNumber, h, sendFirstData } from './ui.js';

const total = (series) => series.reduce((sum, point) => sum + point.count, 0);

/// `12 (▲ 20 % on the previous period)`, or the figure alone without a previous period.
function compared(label, now, before) {
  let change = null;
  if (before !== null) {
    const percent = before === 0 ? null : Math.round((100 * (now - before)) / before);
    change = h('span', { class: 'muted' }, percent === null ? ` (none the period before)` : ` (${percent >= 0 ? '▲' : '▼'} ${Math.abs(percent)} % on the period before)`);
  }
  return h('div', { class: 'stat' }, h('div', { class: 'muted' }, label), h('strong', {}, formatNumber(now)), change);
}

export async function renderOverview(root) {
  const previous = previousRange();
  const [aggregates, issues, before] = await Promise.all([
    get('/v1/query/aggregates', withRange({ limit: 8 })),
    get('/v1/issues', withRange({ status: 'unresolved', limit: 5 })),
    previous ? get('/v1/query/aggregates', { limit: 8, ...previous }) : null,
  ]);
  // Days in a range are listed even when quiet: nothing means every count is zero.
  const nothing = !total(aggregates.dau) && !aggregates.top_events.length && !aggregates.top_pages.length && !total(aggregates.all_errors_by_day);
  if (nothing) {
    // Replays alone (Lucent's SDK sends no events) or logs alone are data too: say where they are.
    const [{ sessions }, { logs }] = await Promise.all([get('/v1/query/sessions', withRange({ limit: 1 })), get('/v1/query/logs', withRange({ limit: 1 }))]);
    const elsewhere = [
      sessions.length ? h('li', {}, h('a', { href: '/sessions' }, 'Sessions'), ' have been recorded (replays without analytics events).') : null,
      logs.length ? h('li', {}, h('a', { href: '/logs' }, 'Logs'), ' have arrived.') : null,
    ].filter(Boolean);
    clear(root, h('h1', {}, 'Overview'), elsewhere.length
      ? emptyState('No analytics events in this range', h('p', { class: 'muted' }, 'The charts here count events; other data is in:'), h('ul', {}, elsewhere))
      : emptyState('No data yet', ...sendFirstData()));
    return;
  }
  // Both charts cover the same days, every one present, so a quiet day shows as a gap, not as nothing.
  const known = [...aggregates.dau, ...aggregates.all_errors_by_day].map((point) => point.day).sort();
  const days = (series) => everyDay(series, known[0], known[known.length - 1]).map((point) => ({ label: point.day, value: point.count }));
  const averageUsers = (series) => (series.length ? Math.round(total(series) / series.length) : 0);
  clear(root,
    h('h1', {}, 'Overview'),
    h('div', { class: 'stats' },
      compared('Average daily active users', averageUsers(aggregates.dau), before && averageUsers(before.dau)),
      compared('Errors', total(aggregates.all_errors_by_day), before && total(before.all_errors_by_day)),
      compared('Pageviews (top pages)', total(aggregates.top_pages), before && total(before.top_pages))),
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
