// Settings: signals (saved conditions, counted as data arrives) and webhooks (where alerts go).
import { get, post, remove } from './api.js';
import { actionForm, confirmButton, fromFile, settingsNav } from './forms.js';
import { clear, emptyState, formatNumber, formatTime, h, table } from './ui.js';

// The condition's fields, as the form names them (a signal has a name of its own).
const conditionFields = { type: 'event type', name: 'event name', name_contains: 'name contains', url_contains: 'URL contains', level: 'log level', message_contains: 'message contains' };

async function projectSlugs() {
  const { projects } = await get('/v1/settings/projects');
  return projects.map((project) => project.slug);
}

export async function renderSignals(root) {
  const [{ signals }, apps] = await Promise.all([get('/v1/settings/signals'), projectSlugs()]);
  const rerender = () => renderSignals(root);
  clear(root, h('h1', {}, 'Signals'), settingsNav('/settings/signals'),
    h('p', { class: 'muted' }, 'A signal counts what matches its condition, from the moment it exists. Every field that is filled in must hold.'),
    actionForm('New signal', [
      { name: 'app', label: 'Project', options: apps },
      { name: 'name', label: 'Name', placeholder: 'Checkout errors', required: true },
      { name: 'source', label: 'Counts', options: ['events', 'logs', 'errors'] },
      ...Object.entries(conditionFields).map(([field, label]) => ({ name: `match_${field}`, label, size: 12 })),
    ], 'Create signal', (values) => {
      const match = { source: values.source };
      for (const field of Object.keys(conditionFields)) if (values[`match_${field}`]) match[field] = values[`match_${field}`];
      return post('/v1/settings/signals', { app: values.app, name: values.name, match });
    }, rerender),
    table([
      { label: 'Signal', value: (signal) => h('div', {}, h('strong', {}, signal.name), h('div', { class: 'muted' }, signal.app)) },
      { label: 'Condition', value: (signal) => h('code', {}, JSON.stringify(signal.match)) },
      { label: 'Matches', value: (signal) => formatNumber(signal.match_count), numeric: true },
      { label: 'Last match', value: (signal) => formatTime(signal.last_match_at) },
      { label: '', value: (signal) => fromFile(signal.source) || confirmButton('Delete', async () => { await remove(`/v1/settings/signals/${signal.id}`); rerender(); }) },
    ], signals, emptyState('No signals yet', h('p', { class: 'muted' }, 'Create one above.'))));
}

export async function renderWebhooks(root) {
  const [{ webhooks, events }, apps] = await Promise.all([get('/v1/settings/webhooks'), projectSlugs()]);
  const rerender = () => renderWebhooks(root);
  clear(root, h('h1', {}, 'Webhooks'), settingsNav('/settings/webhooks'),
    h('p', { class: 'muted' }, 'Alerts are POSTed as JSON with a Slack-compatible `text`, and retried with backoff until the receiver answers 2xx.'),
    actionForm('New webhook', [
      { name: 'app', label: 'Project', options: apps },
      { name: 'url', label: 'URL', type: 'url', placeholder: 'https://hooks.slack.com/services/…', required: true, size: 34 },
      { name: 'events', label: 'Events', type: 'checkboxes', choices: events, value: events },
    ], 'Add webhook', (values) => post('/v1/settings/webhooks', values), rerender),
    table([
      { label: 'Receiver', value: (hook) => h('div', {}, h('code', {}, hook.url), h('div', { class: 'muted' }, hook.app)) },
      { label: 'Events', value: (hook) => hook.events.join(', ') },
      { label: 'Test', value: (hook) => testButton(hook) },
      { label: '', value: (hook) => fromFile(hook.source) || confirmButton('Delete', async () => { await remove(`/v1/settings/webhooks/${hook.id}`); rerender(); }) },
    ], webhooks, emptyState('No webhooks yet', h('p', { class: 'muted' }, 'Add one above.'))));
}

function testButton(hook) {
  const result = h('span', { class: 'test-result', role: 'status' });
  const button = h('button', { type: 'button' }, 'Send a test');
  button.addEventListener('click', async () => {
    button.disabled = true;
    result.textContent = 'Sending…';
    try {
      await post(`/v1/settings/webhooks/${hook.id}/test`);
      result.textContent = 'Delivered';
    } catch (error) {
      result.textContent = error.message;
    }
    button.disabled = false;
  });
  return h('span', {}, button, ' ', result);
}
