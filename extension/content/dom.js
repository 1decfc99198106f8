/* Tiny DOM helpers for the panel and picker: elements are built with textContent only, never innerHTML,
   so nothing that came from a transcript, a note or a PIMS page can become live markup. */
globalThis.VetScribe = globalThis.VetScribe || {};

(() => {
  /** Create an element; `props` may hold attributes (strings), `testid`, `on` (event handlers) and `text`. */
  function h(tag, props = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") node.textContent = String(value);
      else if (key === "testid") node.setAttribute("data-testid", value);
      else if (key === "on") for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
      else if (key === "value") node.value = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of [].concat(children)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  /** Replace all children of `node` with `children` (nodes or strings rendered as text). */
  function replaceChildren(node, children) {
    node.replaceChildren(...[].concat(children).filter((c) => c !== null && c !== undefined && c !== false).map((c) => (typeof c === "string" ? document.createTextNode(c) : c)));
  }

  /** Visible text of an HTML fragment, whitespace-collapsed; parsed inert (DOMParser runs no scripts). */
  function fragmentText(html) {
    const doc = new DOMParser().parseFromString(String(html), "text/html");
    return (doc.body.textContent || "").replace(/\s+/g, " ").trim();
  }

  /** A random idempotency key; crypto.randomUUID needs a secure context and many PIMS pages are plain http. */
  function newKey(prefix = "k") {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  }

  VetScribe.dom = { h, replaceChildren, fragmentText, newKey };
})();
