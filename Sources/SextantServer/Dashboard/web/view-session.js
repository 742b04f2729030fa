import { ApiError, get, replayChunk } from './api.js';
import { Replayer } from './player.js';
import { clear, formatClock, formatTime, h } from './ui.js';

function describe(event) {
  const props = event.props || {};
  switch (event.type) {
    case 'pageview': return `Viewed ${event.url ? new URL(event.url, location.origin).pathname : event.name}`;
    case 'error': return `${event.name}: ${props.message || ''}`;
    case 'network': return `${event.name}${props.status ? ` → ${props.status}` : ''}${props.duration_ms ? ` (${props.duration_ms} ms)` : ''}`;
    case 'bug_report': return `Bug report: ${props.message || event.name}`;
    default: return event.name;
  }
}

/// Chunks that are not rrweb (SeeStack's semantic replay) are listed as readable steps.
function isSemantic(events) {
  return events.length > 0 && events.every((event) => typeof event.type !== 'number' && event.eventType);
}

function semanticItem(event) {
  let detail = event.eventData;
  try { detail = JSON.stringify(JSON.parse(event.eventData)); } catch { /* keep the raw text */ }
  return h('li', {}, h('strong', {}, event.eventType), ' ', h('span', { class: 'muted' }, formatTime(event.timestampMillis)),
    event.url ? [' ', h('code', {}, event.url)] : null, h('div', {}, h('code', {}, String(detail ?? '').slice(0, 200))));
}

export async function renderSession(root, [sessionID], query, _navigate, focus = {}) {
  let manifest;
  try {
    manifest = await get(`/v1/sessions/${encodeURIComponent(sessionID)}/replay`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    manifest = { session_id: sessionID, chunks: [] };
  }
  const events = (await get('/v1/query/events', { session: sessionID, limit: 500 })).events.reverse();
  const times = events.map((event) => event.ts).concat(manifest.chunks.flatMap((chunk) => [chunk.ts, chunk.end_ts]));
  const from = times.length ? Math.min(...times) : null;
  const to = times.length ? Math.max(...times) : null;
  const logs = from === null ? [] : (await get('/v1/query/logs', { from, to, limit: 100 }).catch(() => ({ logs: [] }))).logs;

  const items = [
    ...events.map((event) => ({ ts: event.ts, kind: event.type, text: describe(event), id: event.id })),
    ...logs.map((log) => ({ ts: log.ts, kind: 'log', text: `[${log.level}] ${log.message}` })),
  ].sort((a, b) => a.ts - b.ts);

  const stage = h('div');
  const timeline = h('ul');
  const title = focus.title || `Session ${sessionID}`;
  clear(root, h(focus.embedded ? 'h2' : 'h1', {}, title),
    focus.subtitle ? h('p', { class: 'muted' }, focus.subtitle) : null,
    h('div', { class: 'session-layout' }, stage,
      h('aside', {}, h('h2', {}, 'Timeline'), h('div', { class: 'timeline' }, timeline))));

  let replayer = null;
  const rows = items.map((item) => {
    // A button per row: the keyboard reaches and activates it like a click.
    const seek = h('button', { type: 'button', class: 'seek', title: formatTime(item.ts) },
      h('span', { class: 'muted' }, formatClock(item.ts)), ' ', item.text);
    seek.addEventListener('click', () => replayer && replayer.seek(item.ts - replayer.start));
    const row = h('li', { class: `kind-${item.kind}${item.id === focus.eventID ? ' current' : ''}` }, seek);
    return row;
  });
  timeline.append(...(rows.length ? rows : [h('li', { class: 'muted' }, 'No events in this session.')]));

  if (!manifest.chunks.length) {
    stage.append(h('div', { class: 'empty' }, h('h2', {}, 'No replay recorded'),
      h('p', { class: 'muted' }, 'Load rrweb on the page with the SDK and its replay is uploaded to /v1/replay.')));
    return;
  }
  const first = await replayChunk(manifest.chunks[0].path);
  if (isSemantic(first)) {
    const list = h('ul', { class: 'semantic card' }, first.map(semanticItem));
    stage.append(h('h2', {}, 'Recorded steps'), list);
    for (const chunk of manifest.chunks.slice(1)) list.append(...(await replayChunk(chunk.path)).map(semanticItem));
    return;
  }
  replayer = new Replayer(stage, {
    onTime: (ts) => rows.forEach((row, index) => row.classList.toggle('current', items[index].ts <= ts && (items[index + 1]?.ts ?? Infinity) > ts)),
  });
  replayer.addEvents(first);
  replayer.setMarkers(items.filter((item) => item.kind === 'error' || item.kind === 'bug_report').map((item) => ({ ts: item.ts, kind: 'error', label: item.text })));
  const target = focus.ts ?? (query.get('t') ? Number(query.get('t')) : null);
  // Chunks load in order as the player needs them; the one holding the target is awaited first.
  let loading = Promise.resolve();
  for (const chunk of manifest.chunks.slice(1)) {
    const load = loading.then(() => replayChunk(chunk.path)).then((list) => replayer.addEvents(list));
    loading = load.catch((error) => console.warn('replay chunk failed', error));
    if (target !== null && chunk.ts <= target) await loading;
  }
  if (target !== null) replayer.seek(target - replayer.start);
  return () => replayer.destroy();
}

export async function renderIncident(root, [eventID], query, navigate) {
  const incident = await get(`/v1/incidents/${eventID}`);
  const event = incident.event;
  if (!incident.session_id) {
    clear(root, h('h1', {}, `Incident: ${event.name}`), h('p', { class: 'muted' }, `${event.type} at ${formatTime(event.ts)}, outside any session`),
      h('pre', {}, JSON.stringify(event, null, 2)));
    return;
  }
  return renderSession(root, [incident.session_id], query, navigate, {
    ts: incident.incident_ts, eventID: event.id, title: `Incident: ${event.name}`,
    subtitle: `${event.type} at ${formatTime(event.ts)} in session ${incident.session_id}${event.props?.message ? ` — ${event.props.message}` : ''}`,
  });
}
