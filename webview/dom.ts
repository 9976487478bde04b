// The one way the panel builds DOM: elements with attributes and text nodes. Data only ever becomes
// text (textContent / text nodes), never markup, so a tool's output cannot inject HTML.
export type Child = Node | string | null | undefined | false;

export interface Props {
  className?: string;
  attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`task panel: missing #${id}`);
  return element as T;
}

/** Replace an element's children (text nodes and elements built with `h`). */
export function replaceChildren(element: Element, ...children: Child[]): void {
  element.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}

/** The text a user sees in an element, whitespace collapsed ("" when it is hidden). */
export function visibleText(element: HTMLElement): string {
  if (element.hidden || element.closest("[hidden]")) return "";
  return element.innerText.replace(/\s+/g, " ").trim();
}
