// Rebuilds an rrweb page inside a document and applies its incremental changes
// (spec: ../shared/spec/RRWEB.md). Pure DOM work, unit-tested in the browser.

const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_TAGS = {
  lineargradient: 'linearGradient', radialgradient: 'radialGradient', clippath: 'clipPath', foreignobject: 'foreignObject',
  textpath: 'textPath', feblend: 'feBlend', fecolormatrix: 'feColorMatrix', fegaussianblur: 'feGaussianBlur', feoffset: 'feOffset',
};

/// Ids to nodes and back, for one full snapshot.
export class Mirror {
  constructor() {
    this.nodes = new Map();
    this.ids = new WeakMap();
  }

  get(id) { return this.nodes.get(id) || null; }

  has(id) { return this.nodes.has(id); }

  set(id, node) {
    this.nodes.set(id, node);
    this.ids.set(node, id);
  }

  /// Forgets a node and everything under it.
  removeTree(node) {
    const id = this.ids.get(node);
    if (id !== undefined) this.nodes.delete(id);
    for (const child of node.childNodes || []) this.removeTree(child);
  }
}

function setAttribute(element, name, value) {
  if (name.startsWith('rr_') || name === '_cssText') return;
  // Recorded handlers never run: they are renamed, and the sandbox has no scripts anyway.
  const safeName = /^on/i.test(name) ? `_${name}` : name;
  try {
    if (value === null || value === undefined) element.removeAttribute(safeName);
    else element.setAttribute(safeName, value === true ? '' : String(value));
  } catch {
    // An attribute name the DOM refuses (recorded from a framework's odd markup): skip it.
  }
}

function buildElement(node, doc, inSVG) {
  const lower = String(node.tagName || 'div').toLowerCase();
  const svg = inSVG || node.isSVG || lower === 'svg';
  let element;
  if (svg) {
    element = doc.createElementNS(SVG_NS, SVG_TAGS[lower] || lower);
  } else {
    // Scripts become inert placeholders; noscript is hidden by the injected style.
    element = doc.createElement(lower === 'script' ? 'noscript' : lower);
  }
  const attributes = node.attributes || {};
  for (const [name, value] of Object.entries(attributes)) {
    if (lower === 'textarea' && name === 'value') continue;
    setAttribute(element, name, value);
  }
  if (typeof attributes._cssText === 'string') {
    if (lower === 'link') {
      const style = doc.createElement('style');
      style.textContent = attributes._cssText;
      return { element: style, svg };
    }
    element.textContent = attributes._cssText;
  }
  if (lower === 'textarea' && attributes.value !== undefined) element.textContent = String(attributes.value);
  if (attributes.rr_width) element.style.width = attributes.rr_width;
  if (attributes.rr_height) element.style.height = attributes.rr_height;
  return { element, svg };
}

/// Creates one serialized node (without children) in `doc`.
export function createNode(node, doc, inSVG = false) {
  switch (node.type) {
    case 2: return buildElement(node, doc, inSVG);
    case 3: return { element: doc.createTextNode(node.textContent ?? ''), svg: inSVG };
    case 4: return { element: doc.createTextNode(node.textContent ?? ''), svg: inSVG };
    case 5: return { element: doc.createComment(node.textContent ?? ''), svg: inSVG };
    default: return { element: null, svg: inSVG };
  }
}

/// Builds `node` and its children depth-first, registering every id.
export function buildTree(node, doc, mirror, inSVG = false) {
  const { element, svg } = createNode(node, doc, inSVG);
  if (!element) return null;
  mirror.set(node.id, element);
  const parentIsStyled = element.nodeName === 'STYLE' && element.textContent;
  for (const child of node.childNodes || []) {
    const built = buildTree(child, doc, mirror, svg && element.nodeName.toLowerCase() !== 'foreignobject');
    // A <style> rebuilt from _cssText already holds its text.
    if (built && !(parentIsStyled && built.nodeType === 3)) element.append(built);
  }
  return element;
}

/// Replaces `doc`'s content with the full snapshot; returns the new mirror.
export function rebuild(snapshot, doc) {
  const mirror = new Mirror();
  doc.open();
  doc.write('<!DOCTYPE html><html><head></head><body></body></html>');
  doc.close();
  doc.documentElement.remove();
  mirror.set(snapshot.id, doc);
  for (const child of snapshot.childNodes || []) {
    if (child.type === 1) continue;  // the doctype is already written
    const built = buildTree(child, doc, mirror);
    if (built) doc.append(built);
  }
  const style = doc.createElement('style');
  style.textContent = 'noscript{display:none!important}';
  (doc.head || doc.documentElement || doc).append(style);
  return mirror;
}

/// Applies one rrweb Mutation: removes, adds (retrying those whose parent or next sibling is not
/// there yet), texts, attributes. Missing ids are skipped, as rrweb's replayer does.
export function applyMutation(data, mirror, doc) {
  for (const remove of data.removes || []) {
    const node = mirror.get(remove.id);
    if (!node) continue;
    mirror.removeTree(node);
    node.parentNode?.removeChild(node);
  }
  let queue = [...(data.adds || [])];
  while (queue.length) {
    const waiting = [];
    for (const add of queue) {
      const parent = mirror.get(add.parentId);
      const next = add.nextId === null || add.nextId === undefined ? null : mirror.get(add.nextId);
      if (!parent || (add.nextId !== null && add.nextId !== undefined && add.nextId !== -1 && !next)) {
        waiting.push(add);
        continue;
      }
      const inSVG = parent.namespaceURI === SVG_NS && parent.nodeName.toLowerCase() !== 'foreignobject';
      const { element } = createNode(add.node, doc, inSVG);
      if (!element) continue;
      mirror.set(add.node.id, element);
      try {
        if (next && next.parentNode === parent) parent.insertBefore(element, next);
        else parent.appendChild(element);
      } catch {
        // A node the parent cannot hold (e.g. a second <html>): leave it out.
      }
    }
    if (waiting.length === queue.length) break;  // the rest can never attach
    queue = waiting;
  }
  for (const text of data.texts || []) {
    const node = mirror.get(text.id);
    if (node) node.textContent = text.value ?? '';
  }
  for (const change of data.attributes || []) {
    const element = mirror.get(change.id);
    if (!element || element.nodeType !== 1) continue;
    for (const [name, value] of Object.entries(change.attributes || {})) {
      if (name === 'style' && value && typeof value === 'object') {
        for (const [property, setting] of Object.entries(value)) {
          if (setting === false) element.style.removeProperty(property);
          else if (Array.isArray(setting)) element.style.setProperty(property, setting[0], setting[1]);
          else element.style.setProperty(property, setting);
        }
      } else if (name === '_cssText' && element.nodeName === 'STYLE') {
        element.textContent = value ?? '';
      } else {
        setAttribute(element, name, value);
      }
    }
  }
}

/// An Input event: the typed (already masked) text, or a checkbox's state.
export function applyInput(data, mirror) {
  const element = mirror.get(data.id);
  if (!element) return;
  if (typeof data.isChecked === 'boolean' && 'checked' in element) element.checked = data.isChecked;
  if (typeof data.text === 'string' && 'value' in element) element.value = data.text;
}

/// A Scroll event on the document or an element.
export function applyScroll(data, mirror, doc) {
  const node = mirror.get(data.id);
  if (!node) return;
  if (node === doc || node === doc.documentElement) doc.defaultView?.scrollTo(data.x, data.y);
  else {
    node.scrollLeft = data.x;
    node.scrollTop = data.y;
  }
}
