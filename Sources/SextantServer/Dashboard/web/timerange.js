// The time range every view shows, kept in the URL so a link shares it: a preset (`range=24h`)
// or a custom span (`from`/`to`, ISO dates or date-times), and whether times read in UTC (`tz=utc`)
// or the browser's local time.
import { h, isUTC, rangeKeys } from './ui.js';

export { rangeKeys };

const hour = 3_600_000;
const day = 24 * hour;
export const presets = [
  ['1h', 'Last hour', hour], ['24h', 'Last 24 hours', day], ['7d', 'Last 7 days', 7 * day], ['30d', 'Last 30 days', 30 * day],
  ['90d', 'Last 90 days', 90 * day], ['all', 'All time', null],
];

function query() {
  return new URLSearchParams(location.search);
}

/// `{key, label, from, to, span}` with `from`/`to` in epoch ms, undefined when unbounded: a
/// preset runs until now, so a view that refreshes keeps receiving what arrives.
export function currentRange() {
  const params = query();
  const from = params.get('from'), to = params.get('to');
  if (from || to) {
    const parse = (text, end) => {
      if (!text) return undefined;
      if (/^\d+$/.test(text)) return Number(text);
      // A date alone covers the whole day; without a zone the time is local unless UTC is chosen.
      const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
      const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(text);
      const base = dateOnly ? `${text}T00:00:00` : text;
      const ms = Date.parse(zoned || !isUTC() ? base : `${base}Z`);
      return Number.isNaN(ms) ? undefined : ms + (dateOnly && end ? day - 1 : 0);
    };
    return { key: 'custom', label: 'Custom range', from: parse(from, false), to: parse(to, true) };
  }
  const [key, label, span] = presets.find(([name]) => name === params.get('range')) || presets[presets.length - 1];
  return { key, label, from: span ? Date.now() - span : undefined, to: undefined, span };
}

/// The same span just before `range`, for comparisons; null when the range is unbounded.
export function previousRange(range = currentRange()) {
  if (range.from === undefined) return null;
  const span = range.span ?? (range.to ?? Date.now()) - range.from + 1;
  return { from: range.from - span, to: range.from - 1 };
}

/// `params` for an API call bounded by the current range (where `params` does not set its own).
export function withRange(params = {}, range = currentRange()) {
  return { ...params, from: params.from ?? range.from, to: params.to ?? range.to };
}


function localInputValue(ms) {
  if (ms === undefined) return '';
  const date = new Date(ms);
  if (isUTC()) return date.toISOString().slice(0, 16);
  const pad = (value) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/// The control in the header: presets, a custom from/to, and the UTC toggle. Every change
/// rewrites the URL's range parameters, keeping the view's own, and renders the view again.
export function rangeControl(navigate) {
  const range = currentRange();
  const apply = (changes) => {
    const params = query();
    for (const name of rangeKeys) if (name in changes) {
      if (changes[name]) params.set(name, changes[name]); else params.delete(name);
    }
    const search = params.toString();
    navigate(location.pathname + (search ? `?${search}` : ''));
  };
  const select = h('select', { 'aria-label': 'Time range' },
    presets.map(([key, label]) => h('option', { value: key, selected: key === range.key }, label)),
    h('option', { value: 'custom', selected: range.key === 'custom' }, 'Custom range…'));
  const fromInput = h('input', { type: 'datetime-local', 'aria-label': 'From', value: localInputValue(range.from) });
  const toInput = h('input', { type: 'datetime-local', 'aria-label': 'To', value: localInputValue(range.to) });
  const custom = h('span', { class: 'custom-range', hidden: range.key !== 'custom' }, fromInput, ' – ', toInput,
    h('button', { type: 'button', onclick: () => apply({ range: '', from: fromInput.value, to: toInput.value }) }, 'Apply'));
  select.addEventListener('change', () => {
    if (select.value === 'custom') {
      custom.hidden = false;
      fromInput.value ||= localInputValue(range.from ?? Date.now() - 7 * day);
      toInput.value ||= localInputValue(range.to ?? Date.now());
      fromInput.focus();
    } else {
      apply({ range: select.value === 'all' ? '' : select.value, from: '', to: '' });
    }
  });
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
  const utc = h('label', { class: 'utc-toggle' }, h('input', { type: 'checkbox', checked: isUTC(), onchange: (event) => apply({ tz: event.target.checked ? 'utc' : '' }) }),
    ' UTC');
  return h('div', { class: 'range', role: 'group', 'aria-label': 'Time range' }, select, custom, utc,
    h('span', { class: 'muted zone' }, isUTC() ? 'Times in UTC' : `Times in ${zone}`));
}
