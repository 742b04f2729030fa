// Unit tests of the player's snapshot rebuild and mutation application, run in the browser by
// test_browser.py. Fixtures from ../shared/fixtures/rrweb arrive as window.__fixtures.
import { Mirror, applyInput, applyMutation, rebuild } from '/assets/snapshot.js';

const results = [];
function test(name, body) {
  try {
    body();
    results.push({ name, ok: true });
  } catch (error) {
    results.push({ name, ok: false, message: String(error && error.stack || error) });
  }
}
function assert(condition, message) { if (!condition) throw new Error(message); }
function equal(actual, expected, message) { if (actual !== expected) throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`); }

function sandbox() {
  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', 'allow-same-origin');
  document.body.append(iframe);
  return iframe.contentDocument;
}

const el = (id, tagName, attributes = {}, childNodes = [], extra = {}) => ({ type: 2, id, tagName, attributes, childNodes, ...extra });
const text = (id, textContent) => ({ type: 3, id, textContent });
const page = {
  type: 0, id: 1, childNodes: [{ type: 1, id: 2, name: 'html', publicId: '', systemId: '' }, el(3, 'html', {}, [
    el(4, 'head', {}, [el(5, 'style', { _cssText: 'p{color:red}' }), el(6, 'script', {}, [text(7, 'SCRIPT_PLACEHOLDER')])]),
    el(8, 'body', {}, [
      el(9, 'p', { id: 'greeting', onclick: 'steal()' }, [text(10, 'Hello')]),
      el(11, 'svg', { viewBox: '0 0 10 10' }, [el(12, 'lineargradient', { id: 'g' }, [], { isSVG: true })], { isSVG: true }),
      el(13, 'textarea', { value: 'typed' }),
      el(14, 'ul', {}, [el(15, 'li', {}, [text(16, 'one')])]),
      el(17, 'input', { type: 'checkbox' }),
    ]),
  ])],
};

test('rebuild creates the recorded page without running anything', () => {
  const doc = sandbox();
  const mirror = rebuild(page, doc);
  equal(doc.getElementById('greeting').textContent, 'Hello', 'text');
  assert(!doc.getElementById('greeting').hasAttribute('onclick'), 'onclick must not survive');
  equal(doc.getElementById('greeting').getAttribute('_onclick'), 'steal()', 'handler kept renamed');
  equal(doc.querySelectorAll('script').length, 0, 'no script element');
  equal(mirror.get(6).nodeName, 'NOSCRIPT', 'script became noscript');
  equal(mirror.get(5).textContent, 'p{color:red}', 'style text from _cssText');
  equal(mirror.get(11).namespaceURI, 'http://www.w3.org/2000/svg', 'svg namespace');
  equal(mirror.get(12).nodeName, 'linearGradient', 'svg tag case restored');
  equal(mirror.get(13).value, 'typed', 'textarea value');
  equal(doc.body.textContent.includes('Hello'), true, 'body text');
});

test('mutations remove, add in order with deferred nextId, change text and attributes', () => {
  const doc = sandbox();
  const mirror = rebuild(page, doc);
  applyMutation({
    removes: [{ parentId: 14, id: 15 }, { parentId: 15, id: 16 }],
    adds: [
      { parentId: 14, nextId: 21, node: el(20, 'li', { class: 'first' }) },
      { parentId: 20, nextId: null, node: text(22, 'first') },
      { parentId: 14, nextId: null, node: el(21, 'li', { class: 'second' }) },
    ],
    texts: [{ id: 10, value: 'Bye' }],
    attributes: [{ id: 9, attributes: { class: 'big', id: null, style: { color: ['black', 'important'], margin: '2px' } } }],
  }, mirror, doc);
  const items = [...mirror.get(14).children].map((item) => item.className);
  equal(items.join(','), 'first,second', 'deferred add placed before its next sibling');
  assert(!mirror.has(15) && !mirror.has(16), 'removed subtree forgotten');
  equal(mirror.get(9).textContent, 'Bye', 'text mutation');
  equal(mirror.get(9).className, 'big', 'attribute set');
  assert(!mirror.get(9).hasAttribute('id'), 'null removes an attribute');
  equal(mirror.get(9).style.getPropertyPriority('color'), 'important', 'style object with priority');
  equal(mirror.get(9).style.margin, '2px', 'style object value');
});

test('inputs set values and checkboxes', () => {
  const doc = sandbox();
  const mirror = rebuild(page, doc);
  applyInput({ id: 13, text: '*****' }, mirror);
  applyInput({ id: 17, text: 'on', isChecked: true }, mirror);
  equal(mirror.get(13).value, '*****', 'masked text');
  equal(mirror.get(17).checked, true, 'checkbox');
});

test('mirror forgets whole subtrees', () => {
  const mirror = new Mirror();
  const parent = document.createElement('div');
  const child = document.createElement('span');
  parent.append(child);
  mirror.set(1, parent);
  mirror.set(2, child);
  mirror.removeTree(parent);
  assert(!mirror.has(1) && !mirror.has(2), 'both ids gone');
});

function replayFixture(events) {
  const doc = sandbox();
  let mirror = null;
  for (const event of events) {
    if (event.type === 2) mirror = rebuild(event.data.node, doc);
    else if (event.type === 3 && event.data.source === 0) applyMutation(event.data, mirror, doc);
    else if (event.type === 3 && event.data.source === 5) applyInput(event.data, mirror);
  }
  return { doc, mirror };
}

const fixtures = window.__fixtures || {};
if (Object.keys(fixtures).length) {
  test('select2 fixture: moved nodes, deferred adds and removes under removed parents all resolve', () => {
    const events = fixtures['rrweb-node-mutations-select2.json'];
    const { doc, mirror } = replayFixture(events);
    for (const event of events) {
      if (event.type !== 3 || event.data.source !== 0) continue;
      for (const add of event.data.adds) assert(mirror.has(add.node.id), `added node ${add.node.id} resolves`);
    }
    assert(doc.body.textContent.includes('Select2 is a jQuery replacement'), 'recorded text shown');
  });

  test('PostHog window 2: shadow and SVG adds and the replaced title', () => {
    const { doc } = replayFixture(fixtures['posthog-nextjs-window2.json']);
    assert(doc.body.textContent.includes('Capture event'), 'recorded button text');
  });

  test('form fixture: typed text arrives in the inputs', () => {
    const { doc } = replayFixture(fixtures['rrweb-form-interactions.json']);
    const values = [...doc.querySelectorAll('input, textarea')].map((input) => input.value).join('|');
    assert(values.length > 0 && /\w/.test(values), `inputs hold typed text (${values})`);
  });
} else {
  results.push({ name: 'shared fixtures', ok: true, skipped: '../shared/fixtures/rrweb is absent' });
}

window.__snapshotTests = results;
