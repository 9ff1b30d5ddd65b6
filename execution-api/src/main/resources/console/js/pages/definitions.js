import { api } from '../api.js';
import { h, show } from '../dom.js';
import { stepGraph } from '../graph.js';
import { schemaForm, onSubmit } from '../forms.js';

/** Every definition (latest versions), each a link to its page. */
export async function definitionsPage() {
  const list = h('ul', { class: 'cards' });
  show(h('h1', {}, 'Process definitions'), list);
  let cursor = null;
  do {
    const page = await api(`/api/v1/definitions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const definition of page.definitions) {
      list.append(
        h(
          'li',
          { class: 'card' },
          h('a', { href: `#/definitions/${encodeURIComponent(definition.id)}` }, definition.name),
          h('p', { class: 'hint' }, `${definition.id} · version ${definition.version}`),
        ),
      );
    }
    cursor = page.next;
  } while (cursor);
  if (!list.children.length) list.replaceWith(h('p', {}, 'No definitions yet: publish one with POST /api/v1/definitions.'));
}

/** A definition: its step graph and a form that starts a process of it. */
export async function definitionPage(id) {
  const definition = await api(`/api/v1/definitions/${encodeURIComponent(id)}`);
  const form = h('form', { 'aria-label': 'Start a process', class: 'card' }, h('h2', {}, 'Start a process'));
  const fields = h('div', { class: 'fields' });
  const summary = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit' }, 'Start process');
  form.append(fields, summary, submit);
  show(
    h('h1', {}, definition.name),
    h('p', { class: 'hint' }, `${definition.id} · version ${definition.version}`),
    h('figure', { 'aria-label': `Steps of ${definition.name}` }, stepGraph(definition), h('figcaption', {}, 'Steps, in order')),
    form,
  );
  const input = definition.inputSchema ? await schemaForm(fields, definition.inputSchema) : jsonInput(fields);
  onSubmit(form, {
    input,
    summary,
    button: submit,
    pointer: '/input',
    noun: 'input',
    send: async (value) => {
      const started = await api('/api/v1/processes', { method: 'POST', body: { definitionId: definition.id, input: value } });
      location.hash = `#/processes/${started.id}`;
    },
  });
}

/** For a definition without inputSchema: the input as JSON text. */
function jsonInput(container) {
  const error = h('p', { class: 'field-error', id: 'input-json-error', hidden: true });
  const textarea = h('textarea', { id: 'input-json', rows: 6, spellcheck: 'false' }, '{}');
  container.append(h('label', { for: 'input-json' }, 'Input (JSON)'), textarea, error);
  const fail = (message) => {
    error.textContent = message;
    error.hidden = false;
    textarea.setAttribute('aria-invalid', 'true');
    textarea.setAttribute('aria-describedby', 'input-json-error');
  };
  const clear = () => {
    error.hidden = true;
    textarea.removeAttribute('aria-invalid');
    textarea.removeAttribute('aria-describedby');
  };
  return {
    value: () => JSON.parse(textarea.value || '{}'),
    validate() {
      clear();
      try {
        const value = JSON.parse(textarea.value || '{}');
        if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('the input must be a JSON object');
        return true;
      } catch (e) {
        fail(`Not a JSON object: ${e.message}`);
        return false;
      }
    },
    showErrors(errors) {
      clear();
      if (errors && errors.length) fail(errors.map((e) => `${e.pointer}: ${e.detail}`).join('; '));
    },
    focusFirstError() {
      if (!error.hidden) textarea.focus();
    },
  };
}
