// Locator proposals for the admin picker: given the element the admin clicked, list the locators that could
// find it (preferred order: test id, name, label, aria-label, id prefix/id, placeholder, role, text near, css),
// how many elements each matches, and the fingerprint for the similarity fallback. The picker only renders this.
globalThis.VetScribe = globalThis.VetScribe || {};
VetScribe.resolver = VetScribe.resolver || {};

(() => {
  "use strict";
  const R = VetScribe.resolver;
  const { dom, locate, similarity } = R;

  function topDocumentOf(el) {
    let doc = dom.docOf(el);
    for (;;) {
      let frame = null;
      try { frame = doc.defaultView && doc.defaultView.frameElement; } catch (_e) { frame = null; }
      if (!frame) return doc;
      doc = frame.ownerDocument;
    }
  }

  /** A CSS selector that picks `el` alone within its own document or shadow root, preferring stable hooks. */
  function uniqueSelector(el) {
    const scope = dom.treeRootOf(el);
    const unique = (sel) => { try { return scope.querySelectorAll(sel).length === 1; } catch (_e) { return false; } };
    const tag = el.tagName.toLowerCase();
    const tid = similarity.testIdOf(el);
    if (tid && unique(`[${tid.attr}="${dom.cssEscape(tid.value)}"]`)) return `[${tid.attr}="${dom.cssEscape(tid.value)}"]`;
    if (el.id && !/\d{3,}/.test(el.id) && unique(`#${dom.cssEscape(el.id)}`)) return `#${dom.cssEscape(el.id)}`;
    const name = el.getAttribute("name");
    if (name && unique(`${tag}[name="${dom.cssEscape(name)}"]`)) return `${tag}[name="${dom.cssEscape(name)}"]`;
    const classes = similarity.stableClasses(el).map((c) => "." + dom.cssEscape(c)).join("");
    if (classes && unique(tag + classes)) return tag + classes;
    if (unique(tag)) return tag;
    return null;
  }

  /** Last resort for an iframe or shadow host with no stable hook: a tag:nth-of-type path from its tree's root. */
  function positionalSelector(el) {
    const parts = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const tag = node.tagName.toLowerCase();
      const same = node.parentElement ? [...node.parentElement.children].filter((c) => c.tagName === node.tagName) : [node];
      parts.unshift(same.length > 1 ? `${tag}:nth-of-type(${same.indexOf(node) + 1})` : tag);
    }
    return parts.join(" > ");
  }

  function hopSelector(el) {
    return uniqueSelector(el) || positionalSelector(el);
  }

  /** The iframe / shadow-root hops from the top document down to the element's own tree. */
  function enterPath(el) {
    const hops = [];
    let node = el;
    for (;;) {
      const tree = dom.treeRootOf(node);
      if (tree.nodeType === 11 && tree.host) {
        hops.unshift({ shadow_root: hopSelector(tree.host) });
        node = tree.host;
        continue;
      }
      let frame = null;
      try { frame = tree.defaultView && tree.defaultView.frameElement; } catch (_e) { frame = null; }
      if (!frame) return hops;
      hops.unshift({ iframe: hopSelector(frame) });
      node = frame;
    }
  }

  /** ids with numeric suffixes (ezyVet: visithistorydata_comments-12, -3) become prefix locators. */
  function idProposal(id) {
    const dashed = /^(.*?[-_])-?\d+$/.exec(id);
    if (dashed) return { id_prefix: dashed[1] };
    const glued = /^(.*\D)\d{3,}$/.exec(id);
    if (glued) return { id_prefix: glued[1] };
    return /\d{3,}/.test(id) ? null : { id };
  }

  /** Candidate locators for `el`, in preferred order, before match counting. */
  function rawProposals(el) {
    const out = [];
    const tid = similarity.testIdOf(el);
    if (tid) out.push(tid.attr === "data-testid" ? { test_id: tid.value } : { test_id: tid.value, attribute: tid.attr });
    const name = el.getAttribute("name");
    if (name) out.push({ name });
    const label = dom.labelText(el);
    if (label) out.push({ label });
    const aria = el.getAttribute("aria-label");
    if (aria) out.push({ aria_label: aria });
    if (el.id) { const p = idProposal(el.id); if (p) out.push(p); }
    const placeholder = el.getAttribute("placeholder");
    if (placeholder) out.push({ placeholder });
    const role = dom.roleOf(el);
    // A name taken from a link's or heading's content may be the patient's: only controls' names are proposed.
    const nameIsUi = role && (!dom.NAME_FROM_CONTENT.has(role) || similarity.TEXT_ROLES.has(role) ||
      role === "checkbox" || role === "radio" || role === "switch");
    const accName = nameIsUi ? dom.accessibleName(el) : "";
    if (role && accName) out.push({ role, accessible_name: accName });
    const near = dom.nearText(el);
    if (near) {
      const isField = dom.safeMatches(el, dom.EDITABLE);
      out.push(isField ? { text_near: near } : { text_near: near, filter: el.tagName.toLowerCase() });
    }
    const css = uniqueSelector(el);
    if (css) out.push({ css });
    return out;
  }

  /** Proposals with match counts, plus the fingerprint and where the element sits (iframes/shadow roots). */
  function proposeLocators(el) {
    const top = topDocumentOf(el);
    const enter = enterPath(el);
    const proposals = rawProposals(el).map((loc) => {
      const locator = enter.length ? { ...loc, enter } : loc;
      const { elements } = locate.findAll(locator, top);
      return { strategy: locate.strategyOf(loc), locator, matchCount: elements.length,
        matchesElement: elements.includes(el) };
    });
    const fingerprint = similarity.fingerprintOf(el);
    if (enter.length) fingerprint.enter = enter;
    return { proposals, fingerprint, enter };
  }

  Object.assign(R, { proposeLocators, uniqueSelector });
})();
