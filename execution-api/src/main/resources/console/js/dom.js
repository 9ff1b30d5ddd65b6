// Builds elements from data. Text always goes in as text nodes, never as HTML: process data, LLM
// answers and tool output reach the page only through here.

/** An element: h('a', {href: '#/x', class: 'c'}, 'text', child, [more]). */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** An SVG element, for the step graph. */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the page's content and moves focus to its heading, for keyboard and reader users. */
export function show(...children) {
  const main = document.getElementById('main');
  main.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

/** JSON as readable text. */
export function pretty(value) {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** A timestamp in the reader's locale. */
export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** A role=alert paragraph with a problem's message. */
export function alertOf(error) {
  return h('p', { role: 'alert', class: 'error' }, error.message);
}
