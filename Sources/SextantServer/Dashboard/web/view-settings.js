// Settings: projects with their ingest keys and what each SDK needs, and Data API tokens.
import { get, post, remove } from './api.js';
import { actionForm, confirmButton, copyable, fromFile, settingsNav } from './forms.js';
import { clear, emptyState, formatTime, h, table } from './ui.js';

export async function renderProjects(root) {
  const { projects, organizations, base_url: base } = await get('/v1/settings/projects');
  const rerender = () => renderProjects(root);
  const organizationField = organizations.length > 1
    ? [{ name: 'organization_id', label: 'Organization', options: organizations.map((organization) => organization.id) }] : [];
  clear(root, h('h1', {}, 'Projects and keys'), settingsNav('/settings'),
    actionForm('New project', [
      { name: 'slug', label: 'Slug (the SDK\'s app)', placeholder: 'web', required: true },
      { name: 'name', label: 'Name', placeholder: 'Web shop' },
      { name: 'origins', label: 'Allowed origins (comma-separated, empty: any)', placeholder: 'https://shop.example.com', size: 30 },
      ...organizationField,
    ], 'Create project', (values) => post('/v1/settings/projects', {
      slug: values.slug, name: values.name || undefined, organization_id: values.organization_id || undefined,
      origins: values.origins ? values.origins.split(',').map((origin) => origin.trim()).filter(Boolean) : [],
    }), rerender),
    projects.length ? projects.map((project) => projectCard(project, base, rerender)) : emptyState('No projects yet', h('p', {}, 'Create one above.')));
}

function projectCard(project, base, rerender) {
  const keys = project.keys.length
    ? project.keys.map((key) => keyBlock(project, key, base, rerender))
    : [h('p', { class: 'muted' }, 'No active key: nothing can send to this project until it has one.')];
  return h('section', { class: 'card project', 'data-project': project.slug },
    h('h2', {}, project.name, ' ', h('code', {}, project.slug)),
    h('p', { class: 'muted' }, `Organization ${project.organization_id} · `,
      project.origins.length ? `browsers may send from ${project.origins.join(', ')}` : 'browsers may send from any origin'),
    ...keys,
    h('button', { type: 'button', onclick: async () => { await post(`/v1/settings/projects/${encodeURIComponent(project.slug)}/keys`); rerender(); } },
      'Add a key'));
}

function keyBlock(project, key, base, rerender) {
  const browser = `<script src="${base}/sdk.js"></script>\n<script>Sextant.init({ app: "${project.slug}", key: "${key.key}" });</script>`;
  const shell = `curl -X POST ${base}/v1/events -H 'Content-Type: application/json' \\\n  -d '{"app":"${project.slug}","key":"${key.key}","events":[{"ts":0,"type":"event","name":"signup","user_id":"alice"}]}'`;
  return h('div', { class: 'key', 'data-key': key.key },
    h('h3', {}, 'Key ', h('code', {}, key.key), ' ', fromFile(key.source),
      key.source === 'config' ? null : confirmButton('Revoke key', async () => { await remove(`/v1/settings/keys/${encodeURIComponent(key.key)}`); rerender(); })),
    h('p', { class: 'muted' }, `Created ${formatTime(key.created_at)}. Ingest keys are public: they can only send data.`),
    h('details', {}, h('summary', {}, 'Browser snippet, Sentry DSN, curl'),
      h('p', {}, 'Browser SDK (sessions, events, errors, replays):'), copyable(browser),
      h('p', {}, 'Any Sentry SDK:'), copyable(key.sentry_dsn),
      h('p', {}, 'From a shell:'), copyable(shell)));
}

export async function renderTokens(root) {
  const { tokens } = await get('/v1/settings/tokens');
  const created = h('div', { class: 'created-token', 'aria-live': 'polite' });
  const rerender = () => renderTokens(root);
  clear(root, h('h1', {}, 'API tokens'), settingsNav('/settings/tokens'),
    h('p', { class: 'muted' }, 'Tokens read the Data API and MCP (`Authorization: Bearer …`). A token is shown once, when it is created.'),
    actionForm('New token', [
      { name: 'name', label: 'Name', placeholder: 'ci' },
      { name: 'scopes', label: 'Scopes', type: 'checkboxes', choices: ['read:lucent', 'write:issues'], value: ['read:lucent'] },
    ], 'Create token', (values) => post('/v1/settings/tokens', { name: values.name || undefined, scopes: values.scopes }),
    async (token) => {
      await rerender();
      root.querySelector('.created-token').replaceChildren(h('div', { class: 'card notice' },
        h('h2', {}, 'Copy the token now'), h('p', {}, 'It is stored hashed and cannot be shown again.'), copyable(token.token)));
    }),
    created,
    table([
      { label: 'Name', value: (token) => token.name || '—' },
      { label: 'Prefix', value: (token) => h('code', {}, `${token.prefix}…`) },
      { label: 'Scopes', value: (token) => token.scopes.join(' ') },
      { label: 'Organization', value: (token) => token.organization_id },
      { label: 'Created', value: (token) => formatTime(token.created_at) },
      { label: '', value: (token) => fromFile(token.source) || confirmButton('Revoke', async () => { await remove(`/v1/settings/tokens/${token.id}`); rerender(); }) },
    ], tokens, emptyState('No tokens yet', h('p', { class: 'muted' }, 'Create one above, or with `sextant tokens create`.'))));
}
