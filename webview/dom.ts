// Building DOM without markup strings: every piece of text goes through textContent or an
// attribute setter, so function names and paths from a profile are always data, never HTML.

/** ElementProps are the common things set on a new element. */
export interface ElementProps {
  className?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
}

/** h creates an HTML element with props and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: ElementProps, ...children: Array<Node | string>): HTMLElementTagNameMap[K];
export function h(tag: string, props?: ElementProps, ...children: Array<Node | string>): HTMLElement;
export function h(tag: string, props: ElementProps = {}, ...children: Array<Node | string>): HTMLElement {
  const el = document.createElement(tag);
  apply(el, props);
  for (const c of children) el.append(c);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** svg creates an SVG element with attributes (numbers are written as strings). */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** iconButton is a small codicon button with an accessible label. */
export function iconButton(icon: string, label: string, onClick: (e: MouseEvent) => void): HTMLButtonElement {
  const b = h('button', { className: `icon-button codicon codicon-${icon}`, title: label, attrs: { 'aria-label': label, type: 'button' } });
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    onClick(e);
  });
  return b;
}

/** clear removes every child of an element. */
export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}

function apply(el: HTMLElement, props: ElementProps): void {
  if (props.className) el.className = props.className;
  if (props.text !== undefined) el.textContent = props.text;
  if (props.title !== undefined) el.title = props.title;
  for (const [k, v] of Object.entries(props.attrs ?? {})) el.setAttribute(k, v);
}

// The @vscode-elements controls render their real <input> / combobox inside a shadow root: an
// aria-label on the host never reaches it (Chromium's accessibility tree showed `combobox ""`).
// Their `label` attribute is what they copy to the inner control's aria-label.

/** textField is a VS Code-styled text box (@vscode-elements' vscode-textfield); `label` is its accessible name. */
export function textField(type: 'search' | 'number', label: string, value: string, placeholder = ''): HTMLElement & { value: string } {
  const field = h('vscode-textfield', { className: type === 'number' ? 'number-field' : 'text-field', title: label, attrs: { type, label, placeholder, spellcheck: 'false' } }) as HTMLElement & { value: string };
  field.value = value;
  // vscode-textfield declares `label` as a property only (attribute: false): the attribute above
  // never reaches the inner <input>'s aria-label, the property does.
  (field as unknown as { label: string }).label = label;
  return field;
}

/** selectBox is a VS Code-styled dropdown (@vscode-elements' vscode-single-select) of [value, label] pairs. */
export function selectBox(label: string, options: Array<[string, string]>, value: string): HTMLElement & { value: string } {
  const box = h('vscode-single-select', { title: label, attrs: { label } },
    ...options.map(([v, text]) => h('vscode-option', { text, attrs: v === value ? { value: v, selected: '' } : { value: v } }))) as HTMLElement & { value: string };
  box.value = value;
  return box;
}
