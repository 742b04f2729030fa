// An issue: what it is, where and how often it happens, its stack, and its sample replay.
import { get } from './api.js';
import { columnChart, rankedBars } from './charts.js';
import { withRange } from './timerange.js';
import { renderSession } from './view-session.js';
import { statusLabel, statusPicker } from './view-issues.js';
import { badge, clear, formatTime, h, kindLabel, link, plural, table } from './ui.js';

// Application frames stand out; runtime and library frames are dimmed.
const libraryFrame = /node_modules\/|site-packages\/|dist-packages\/|\/lib\/python|node:internal|<anonymous>|\[native code\]|^at (java|javax|jdk|sun|kotlin)\./;

function stackTrace(lines) {
  return h('pre', { class: 'stack' }, lines.flatMap((line) => [
    h('span', { class: libraryFrame.test(line.trim()) ? 'muted' : 'app-frame' }, line), '\n']));
}

export async function renderIssue(root, [id], _query, navigate) {
  const [{ issue }, activity] = await Promise.all([get(`/v1/issues/${id}`), get(`/v1/issues/${id}/activity`, withRange({}))]);
  let cleanup = null;
  const show = (current) => {
    const replay = current.sampleSessionId
      ? h('p', {}, h('a', { href: `/sessions/${encodeURIComponent(current.sampleSessionId)}${current.previewUrl?.includes('?t=') ? '?t=' + current.previewUrl.split('?t=')[1] : ''}` }, 'Watch the sample session’s replay'))
      : h('p', { class: 'muted' }, 'No session recorded with this issue.');
    clear(root, h('h1', {}, current.title),
      h('p', {}, badge(statusLabel(current.status), current.status), ' ', badge(current.priority, current.priority === 'low' ? 'info' : 'warning'), ' ',
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
      activitySection(activity),
      h('h2', {}, 'Description'), h('pre', {}, current.description),
      current.stack?.length ? [h('h2', {}, 'Stack trace'), stackTrace(current.stack)] : null,
      current.traceId ? h('p', {}, h('a', { href: `/traces/${encodeURIComponent(current.traceId)}` }, 'View the trace of the sample occurrence')) : null,
      occurrenceList(activity.occurrences, current.projectSlug),
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

const tagNames = { url: 'URL', release: 'Release', environment: 'Environment', browser: 'Browser', os: 'OS', user: 'User', device: 'Device',
  service: 'Service', platform: 'Platform', server_name: 'Server', transaction: 'Transaction' };

/// Occurrences per day, and how they spread over each tag (browser, URL, release, environment, user…).
function activitySection(activity) {
  const days = activity.days.map((day) => ({ label: day.day, value: day.count }));
  return h('div', { class: 'grid activity' },
    h('section', { class: 'card' }, h('h2', {}, 'Events by day'),
      days.length ? columnChart(days, { bad: true, title: 'Occurrences by day' }) : h('p', { class: 'muted' }, 'No occurrences in this range.')),
    h('section', { class: 'card tags' }, h('h2', {}, 'Tags'),
      activity.tags.length
        ? activity.tags.map((tag) => h('div', { class: 'tag' }, h('h3', {}, tagNames[tag.key] || tag.key, h('span', { class: 'muted' }, ` · ${plural(tag.total, 'event')}`)),
          rankedBars(tag.values.map((value) => ({ name: value.value, count: value.count })))))
        : h('p', { class: 'muted' }, 'Its occurrences carried no tags.')));
}

/// The latest occurrences, each with its user, its session (and replay) and its tags.
function occurrenceList(occurrences, app) {
  return [h('h2', {}, 'Latest occurrences'), table([
    { label: 'Time', value: (occurrence) => occurrence.event_id ? link(`/incidents/${occurrence.event_id}`, formatTime(occurrence.ts)) : formatTime(occurrence.ts) },
    { label: 'User', value: (occurrence) => occurrence.user_id ? link(`/users/${encodeURIComponent(occurrence.user_id)}?app=${encodeURIComponent(app)}`, occurrence.user_id) : '—' },
    { label: 'Session', value: (occurrence) => occurrence.session_id ? link(`/sessions/${encodeURIComponent(occurrence.session_id)}?t=${occurrence.ts}`, occurrence.session_id) : '—' },
    { label: 'Where', value: (occurrence) => Object.entries(occurrence.tags).filter(([key]) => key !== 'user')
      .map(([key, value]) => h('span', { class: 'tag-chip' }, `${tagNames[key] || key}: ${value}`)) },
  ], occurrences, h('p', { class: 'muted' }, 'No occurrences in this range.'))];
}
