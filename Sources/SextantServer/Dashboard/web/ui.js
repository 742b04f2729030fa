// Small DOM helpers shared by the views.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/// The URL parameters that carry the time range from view to view (see timerange.js).
export const rangeKeys = ['range', 'from', 'to', 'tz'];

/// Whether times read in UTC (`tz=utc` in the URL) rather than the browser's local time.
export function isUTC() {
  return new URLSearchParams(location.search).get('tz') === 'utc';
}

/// `HH:MM:SS` in local time, or in UTC when chosen.
export function formatClock(ms) {
  return formatTime(ms).slice(11);
}

/// `YYYY-MM-DD HH:MM:SS` in local time, or in UTC when chosen.
export function formatTime(ms) {
  if (ms === null || ms === undefined) return '—';
  const date = new Date(typeof ms === 'string' ? Date.parse(ms) : ms);
  if (Number.isNaN(date.getTime())) return '—';
  if (isUTC()) return date.toISOString().replace('T', ' ').slice(0, 19);
  const pad = (value) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${seconds % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/// `3 h ago`, `in 5 min`: how far a time is from now.
export function formatRelative(ms, now = Date.now()) {
  if (ms === null || ms === undefined) return '—';
  const distance = formatDuration(Math.abs(now - ms)).replace(/ \d+ s$/, '').replace(/ \d+ min$/, '');
  return ms <= now ? `${distance} ago` : `in ${distance}`;
}

export function formatNumber(value) {
  return value === null || value === undefined ? '—' : Number(value).toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/// `1 event`, `2 events`.
export function plural(count, word) {
  return `${formatNumber(count)} ${word}${count === 1 ? '' : 's'}`;
}

const kindNames = { error: 'Error', rage_click: 'Rage click', dead_click: 'Dead click', missed_heartbeat: 'Missed heartbeat', slow_endpoint: 'Slow endpoint' };

/// An issue kind as people say it.
export function kindLabel(kind) {
  return kindNames[kind] || kind;
}

/// `series` ({day, count}, ascending) with every UTC day from `first` to `last` present, zero where missing.
export function everyDay(series, first, last) {
  const counts = new Map(series.map((point) => [point.day, point.count]));
  const days = [];
  for (let day = Date.parse(`${first}T00:00:00Z`); day <= Date.parse(`${last}T00:00:00Z`); day += 86_400_000) {
    const label = new Date(day).toISOString().slice(0, 10);
    days.push({ day: label, count: counts.get(label) || 0 });
  }
  return days;
}

/// The empty state of a list: with filters set, that nothing matches them (and a way back);
/// without, the first-run help.
export function emptyFor(query, title) {
  return [...query.keys()].length
    ? emptyState('Nothing matches these filters', h('p', {}, h('a', { href: location.pathname }, 'Clear the filters')))
    : emptyState(title, ...sendFirstData());
}

export function badge(text, kind = text) {
  return h('span', { class: `badge ${kind}` }, text);
}

export function link(href, text) {
  return h('a', { href }, text);
}

/// A table with one row per item; `columns` are `{label, value(item), numeric}`.
export function table(columns, items, empty) {
  if (!items.length) return empty;
  // Wide tables scroll within their box on a phone instead of widening the page.
  // Focusable, so that keyboard users can scroll it too.
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Table' }, h('table', {},
    h('thead', {}, h('tr', {}, columns.map((column) => h('th', { class: column.numeric ? 'num' : null }, column.label)))),
    h('tbody', {}, items.map((item) => h('tr', {}, columns.map((column) =>
      h('td', { class: column.numeric ? 'num' : null }, column.value(item))))))));
}

/// What to do when a view has nothing to show yet.
export function emptyState(title, ...body) {
  return h('div', { class: 'empty' }, h('h2', {}, title), ...body);
}

export const sendFirstData = () => [
  h('p', { class: 'muted' }, 'Add the browser SDK to your site, or point a Sentry, OpenTelemetry or PostHog SDK here. ',
    h('a', { href: '/settings' }, 'Settings'), ' shows each project\'s key with its snippet, Sentry DSN and a curl command.'),
  h('pre', {}, `<script src="${location.origin}/sdk.js"></script>\n<script>Sextant.init({ app: "<project>", key: "<ingest key>" });</script>`),
  h('p', { class: 'muted' }, 'Want to look around first? Start the server with `sextant serve --demo`.'),
];

export function errorBox(error) {
  return h('div', { class: 'error-box', role: 'alert' }, `Could not load: ${error.message}`);
}

/// A `<form class=filters>` whose fields start from the query string and navigate on submit.
export function filterForm(fields, query, navigate) {
  const form = h('form', { class: 'filters' },
    fields.map((field) => h('label', {}, field.label,
      field.options
        ? h('select', { name: field.name }, field.options.map((option) => {
          // An option is a value, or `[value, label]`.
          const [value, label] = Array.isArray(option) ? option : [option, option || 'any'];
          return h('option', { value, selected: (query.get(field.name) || '') === value }, label);
        }))
        : h('input', { name: field.name, value: query.get(field.name) || '', placeholder: field.placeholder || '', size: field.size || 14 }))),
    h('button', { class: 'primary', type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value) params.set(name, value);
    // The time range stays as it is.
    for (const name of rangeKeys) if (!params.has(name) && query.get(name)) params.set(name, query.get(name));
    navigate(`${location.pathname}${params.size ? '?' + params : ''}`);
  });
  return form;
}
