// Tiny SVG and CSS charts: no library, readable without JavaScript once rendered.
import { h } from './ui.js';

const svgNS = 'http://www.w3.org/2000/svg';

function svg(tag, attributes, ...children) {
  const element = document.createElementNS(svgNS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return element;
}

/// Columns over time: `points` are `{label, value}` in order.
export function columnChart(points, { bad = false, title = '' } = {}) {
  const width = 600, height = 160, bottom = 18, top = 6;
  const max = Math.max(1, ...points.map((point) => point.value));
  const step = width / Math.max(points.length, 1);
  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title });
  points.forEach((point, index) => {
    const barHeight = ((height - bottom - top) * point.value) / max;
    const rect = svg('rect', {
      x: index * step + 2, y: height - bottom - barHeight, width: Math.max(step - 4, 1), height: barHeight, class: bad ? 'bad' : '',
    }, svg('title', {}, `${point.label}: ${point.value}`));
    chart.append(rect);
    if (points.length <= 14 || index % Math.ceil(points.length / 10) === 0) {
      chart.append(svg('text', { x: index * step + step / 2, y: height - 4, 'text-anchor': 'middle' }, point.label.slice(5)));
    }
  });
  return chart;
}

/// Horizontal bars for ranked lists: `items` are `{name, count}`.
export function rankedBars(items, href) {
  const max = Math.max(1, ...items.map((item) => item.count));
  return h('div', { class: 'bars' }, items.map((item) => h('div', { class: 'row' },
    h('span', { class: 'label', title: item.name }, href ? h('a', { href: href(item) }, item.name) : item.name),
    h('div', { class: 'bar', style: `width:${(100 * item.count) / max}%` }),
    h('span', { class: 'num' }, item.count.toLocaleString('en-US')))));
}
