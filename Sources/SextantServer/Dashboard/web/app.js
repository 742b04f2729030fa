// The dashboard shell: client-side routing over the History API, one view module per page.
import { clear, errorBox, h } from './ui.js';
import { rangeControl, rangeKeys } from './timerange.js';

const routes = [
  [/^\/$/, 'view-overview.js', 'renderOverview'],
  [/^\/events$/, 'view-events.js', 'renderEvents'],
  [/^\/users$/, 'view-people.js', 'renderUsers'],
  [/^\/users\/([^/]+)$/, 'view-people.js', 'renderUser'],
  [/^\/sessions$/, 'view-people.js', 'renderSessions'],
  [/^\/sessions\/([^/]+)$/, 'view-session.js', 'renderSession'],
  [/^\/incidents\/(\d+)$/, 'view-session.js', 'renderIncident'],
  [/^\/funnels$/, 'view-funnel.js', 'renderFunnel'],
  [/^\/trends$/, 'view-analytics.js', 'renderTrends'],
  [/^\/retention$/, 'view-analytics.js', 'renderRetention'],
  [/^\/paths$/, 'view-analytics.js', 'renderPaths'],
  [/^\/issues$/, 'view-issues.js', 'renderIssues'],
  [/^\/issues\/([^/]+)$/, 'view-issue.js', 'renderIssue'],
  [/^\/logs$/, 'view-logs.js', 'renderLogs'],
  [/^\/endpoints$/, 'view-operations.js', 'renderEndpoints'],
  [/^\/traces$/, 'view-traces.js', 'renderTraces'],
  [/^\/traces\/([^/]+)$/, 'view-traces.js', 'renderTrace'],
  [/^\/charts$/, 'view-metrics.js', 'renderMetrics'],
  [/^\/monitors$/, 'view-monitors.js', 'renderMonitors'],
  [/^\/monitors\/([^/]+)$/, 'view-monitors.js', 'renderMonitor'],
  [/^\/settings$/, 'view-settings.js', 'renderProjects'],
  [/^\/settings\/tokens$/, 'view-settings.js', 'renderTokens'],
  [/^\/settings\/signals$/, 'view-signals.js', 'renderSignals'],
  [/^\/settings\/webhooks$/, 'view-signals.js', 'renderWebhooks'],
  [/^\/insights$/, 'view-insights.js', 'renderInsights'],
];

const root = document.getElementById('view');
let cleanup = null;
let firstRender = true;

export function navigate(path) {
  history.pushState({}, '', path);
  render();
}

async function render() {
  if (cleanup) cleanup();
  cleanup = null;
  root.removeAttribute('data-ready');
  const path = location.pathname.length > 1 ? location.pathname.replace(/\/$/, '') : '/';
  for (const link of document.querySelectorAll('#nav a')) {
    const target = link.getAttribute('href');
    const settings = target === '/settings' && path.startsWith('/monitors');
    link.classList.toggle('active', target === '/' ? path === '/' : path.startsWith(target) || settings);
  }
  document.getElementById('range').replaceChildren(rangeControl(navigate));
  const match = routes.find(([pattern]) => pattern.test(path));
  if (!match) {
    clear(root, h('h1', {}, 'Not found'), h('p', {}, 'No view here. ', h('a', { href: '/' }, 'Back to the overview')));
    root.setAttribute('data-ready', '');
    return;
  }
  const [pattern, file, name] = match;
  const parameters = path.match(pattern).slice(1).map(decodeURIComponent);
  clear(root, h('p', { class: 'muted' }, 'Loading…'));
  try {
    const module = await import(`./${file}`);
    cleanup = (await module[name](root, parameters, new URLSearchParams(location.search), navigate)) || null;
  } catch (error) {
    console.warn(error);
    clear(root, errorBox(error));
  }
  const heading = root.querySelector('h1')?.textContent || 'Dashboard';
  document.title = `${heading} · Sextant`;
  // A new view is announced once, and keyboard focus moves to it (not on the first load).
  document.getElementById('announcer').textContent = `${heading} loaded`;
  if (!firstRender && !root.contains(document.activeElement) && !document.getElementById('range').contains(document.activeElement)) root.focus();
  firstRender = false;
  root.setAttribute('data-ready', '');
}

// Links inside the app change the view without reloading the page.
document.addEventListener('click', (event) => {
  const link = event.target.closest('a');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || link.target || /^\/(v1|api|assets|ingest|oauth)\//.test(url.pathname) || url.pathname === '/logout') return;
  event.preventDefault();
  // The time range goes along to the next view unless the link sets its own.
  const current = new URLSearchParams(location.search);
  if (!rangeKeys.some((key) => url.searchParams.has(key))) {
    for (const key of rangeKeys) if (current.has(key)) url.searchParams.set(key, current.get(key));
  }
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', render);
render();
