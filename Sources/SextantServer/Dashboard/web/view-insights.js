import { get } from './api.js';
import { badge, clear, emptyState, formatTime, h, table } from './ui.js';

export async function renderInsights(root) {
  const [{ insights }, { signals }] = await Promise.all([get('/v1/insights', { limit: 50 }), get('/v1/signals', { limit: 100 })]);
  const cards = insights.map((insight) => h('section', { class: 'card insight' },
    h('h2', {}, badge(insight.severity), ' ', insight.title),
    h('p', { class: 'muted' }, `${insight.projectSlug} · ${formatTime(insight.intervalStart)} – ${formatTime(insight.intervalEnd)} · ${insight.sessionsCount} sessions`),
    h('ul', {}, insight.findings.map((finding) => h('li', {}, badge(finding.severity), ' ', finding.summary,
      finding.issueIds.length ? [' ', finding.issueIds.slice(0, 3).map((id) => h('a', { href: `/issues/${id}` }, '→ issue')).flatMap((a) => [a, ' '])] : null)))));
  clear(root, h('h1', {}, 'Insights'),
    cards.length ? cards : emptyState('No insights yet', h('p', { class: 'muted' },
      'Each project gets an hourly and a daily digest once the interval closes: error spikes, new and regressed issues, frustrated clicks, failing monitors and slower endpoints.')),
    h('h2', {}, 'Signals'),
    table([
      { label: 'Signal', value: (signal) => h('div', {}, h('strong', {}, signal.name), signal.prompt ? h('div', { class: 'muted' }, signal.prompt) : null) },
      { label: 'Project', value: (signal) => signal.projectSlug },
      { label: 'Matches', value: (signal) => signal.matchCount, numeric: true },
      { label: 'Last match', value: (signal) => formatTime(signal.lastMatchAt) },
      { label: 'Condition', value: (signal) => h('code', {}, JSON.stringify(signal.match)) },
    ], signals, h('p', { class: 'muted' }, 'No signals. Create one: sextant signals create --project P --name N --match \'{"type":"error"}\'')));
}
