import { get } from './api.js';
import { withRange } from './timerange.js';
import { clear, emptyState, filterForm, h } from './ui.js';

export async function renderFunnel(root, _parameters, query, navigate) {
  const steps = (query.get('steps') || '').split(',').map((step) => step.trim()).filter(Boolean);
  const { top_events: known } = await get('/v1/query/aggregates', withRange({ limit: 20 }));
  const form = filterForm([
    { name: 'steps', label: 'Steps, in order (comma-separated event names)', placeholder: 'view_product,add_to_cart,checkout', size: 48 },
    { name: 'window', label: 'Within (seconds)', size: 8 },
    { name: 'app', label: 'App', size: 10 },
  ], query, navigate);
  const suggestions = known.length
    ? h('p', { class: 'muted' }, 'Event names: ', known.map((event) => h('code', {}, event.name)).flatMap((code) => [code, ' ']))
    : null;
  if (steps.length < 2) {
    clear(root, h('h1', {}, 'Funnels'), form, suggestions,
      emptyState('Pick two or more steps', h('p', { class: 'muted' }, 'A funnel counts the users who did each step in order.')));
    return;
  }
  const result = await get('/v1/query/funnel', withRange({ steps: steps.join(','), window: query.get('window'), app: query.get('app') }));
  const top = result.steps[0]?.count || 0;
  const bars = result.steps.map((step, index) => {
    const share = top ? (100 * step.count) / top : 0;
    const previous = index ? result.steps[index - 1].count : null;
    const drop = previous ? previous - step.count : 0;
    return h('div', { class: 'step' },
      index && previous ? h('div', { class: 'drop' }, `↓ ${drop.toLocaleString('en-US')} dropped off (${previous ? ((100 * drop) / previous).toFixed(1) : 0}%)`) : null,
      h('div', {}, h('strong', {}, `${index + 1}. ${step.name}`), ` — ${step.count.toLocaleString('en-US')} users, ${share.toFixed(1)}% of step 1`),
      h('div', { class: 'bar', style: `width:${Math.max(share, 2)}%` }, `${share.toFixed(1)}%`));
  });
  const overall = top ? ((100 * result.steps[result.steps.length - 1].count) / top).toFixed(1) : '0.0';
  clear(root, h('h1', {}, 'Funnels'), form, suggestions,
    h('section', { class: 'card funnel' }, h('h2', {}, `Conversion ${overall}%`), bars));
}
