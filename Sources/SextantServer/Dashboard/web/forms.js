// Forms that change something: their fields, their errors, and a delete that asks twice.
import { h } from './ui.js';

/// A form of labelled fields; `fields` are `{name, label, type, placeholder, options, required, value}`.
/// `submit(values)` runs on submit; a failure shows under the form, success calls `done(result)`.
export function actionForm(title, fields, submitLabel, submit, done) {
  const status = h('div', { class: 'form-status', role: 'status' });
  const form = h('form', { class: 'filters action-form', 'aria-label': title },
    fields.map((field) => h('label', {}, field.label, input(field))),
    h('button', { class: 'primary', type: 'submit' }, submitLabel), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = {};
    for (const field of fields) {
      const element = form.elements[field.name];
      if (field.type === 'checkboxes') values[field.name] = [...form.querySelectorAll(`input[name="${field.name}"]:checked`)].map((box) => box.value);
      else values[field.name] = element.value.trim();
    }
    status.replaceChildren();
    try {
      done(await submit(values));
    } catch (error) {
      status.replaceChildren(h('span', { class: 'error-box', role: 'alert' }, error.message));
    }
  });
  return h('section', { class: 'card settings-form' }, h('h2', {}, title), form);
}

function input(field) {
  if (field.options) {
    return h('select', { name: field.name }, field.options.map((option) => h('option', { value: option, selected: option === field.value }, option)));
  }
  if (field.type === 'checkboxes') {
    return h('span', { class: 'checks', role: 'group' }, field.choices.map((choice) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: field.name, value: choice, checked: (field.value || []).includes(choice) }), choice)));
  }
  return h('input', { name: field.name, type: field.type || 'text', placeholder: field.placeholder || '', required: field.required, value: field.value || '', size: field.size || 18 });
}

/// A button that asks for a second click before it runs `action` (no browser dialog).
export function confirmButton(label, action) {
  const button = h('button', { type: 'button', class: 'danger' }, label);
  let armed = null;
  button.addEventListener('click', async () => {
    if (!armed) {
      button.textContent = `Confirm: ${label.toLowerCase()}`;
      armed = setTimeout(() => { armed = null; button.textContent = label; }, 5000);
      return;
    }
    clearTimeout(armed);
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      button.disabled = false;
      button.replaceWith(h('span', { class: 'error-box', role: 'alert' }, error.message));
    }
  });
  return button;
}

/// Text the user will paste somewhere, with a button that copies it.
export function copyable(text, label = 'Copy') {
  const button = h('button', { type: 'button', class: 'copy' }, label);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Select and copy';
    }
  });
  return h('div', { class: 'copyable' }, h('pre', {}, text), button);
}

/// The settings pages' own navigation.
export function settingsNav(current) {
  const pages = [['/settings', 'Projects and keys'], ['/settings/tokens', 'API tokens'], ['/monitors', 'Monitors'],
    ['/settings/signals', 'Signals'], ['/settings/webhooks', 'Webhooks']];
  return h('nav', { class: 'subnav', 'aria-label': 'Settings' }, pages.map(([href, label]) =>
    h('a', { href, class: href === current ? 'active' : null, 'aria-current': href === current ? 'page' : null }, label)));
}

/// Marks a record the configuration file owns: it is changed there, not here.
export function fromFile(source) {
  return source === 'config' ? h('span', { class: 'muted', title: 'Declared in the configuration file; change it there' }, 'configuration file') : null;
}
