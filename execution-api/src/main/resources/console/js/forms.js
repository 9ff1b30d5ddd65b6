// Forms generated from JSON Schemas by json-editor (vendor/jsoneditor.js, MIT; see
// vendor/README.md), and errors, the editor's own or the API's (problem `errors` with JSON
// pointers), shown next to the fields they concern.
import { ApiError } from './api.js';
import { h, alertOf } from './dom.js';

let loading = null;

/** Loads json-editor once (a classic script that defines window.JSONEditor). */
function jsonEditor() {
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = h('script', { src: 'vendor/jsoneditor.js' });
      script.addEventListener('load', () => resolve(window.JSONEditor));
      script.addEventListener('error', () => reject(new Error('the form library could not be loaded')));
      document.head.append(script);
    });
  }
  return loading;
}

/**
 * A form for `schema` inside `container`. Returns {value(), validate(), showErrors(errors, prefix),
 * clearErrors()}; `prefix` is the pointer of the form's value in the API's request (e.g. /output).
 */
export async function schemaForm(container, schema) {
  const JSONEditor = await jsonEditor();
  const editor = new JSONEditor(container, {
    schema: withTitles(schema),
    theme: 'html',
    disable_theme_rules: true,
    disable_edit_json: true,
    disable_properties: true,
    disable_collapse: true,
    disable_array_delete_last_row: true,
    disable_array_delete_all_rows: true,
    no_additional_properties: true,
    show_errors: 'never',
    required_by_default: false,
    display_required_only: false,
    prompt_before_delete: false,
    use_name_attributes: false,
  });
  await new Promise((resolve) => editor.on('ready', resolve));
  const fieldErrors = [];
  const clearErrors = () => {
    for (const { element, input } of fieldErrors.splice(0)) {
      element.remove();
      if (input) {
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
      }
    }
  };
  const showError = (path, message) => {
    const field = editor.getEditor(path) || editor.getEditor('root');
    const id = `error-${fieldErrors.length}-${Math.random().toString(36).slice(2, 8)}`;
    const element = h('p', { class: 'field-error', id }, message);
    const input = field.input || field.container.querySelector('input, textarea, select');
    (field.control || field.container).append(element);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', id);
    }
    fieldErrors.push({ element, input });
  };
  return {
    value: () => editor.getValue(),
    /** The editor's own check; true when the value fits the schema (errors shown otherwise). */
    validate() {
      clearErrors();
      // json-editor takes a field's value on 'change'; a field still being typed in has not sent it.
      for (const input of container.querySelectorAll('input, textarea, select')) {
        input.dispatchEvent(new Event('change', { bubbles: true }));
      }
      // With no argument json-editor answers the check it cached on its last repaint.
      const errors = editor.validate(editor.getValue());
      for (const error of errors) showError(fieldPath(editor, error.path, error.message), error.message);
      return errors.length === 0;
    },
    /** The API's errors ({pointer, detail}) next to their fields; those of no field are returned. */
    showErrors(errors, prefix) {
      clearErrors();
      for (const error of errors || []) {
        const pointer = error.pointer.startsWith(prefix) ? error.pointer.slice(prefix.length) : error.pointer;
        const path = ['root', ...pointer.split('/').filter(Boolean).map(unescapePointer)].join('.');
        showError(fieldPath(editor, path, error.detail), error.detail);
      }
    },
    clearErrors,
    focusFirstError() {
      const first = fieldErrors.find((e) => e.input);
      if (first) first.input.focus();
    },
  };
}

/**
 * On `form`'s submit: checks `input` (its errors shown, nothing sent), then send(value) with
 * `button` disabled meanwhile; a refusal shows the API's errors next to their fields (`pointer`:
 * where the value sits in the request body) and the problem in `summary`. `noun` names the value.
 */
export function onSubmit(form, { input, summary, button, pointer, noun, send }) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    summary.replaceChildren();
    if (!input.validate()) {
      summary.replaceChildren(h('p', { role: 'alert', class: 'error' }, `The ${noun} does not fit the form: see the fields marked.`));
      input.focusFirstError();
      return;
    }
    button.disabled = true;
    try {
      await send(input.value());
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors) input.showErrors(error.problem.errors, pointer);
      summary.replaceChildren(alertOf(error));
      input.focusFirstError();
    } finally {
      button.disabled = false;
    }
  });
}

/** A message about a missing property concerns that property's field when the form has one. */
function fieldPath(editor, path, message) {
  const named = /["'`]([^"'`]+)["'`]/.exec(message || '') || /\$\.([A-Za-z0-9_]+)/.exec(message || '');
  if (named && editor.getEditor(`${path}.${named[1]}`)) return `${path}.${named[1]}`;
  return path;
}

function unescapePointer(token) {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Every property gets a visible label (its title, else its name); a boolean is a checkbox. */
function withTitles(schema) {
  if (!schema || typeof schema !== 'object') return schema;
  const copy = { ...schema };
  if (copy.type === 'boolean' && !copy.format) copy.format = 'checkbox';
  if (copy.properties) {
    copy.properties = Object.fromEntries(
      Object.entries(copy.properties).map(([name, property]) => [name, { title: name, ...withTitles(property) }]),
    );
  }
  if (copy.items && typeof copy.items === 'object') copy.items = withTitles(copy.items);
  return copy;
}
