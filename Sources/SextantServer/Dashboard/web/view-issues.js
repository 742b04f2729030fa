import { get, patch } from './api.js';
import { withRange } from './timerange.js';
import { renderSession } from './view-session.js';
import { clear, emptyState, formatTime, h, badge, kindLabel, plural, table } from './ui.js';

const statuses = ['unresolved', 'ticket_created', 'transient', 'resolved'];

function statusPicker(issue, onChange) {
  const select = h('select', { 'aria-label': 'Status' }, statuses.map((status) => h('option', { value: status, selected: status === issue.status }, status)));
  select.addEventListener('change', async () => {
    const updated = await patch(`/v1/issues/${issue.id}`, { status: select.value });
    onChange(updated.issue);
  });
  return select;
}

export async function renderIssues(root, _parameters, query) {
  const status = query.get('status') ?? 'unresolved';
  const kind = query.get('kind') || '';
  const { issues } = await get('/v1/issues', withRange({ status: status || undefined, kind, limit: 200 }));
  const tab = (value, label) => h('a', { href: `/issues?status=${value}${kind ? `&kind=${kind}` : ''}`, class: value === status ? 'active' : '' }, label);
  const kinds = ['', 'error', 'rage_click', 'dead_click', 'missed_heartbeat', 'slow_endpoint'];
  clear(root, h('h1', {}, 'Issues'),
    h('p', { class: 'tabs' }, tab('unresolved', 'Unresolved'), tab('ticket_created', 'Ticket created'), tab('transient', 'Transient'),
      tab('resolved', 'Resolved'), tab('', 'All'), ' · ',
      kinds.map((value) => h('a', { href: `/issues?status=${status}${value ? `&kind=${value}` : ''}`, class: value === kind ? 'active' : '' }, value ? kindLabel(value) : 'Every kind'))
        .flatMap((link) => [link, ' '])),
    table([
      { label: 'Issue', value: (issue) => h('div', {}, h('a', { href: `/issues/${issue.id}` }, issue.title), h('div', { class: 'muted' }, `${kindLabel(issue.kind)} · ${issue.projectSlug}${issue.culprit ? ' · ' + issue.culprit : ''}`)) },
      { label: 'Events', value: (issue) => issue.count, numeric: true },
      { label: 'Users', value: (issue) => issue.userCount, numeric: true },
      { label: 'Last seen', value: (issue) => formatTime(issue.lastSeen) },
      { label: 'Priority', value: (issue) => badge(issue.priority, issue.priority === 'critical' || issue.priority === 'high' ? 'error' : 'warning') },
      // A changed status can move the issue out of this tab: show the list again.
      { label: 'Status', value: (issue) => statusPicker(issue, () => renderIssues(root, _parameters, query)) },
    ], issues, emptyState('No issues here', h('p', { class: 'muted' },
      'Errors from every SDK group into issues, as do rage and dead clicks in replays, missed cron runs and slower endpoints.'))));
}

// Application frames stand out; runtime and library frames are dimmed.
const libraryFrame = /node_modules\/|site-packages\/|dist-packages\/|\/lib\/python|node:internal|<anonymous>|\[native code\]|^at (java|javax|jdk|sun|kotlin)\./;

function stackTrace(lines) {
  return h('pre', { class: 'stack' }, lines.flatMap((line) => [
    h('span', { class: libraryFrame.test(line.trim()) ? 'muted' : 'app-frame' }, line), '\n']));
}

export async function renderIssue(root, [id], _query, navigate) {
  const { issue } = await get(`/v1/issues/${id}`);
  let cleanup = null;
  const show = (current) => {
    const replay = current.sampleSessionId
      ? h('p', {}, h('a', { href: `/sessions/${encodeURIComponent(current.sampleSessionId)}${current.previewUrl?.includes('?t=') ? '?t=' + current.previewUrl.split('?t=')[1] : ''}` }, 'Watch the sample session’s replay'))
      : h('p', { class: 'muted' }, 'No session recorded with this issue.');
    clear(root, h('h1', {}, current.title),
      h('p', {}, badge(current.status), ' ', badge(current.priority, current.priority === 'low' ? 'info' : 'warning'), ' ',
        h('span', { class: 'muted' }, `${kindLabel(current.kind)} in ${current.projectSlug}`), ' · Status ', statusPicker(current, show)),
      h('div', { class: 'grid' },
        h('section', { class: 'card' }, h('h2', {}, 'Occurrences'),
          h('p', {}, `${plural(current.count, 'event')}, ${plural(current.userCount, 'user')}, ${plural(current.sessionCount, 'session')}`),
          h('p', { class: 'muted' }, `First seen ${formatTime(current.firstSeen)} · last seen ${formatTime(current.lastSeen)}`),
          current.culprit ? h('p', {}, 'Culprit: ', h('code', {}, current.culprit)) : null,
          h('p', { class: 'muted' }, 'Fingerprint ', h('code', {}, current.fingerprint.slice(0, 16)))),
        h('section', { class: 'card' }, h('h2', {}, 'Steps to replicate'),
          current.stepsToReplicate ? h('ol', {}, current.stepsToReplicate.map((step) => h('li', {}, step.replace(/^\d+\.\s*/, '')))) : h('p', { class: 'muted' }, 'No breadcrumbs recorded.'),
          replay)),
      h('h2', {}, 'Description'), h('pre', {}, current.description),
      current.stack?.length ? [h('h2', {}, 'Stack trace'), stackTrace(current.stack)] : null,
      current.traceId ? h('p', {}, h('a', { href: `/traces/${encodeURIComponent(current.traceId)}` }, 'View the trace of the sample occurrence')) : null,
      sample);
  };
  // The sample session's replay, seeked to the occurrence, right on the issue page.
  const sample = h('section', { class: 'sample' });
  show(issue);
  if (issue.sampleSessionId) {
    const seek = issue.previewUrl?.includes('?t=') ? Number(issue.previewUrl.split('?t=')[1]) : undefined;
    cleanup = await renderSession(sample, [issue.sampleSessionId], new URLSearchParams(), navigate,
      { ts: seek, eventID: issue.sampleEventId, title: 'Sample replay', embedded: true });
  }
  return () => cleanup && cleanup();
}
