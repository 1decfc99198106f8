// DOM helpers for the resolver: text normalisation, labels, roles, accessible names, nearby text, and walking
// into same-origin iframes and open shadow roots. Pure reads; never changes the page.
// Load order: extension/resolve/files.json (dom, locate, similarity, resolver, propose; all on VetScribe.resolver).
globalThis.VetScribe = globalThis.VetScribe || {};
VetScribe.resolver = VetScribe.resolver || {};

VetScribe.resolver.dom = (() => {
  "use strict";

  // Text inside these is page content or code, never a caption: skip it when looking for nearby text.
  const SKIP_TEXT_PARENTS = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA", "OPTION", "SELECT"]);
  // What "a field" means when a locator does not say (text_near default target, similarity candidates).
  const EDITABLE =
    'input:not([type="hidden"]):not([type="button"]):not([type="submit"]):not([type="reset"]):not([type="image"]),' +
    ' textarea, select, [contenteditable=""], [contenteditable="true"], [contenteditable="plaintext-only"],' +
    ' [role="textbox"]';
  const NEAR_TEXT_LEVELS = 3;
  const NOT_CAPTION = 'button, [role="toolbar"], [role="menu"], [role="menubar"], [aria-hidden="true"], [role="tooltip"]'; // how many ancestors up text_near / near_text look for the caption
  const MAX_TEXT = 120;

  // Per-call memo for bulk work (resolving a field, a page kind): set only inside withCache(), whose callback is
  // synchronous, so the DOM cannot change while it is alive.
  let cache = null;

  /** Run `fn` with lookups memoised per scope (labels, roles, caption text, nested roots). */
  function withCache(fn) {
    if (cache) return fn();
    cache = new Map();
    try { return fn(); } finally { cache = null; }
  }

  /** build() once per (scope, key) inside withCache(); every time outside it. */
  function memo(scope, key, build) {
    if (!cache) return build();
    let perScope = cache.get(scope);
    if (!perScope) cache.set(scope, (perScope = new Map()));
    if (!perScope.has(key)) perScope.set(key, build());
    return perScope.get(key);
  }

  /** Lower-case, collapse whitespace, drop trailing ':' and '*' (required-field marks). */
  function norm(text) {
    if (text == null) return "";
    return String(text).replace(/\s+/g, " ").trim().replace(/[\s:*]+$/, "").toLowerCase();
  }

  /** Compare normalised text the way a locator's `match` says. */
  function textMatches(actual, wanted, mode) {
    const a = norm(actual);
    const w = norm(wanted);
    if (!a || !w) return false;
    if (mode === "contains") return a.includes(w);
    if (mode === "prefix") return a.startsWith(w);
    return a === w;
  }

  /** Cheap superset test before the exact one: does `text` contain the first word of `wanted`? */
  function mightMatch(text, wanted) {
    if (text == null) return false;
    const first = norm(wanted).split(" ")[0];
    return String(text).toLowerCase().includes(first);
  }

  function cssEscape(value) {
    if (globalThis.CSS && CSS.escape) return CSS.escape(value);
    return String(value).replace(/["\\]/g, "\\$&");
  }

  function docOf(node) {
    return node.nodeType === 9 ? node : node.ownerDocument;
  }

  /** The document or shadow root an element lives in (where ids are unique). */
  function treeRootOf(el) {
    const r = el.getRootNode ? el.getRootNode() : docOf(el);
    return r && (r.nodeType === 9 || r.nodeType === 11) ? r : docOf(el);
  }

  function byId(el, id) {
    if (!id) return null;
    const tree = treeRootOf(el);
    return tree.getElementById ? tree.getElementById(id) : tree.querySelector(`[id="${cssEscape(id)}"]`);
  }

  /** Text of an element, leaving out what is typed into form controls inside it (a wrapping <label>). */
  function ownText(el) {
    let out = "";
    const walker = docOf(el).createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const p = n.parentElement;
      if (p && (SKIP_TEXT_PARENTS.has(p.tagName) || p.isContentEditable)) continue;
      out += n.nodeValue + " ";
      if (out.length > 400) break;
    }
    return out.replace(/\s+/g, " ").trim();
  }

  function idrefText(el, attr) {
    const ids = (el.getAttribute(attr) || "").split(/\s+/).filter(Boolean);
    return ids.map((id) => { const t = byId(el, id); return t ? ownText(t) : ""; }).join(" ").trim();
  }

  /** id -> the <label for=id> elements of a document or shadow root. */
  function labelsFor(tree) {
    return memo(tree, "labelsFor", () => {
      const index = new Map();
      for (const l of tree.querySelectorAll ? tree.querySelectorAll("label[for]") : []) {
        const id = l.getAttribute("for");
        if (!index.has(id)) index.set(id, []);
        index.get(id).push(l);
      }
      return index;
    });
  }

  /** Text of the label(s) naming a field: <label for>, a wrapping <label>, or aria-labelledby. */
  function labelText(el) {
    const parts = [];
    // not el.labels: Chromium rescans the whole document for every call
    if (el.id) for (const l of labelsFor(treeRootOf(el)).get(el.id) || []) parts.push(ownText(l));
    if (!parts.length) {
      const wrap = el.closest && el.closest("label");
      if (wrap) parts.push(ownText(wrap));
    }
    const by = idrefText(el, "aria-labelledby");
    if (by) parts.push(by);
    return parts.join(" ").trim();
  }

  const INPUT_ROLES = {
    text: "textbox", email: "textbox", tel: "textbox", url: "textbox", password: "textbox", search: "searchbox",
    number: "spinbutton", checkbox: "checkbox", radio: "radio", range: "slider",
    button: "button", submit: "button", reset: "button", image: "button",
  };
  const TAG_ROLES = {
    TEXTAREA: "textbox", BUTTON: "button", H1: "heading", H2: "heading", H3: "heading", H4: "heading",
    H5: "heading", H6: "heading", DIALOG: "dialog", NAV: "navigation", MAIN: "main", FORM: "form", TABLE: "table",
    UL: "list", OL: "list", LI: "listitem", IMG: "img", OPTION: "option", FIELDSET: "group",
  };

  /** Explicit role, or the one HTML implies for the tag. */
  function roleOf(el) {
    const explicit = (el.getAttribute("role") || "").trim().split(/\s+/)[0];
    if (explicit) return explicit.toLowerCase();
    const tag = el.tagName;
    if (tag === "INPUT") {
      const type = (el.getAttribute("type") || "text").toLowerCase();
      if (el.hasAttribute("list") && type === "text") return "combobox";
      return INPUT_ROLES[type] || null;
    }
    if (tag === "SELECT") return el.multiple || el.size > 1 ? "listbox" : "combobox";
    if (tag === "A") return el.hasAttribute("href") ? "link" : null;
    if (el.isContentEditable && el.contentEditable !== "inherit") return "textbox";
    return TAG_ROLES[tag] || null;
  }

  const NAME_FROM_CONTENT = new Set(["button", "link", "tab", "menuitem", "heading", "option", "checkbox", "radio",
    "treeitem", "cell", "columnheader", "rowheader", "switch"]);

  /** Every text the accessible name could come from, unprocessed: a cheap pre-filter for role + name. */
  function nameHaystack(el) {
    let hay = (el.getAttribute("aria-label") || "") + " " + (el.getAttribute("placeholder") || "") + " " +
      (el.getAttribute("title") || "") + " " + (el.getAttribute("alt") || "") + " " + (el.getAttribute("value") || "");
    const by = el.getAttribute("aria-labelledby");
    if (by) for (const id of by.split(/\s+/)) { const t = byId(el, id); if (t) hay += " " + t.textContent; }
    if (el.id) for (const l of labelsFor(treeRootOf(el)).get(el.id) || []) hay += " " + l.textContent;
    const wrap = el.closest && el.closest("label");
    if (wrap) hay += " " + wrap.textContent;
    const role = roleOf(el);
    if ((role && NAME_FROM_CONTENT.has(role)) || el.tagName === "DIALOG" || role === "dialog") hay += " " + el.textContent;
    return hay;
  }

  /** A close approximation of the accessible name (aria-labelledby, aria-label, label, content, title...). */
  function accessibleName(el) {
    const by = idrefText(el, "aria-labelledby");
    if (by) return by;
    const aria = el.getAttribute("aria-label");
    if (aria && aria.trim()) return aria.trim();
    const label = labelText(el);
    if (label) return label;
    const role = roleOf(el);
    if (role && NAME_FROM_CONTENT.has(role)) {
      const t = el.tagName === "INPUT" ? el.getAttribute("value") || "" : ownText(el);
      if (t) return t.slice(0, MAX_TEXT);
    }
    if (el.tagName === "IMG") return el.getAttribute("alt") || "";
    if (el.tagName === "DIALOG" || role === "dialog") {
      const h = el.querySelector("h1,h2,h3,h4,[role=heading]");
      if (h) return ownText(h);
    }
    return (el.getAttribute("placeholder") || el.getAttribute("title") || "").trim();
  }

  function isCaptionText(node) {
    const p = node.parentElement;
    if (!p || SKIP_TEXT_PARENTS.has(p.tagName) || p.isContentEditable) return false;
    return /\S/.test(node.nodeValue);
  }

  /** The closest visible-text caption before the element within a few ancestor levels (for fingerprints). */
  function nearText(el) {
    let boundary = el;
    for (let i = 0; i < NEAR_TEXT_LEVELS; i++) {
      const up = boundary.parentNode; // may be a ShadowRoot: its children are still the element's neighbours
      if (!up || up.nodeType === 9) break;
      boundary = up;
      if (up.nodeType === 11) break;
    }
    const walker = docOf(el).createTreeWalker(boundary, NodeFilter.SHOW_TEXT);
    walker.currentNode = el;
    for (let n = walker.previousNode(), steps = 0; n && steps < 200; n = walker.previousNode(), steps++) {
      if (n.nodeType !== 3 || el.contains(n)) continue;
      // an editor's toolbar ("Bold", "Bulleted List") sits between a caption and its field: look past it
      const p = n.parentElement;
      // digits and '@' mark values (dates, weights, ids, e-mail), not captions: keep looking
      if (isCaptionText(n) && !/[\d@]/.test(n.nodeValue) && !p.closest(NOT_CAPTION) &&
          (!p.checkVisibility || p.checkVisibility())) {
        return n.nodeValue.replace(/\s+/g, " ").trim().slice(0, MAX_TEXT);
      }
    }
    return "";
  }

  /** Every text node that could be a caption, with its lower-cased text (one walk, reused per locator). */
  function captionTexts(scope) {
    const out = [];
    const walker = docOf(scope).createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (isCaptionText(n)) out.push({ node: n, lower: n.nodeValue.toLowerCase() });
    }
    return out;
  }

  /** Elements that show `wanted` as their own caption text (a text node, or a small element's whole text). */
  function captionElements(texts, wanted, mode) {
    const found = new Set();
    const words = norm(wanted).split(" ");
    const first = words[0];
    const last = words[words.length - 1];
    for (const { node, lower } of texts) {
      if (!lower.includes(first) && !lower.includes(last)) continue; // cheap: most text is not the caption
      const p = node.parentElement;
      if (textMatches(node.nodeValue, wanted, mode)) { found.add(p); continue; }
      if (p.childElementCount > 0 && p.childElementCount < 4 && !found.has(p)) {
        const whole = p.textContent;
        if (whole.length < 200 && textMatches(whole, wanted, mode)) found.add(p);
      }
    }
    return [...found];
  }

  /** The first element matching `selector` that follows `anchor`, looking up to a few ancestors out. */
  function firstAfter(anchor, selector) {
    const inside = anchor.querySelector(selector); // a caption that wraps its own field (<label>Plan <textarea>)
    if (inside) return inside;
    let node = anchor;
    for (let level = 0; level <= NEAR_TEXT_LEVELS && node; level++) {
      for (let sib = node.nextElementSibling; sib; sib = sib.nextElementSibling) {
        if (sib.matches(selector)) return sib;
        const inner = sib.querySelector(selector);
        if (inner) return inner;
      }
      node = node.parentElement;
    }
    return null;
  }

  /** Every document/shadow root reachable from `root` (same-origin iframes, open shadow roots), root first. */
  function deepRoots(root) {
    return memo(root, "deepRoots", () => findDeepRoots(root));
  }

  function findDeepRoots(root) {
    const out = [root];
    for (let i = 0; i < out.length; i++) {
      const scope = out[i];
      for (const el of scope.querySelectorAll("*")) {
        if (el.shadowRoot) out.push(el.shadowRoot);
        if (el.tagName === "IFRAME" || el.tagName === "FRAME") {
          let inner = null;
          try { inner = el.contentDocument; } catch (_e) { inner = null; } // cross-origin: not ours to read
          if (inner && inner.documentElement) out.push(inner);
        }
      }
    }
    return out;
  }

  /** Same as el.matches(selector) but a bad selector counts as "no". */
  function safeMatches(el, selector) {
    try { return el.matches(selector); } catch (_e) { return false; }
  }

  return {
    withCache, memo, EDITABLE, MAX_TEXT, NAME_FROM_CONTENT, norm, textMatches, mightMatch, nameHaystack, cssEscape, docOf, treeRootOf, byId, ownText, labelText, roleOf,
    accessibleName, nearText, captionTexts, captionElements, firstAfter, deepRoots, safeMatches,
  };
})();
