// Small DOM helpers. Text always goes in as text nodes, never as HTML, so data from the
// service (labels, inputs, collection entries) cannot inject markup.

/** Creates an element: h('td', {class: 'num'}, '3.2', child). Attributes starting with "on" are listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

/** Appends strings, numbers, nodes and (nested) arrays of them. */
export function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Creates an SVG element (for charts). */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children.flat(Infinity)) if (child) element.append(child);
  return element;
}

/** Formats a number with a fixed number of significant decimals, or "–" when it is not finite. */
export function formatNumber(value, digits = 1) {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** Formats seconds as milliseconds ("12.3 ms"), or "–". */
export function formatMilliseconds(seconds) {
  return Number.isFinite(seconds) ? `${(seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1)} ms` : '–';
}
