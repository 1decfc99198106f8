// Locator strategies: turn one map locator into the list of elements it matches (the resolver decides what a
// count other than one means). Handles `enter` (iframes, shadow roots), `within` scoping and `filter`.
globalThis.VetScribe = globalThis.VetScribe || {};
VetScribe.resolver = VetScribe.resolver || {};

VetScribe.resolver.locate = (() => {
  "use strict";
  const dom = VetScribe.resolver.dom;

  // Same keys, same order as companion/maps/schema.py STRATEGIES.
  const STRATEGIES = ["test_id", "name", "id", "id_prefix", "label", "aria_label", "placeholder", "role", "css",
    "text_near"];
  const MAX_WITHIN_DEPTH = 6;

  // Tags that can carry each implicit role; roleOf() then decides per element.
  const ROLE_TAGS = {
    textbox: "textarea, input, [contenteditable]", searchbox: "input", combobox: "select, input",
    listbox: "select", button: "button, input", link: "a[href]", checkbox: "input", radio: "input",
    spinbutton: "input", slider: "input", heading: "h1, h2, h3, h4, h5, h6", dialog: "dialog", img: "img",
    list: "ul, ol", listitem: "li", option: "option", navigation: "nav", main: "main", form: "form",
    table: "table", group: "fieldset",
  };

  const { memo, withCache } = dom;

  function strategyOf(locator) {
    return STRATEGIES.find((key) => locator[key] != null) || null;
  }

  /** Follow a locator's `enter` hops; returns {scope} or {scope: null, error}. */
  function enterHops(scope, hops) {
    for (const hop of hops || []) {
      const isFrame = hop.iframe != null;
      const css = isFrame ? hop.iframe : hop.shadow_root;
      const hits = scope.querySelectorAll(css);
      if (hits.length !== 1) {
        return { scope: null, error: `enter ${isFrame ? "iframe" : "shadow_root"} '${css}' matched ${hits.length}` };
      }
      if (isFrame) {
        let doc = null;
        try { doc = hits[0].contentDocument; } catch (_e) { doc = null; } // cross-origin frames are off limits
        if (!doc || !doc.documentElement) return { scope: null, error: `iframe '${css}' is not readable` };
        scope = doc;
      } else {
        if (!hits[0].shadowRoot) return { scope: null, error: `'${css}' has no open shadow root` };
        scope = hits[0].shadowRoot;
      }
    }
    return { scope };
  }

  function byAttr(scope, attr, op, value) {
    return [...scope.querySelectorAll(`[${attr}${op}"${dom.cssEscape(value)}"]`)];
  }

  function byAttrText(scope, attr, wanted, mode) {
    return [...scope.querySelectorAll(`[${attr}]`)].filter((el) => dom.textMatches(el.getAttribute(attr), wanted, mode));
  }

  function labelEntries(scope) {
    return memo(scope, "labels", () => [...scope.querySelectorAll("label")].map((label) =>
      ({ label, raw: label.textContent, own: null })));
  }

  function byLabel(scope, wanted, mode) {
    const out = [];
    for (const entry of labelEntries(scope)) {
      if (!dom.mightMatch(entry.raw, wanted)) continue;
      if (entry.own === null) entry.own = dom.ownText(entry.label);
      if (!dom.textMatches(entry.own, wanted, mode)) continue;
      const label = entry.label;
      const forId = label.getAttribute("for");
      let target = label.control || (forId ? dom.byId(label, forId) : null);
      if (!target && !forId) target = label.querySelector(dom.EDITABLE);
      if (target) out.push(target);
    }
    for (const el of scope.querySelectorAll("[aria-labelledby]")) {
      if (dom.mightMatch(dom.nameHaystack(el), wanted) && dom.textMatches(dom.labelText(el), wanted, mode)) out.push(el);
    }
    return out;
  }

  function byRole(scope, locator) {
    const role = locator.role.toLowerCase();
    const tags = ROLE_TAGS[role];
    const selector = `[role="${dom.cssEscape(role)}"]` + (tags ? `, ${tags}` : "");
    const name = locator.accessible_name;
    const withRole = memo(scope, `role:${selector}`, () =>
      [...scope.querySelectorAll(selector)].filter((el) => dom.roleOf(el) === role).map((el) => ({ el, hay: null, name: null })));
    const out = [];
    for (const entry of withRole) {
      if (name != null) {
        if (entry.hay === null) entry.hay = dom.nameHaystack(entry.el);
        if (!dom.mightMatch(entry.hay, name)) continue;
        if (entry.name === null) entry.name = dom.accessibleName(entry.el);
        if (!dom.textMatches(entry.name, name, locator.match)) continue;
      }
      out.push(entry.el);
    }
    return out;
  }

  function byTextNear(scope, locator) {
    const target = locator.filter || dom.EDITABLE;
    const texts = memo(scope, "captions", () => dom.captionTexts(scope));
    return dom.captionElements(texts, locator.text_near, locator.match)
      .map((anchor) => dom.firstAfter(anchor, target))
      .filter((el) => el && scope.contains(el));
  }

  /** Rendered: not display:none / visibility:hidden itself or through an ancestor (closed popups, templates). */
  function isRendered(el) {
    if (el.checkVisibility) return el.checkVisibility({ visibilityProperty: true });
    return el.getClientRects().length > 0;
  }

  /** Raw matches of the locator's strategy inside `scope` (before `filter`). */
  function candidates(locator, scope) {
    const mode = locator.match || "exact";
    switch (strategyOf(locator)) {
      case "test_id": return byAttr(scope, locator.attribute || "data-testid", "=", locator.test_id);
      case "name": return byAttr(scope, "name", "=", locator.name);
      case "id": return byAttr(scope, "id", "=", locator.id);
      case "id_prefix": return byAttr(scope, "id", "^=", locator.id_prefix);
      case "label": return byLabel(scope, locator.label, mode);
      case "aria_label": return byAttrText(scope, "aria-label", locator.aria_label, mode);
      case "placeholder": return byAttrText(scope, "placeholder", locator.placeholder, mode);
      case "role": return byRole(scope, locator);
      case "css": return [...scope.querySelectorAll(locator.css)];
      case "text_near": return byTextNear(scope, locator);
      default: throw new Error("locator names no known strategy");
    }
  }

  /** Every element the locator matches: {elements, error?, several?} (several: its scope was ambiguous). Never throws on a bad map entry. */
  function findAll(locator, root, depth = 0) {
    if (depth > MAX_WITHIN_DEPTH) return { elements: [], error: "within nested too deep" };
    try {
      const entered = enterHops(root, locator.enter);
      if (!entered.scope) return { elements: [], error: entered.error };
      let scope = entered.scope;
      if (locator.within) {
        const outer = findAll(locator.within, scope, depth + 1);
        if (outer.elements.length !== 1) {
          return { elements: [], several: outer.elements.length > 1 || !!outer.several,
            error: `within matched ${outer.elements.length}${outer.error ? ": " + outer.error : ""}` };
        }
        scope = outer.elements[0];
      }
      let elements = candidates(locator, scope);
      if (locator.filter && strategyOf(locator) !== "text_near") {
        elements = elements.filter((el) => el.matches(locator.filter));
      }
      if (locator.visible) elements = elements.filter(isRendered);
      return { elements: [...new Set(elements)] };
    } catch (e) {
      return { elements: [], error: String((e && e.message) || e) }; // e.g. an invalid CSS selector
    }
  }

  return { STRATEGIES, strategyOf, enterHops, findAll, withCache };
})();
