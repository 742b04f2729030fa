// Funnels: pick the steps one by one, see who converts, and list who dropped off at each step.
import { get } from './api.js';
import { withRange } from './timerange.js';
import { clear, emptyState, h, link, plural } from './ui.js';

/// One field per step (suggesting the events seen), steps added or removed in place.
function stepBuilder(steps, known, query, navigate) {
  const list = h('ol', { class: 'steps' });
  const options = h('datalist', { id: 'event-names' }, known.map((event) => h('option', { value: event.name })));
  const addStep = (value = '') => {
    const input = h('input', { name: 'step', value, list: 'event-names', placeholder: 'event name', 'aria-label': 'Step', size: 24 });
    const remove = h('button', { type: 'button', 'aria-label': 'Remove this step', onclick: () => item.remove() }, '×');
    const item = h('li', {}, input, ' ', remove);
    list.append(item);
    return input;
  };
  for (const step of steps.length ? steps : ['', '']) addStep(step);
  const form = h('form', { class: 'card funnel-builder', 'aria-label': 'Funnel steps' }, options, list,
    h('p', {}, h('button', { type: 'button', onclick: () => addStep().focus() }, 'Add a step')),
    h('div', { class: 'filters' },
      h('label', {}, 'Within (seconds)', h('input', { name: 'window', value: query.get('window') || '', size: 8 })),
      h('label', {}, 'App', h('input', { name: 'app', value: query.get('app') || '', size: 10 })),
      h('button', { class: 'primary', type: 'submit' }, 'Show the funnel')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams(location.search);
    const chosen = [...form.querySelectorAll('input[name=step]')].map((input) => input.value.trim()).filter(Boolean);
    params.set('steps', chosen.join(','));
    for (const name of ['window', 'app']) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value); else params.delete(name);
    }
    navigate(`/funnels?${params}`);
  });
  return form;
}

export async function renderFunnel(root, _parameters, query, navigate) {
  const steps = (query.get('steps') || '').split(',').map((step) => step.trim()).filter(Boolean);
  const { top_events: known } = await get('/v1/query/aggregates', withRange({ limit: 30 }));
  const builder = stepBuilder(steps, known, query, navigate);
  if (steps.length < 2) {
    clear(root, h('h1', {}, 'Funnels'), builder,
      emptyState('Pick two or more steps', h('p', { class: 'muted' }, 'A funnel counts the users who did each step in order.')));
    return;
  }
  const params = { steps: steps.join(','), window: query.get('window'), app: query.get('app') };
  const result = await get('/v1/query/funnel', withRange(params));
  const top = result.steps[0]?.count || 0;
  const bars = result.steps.map((step, index) => {
    const share = top ? (100 * step.count) / top : 0;
    const previous = index ? result.steps[index - 1].count : null;
    const drop = previous ? previous - step.count : 0;
    const who = h('div', { class: 'dropped' });
    const dropNote = index && previous ? h('div', { class: 'drop' }, `↓ ${drop.toLocaleString('en-US')} dropped off (${((100 * drop) / previous).toFixed(1)}%) `,
      drop ? h('button', { type: 'button', onclick: async (event) => {
        event.target.disabled = true;
        const { dropoff } = await get('/v1/query/funnel', withRange({ ...params, dropoff: index, limit: 100 }));
        who.replaceChildren(h('p', { class: 'muted' }, `${plural(dropoff.total, 'user')} did step ${index} but not ${step.name}:`),
          h('ul', { class: 'people' }, dropoff.users.map((user) => h('li', {}, link(`/users/${encodeURIComponent(user)}`, user)))),
          dropoff.next_offset ? h('p', { class: 'muted' }, `and ${dropoff.total - dropoff.users.length} more`) : null);
      } }, 'Who dropped off') : null) : null;
    return h('div', { class: 'step' }, dropNote, who,
      h('div', {}, h('strong', {}, `${index + 1}. ${step.name}`), ` — ${step.count.toLocaleString('en-US')} users, ${share.toFixed(1)}% of step 1`),
      h('div', { class: 'bar', style: `width:${Math.max(share, 2)}%` }, `${share.toFixed(1)}%`));
  });
  const overall = top ? ((100 * result.steps[result.steps.length - 1].count) / top).toFixed(1) : '0.0';
  clear(root, h('h1', {}, 'Funnels'), builder,
    h('section', { class: 'card funnel' }, h('h2', {}, `Conversion ${overall}%`), bars));
}
