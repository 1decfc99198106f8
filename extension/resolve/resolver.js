// The one resolver: map field -> exactly one element plus a report of which locator (or the similarity fallback)
// won. Also decides which page kind is showing and collects the context fragments the companion parses.
// Contract: /tmp/COMMON.md "Resolver API". Never changes the page.
globalThis.VetScribe = globalThis.VetScribe || {};
VetScribe.resolver = VetScribe.resolver || {};

(() => {
  "use strict";
  const R = VetScribe.resolver;
  const { dom, locate, similarity } = R;
  const MAX_FRAGMENT = 50000; // characters per context fragment; a chart panel is far smaller

  /** Resolve a map field ({locators, fingerprint?, acceptance?}) to one element, or say why not. */
  function resolveField(fieldSpec, opts = {}) {
    return locate.withCache(() => resolveFieldNow(fieldSpec, opts));
  }

  function resolveFieldNow(fieldSpec, opts) {
    const root = opts.root || document;
    const tried = [];
    let sawSeveral = false;
    const locators = (fieldSpec && fieldSpec.locators) || [];
    for (let i = 0; i < locators.length; i++) {
      const { elements, error, several } = locate.findAll(locators[i], root);
      const entry = { index: i, strategy: locate.strategyOf(locators[i]), count: elements.length };
      if (error) entry.error = error;
      tried.push(entry);
      if (elements.length === 1) {
        return { status: "found", element: elements[0], strategy: entry.strategy, locatorIndex: i, score: 1,
          runnerUp: null, tried };
      }
      if (elements.length > 1 || several) sawSeveral = true; // several matches is a miss: never guess between them
    }
    let fb = null;
    if (fieldSpec && fieldSpec.fingerprint) {
      fb = similarity.fallback(fieldSpec.fingerprint, root, fieldSpec.acceptance || opts.acceptance);
      tried.push({ strategy: "similarity", status: fb.status, score: fb.score, runnerUp: fb.runnerUp });
      if (fb.status === "found") {
        return { status: "found", element: fb.element, strategy: "similarity", locatorIndex: null, score: fb.score,
          runnerUp: fb.runnerUp, tried };
      }
      if (fb.status === "ambiguous") sawSeveral = true;
    }
    return { status: sawSeveral ? "ambiguous" : "missing", element: null, strategy: null, locatorIndex: null,
      score: fb ? fb.score : null, runnerUp: fb ? fb.runnerUp : null, tried };
  }

  /** How many elements a locator matches (detect guards, the picker's match counts). */
  function countMatches(locator, opts = {}) {
    return locate.findAll(locator, opts.root || document).elements.length;
  }

  /** '*' matches any characters (dots and slashes too); everything else is literal; case-insensitive. */
  function globToRegExp(glob) {
    const body = String(glob).split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
    return new RegExp(`^${body}$`, "i");
  }

  function toUrl(location) {
    if (!location) return null;
    try { return new URL(typeof location === "string" ? location : location.href); } catch (_e) { return null; }
  }

  /** Path globs match the pathname, or pathname + hash for apps that route in the hash. */
  function pathMatches(globs, url) {
    if (!globs || !globs.length) return true;
    const candidates = [url.pathname, url.pathname + url.search + url.hash];
    return globs.some((g) => { const re = globToRegExp(g); return candidates.some((p) => re.test(p)); });
  }

  /** Does the map apply to this tab's URL? Host globs ('*' = any characters) and optional path globs. */
  function matchesLocation(map, location) {
    const url = toUrl(location);
    if (!url || !map || !map.match) return false;
    const hostOk = (map.match.hosts || []).some((g) => globToRegExp(g).test(url.hostname));
    return hostOk && pathMatches(map.match.paths, url);
  }

  function defaultLocation(root) {
    const doc = dom.docOf(root.host ? root.host : root);
    return (doc && doc.defaultView && doc.defaultView.location) || globalThis.location;
  }

  /** The first page kind (in map order) whose detect guard passes: {pageKind, displayName} or null. */
  function detectPageKind(map, opts = {}) {
    return locate.withCache(() => detectPageKindNow(map, opts));
  }

  function detectPageKindNow(map, opts) {
    const root = opts.root || document;
    const url = toUrl(opts.location || defaultLocation(root));
    for (const [key, kind] of Object.entries((map && map.page_kinds) || {})) {
      const d = kind.detect || {};
      if (d.paths && d.paths.length && !(url && pathMatches(d.paths, url))) continue;
      if (!(d.present || []).every((loc) => countMatches(loc, { root }) > 0)) continue;
      if ((d.absent || []).some((loc) => countMatches(loc, { root }) > 0)) continue;
      return { pageKind: key, displayName: kind.display_name || key };
    }
    return null;
  }

  /** outerHTML with the live value of form controls written in, so the companion sees what the user sees. */
  function fragmentOf(el) {
    let html;
    if (el.tagName === "INPUT") {
      const copy = el.cloneNode(false);
      copy.setAttribute("value", el.value);
      html = copy.outerHTML;
    } else if (el.tagName === "TEXTAREA") {
      const copy = el.cloneNode(false);
      copy.textContent = el.value;
      html = copy.outerHTML;
    } else if (el.tagName === "SELECT") {
      const copy = el.cloneNode(true);
      [...copy.options].forEach((o, i) => o.toggleAttribute("selected", el.options[i].selected));
      html = copy.outerHTML;
    } else {
      html = el.outerHTML;
    }
    return html.length > MAX_FRAGMENT ? html.slice(0, MAX_FRAGMENT) : html;
  }

  /** A report without the element, safe to send or print (no patient data). */
  function describe(result) {
    const { element, ...rest } = result;
    return { ...rest, tag: element ? element.tagName.toLowerCase() : null };
  }

  function collectMultiple(field, root) {
    const tried = [];
    for (let i = 0; i < field.locators.length; i++) {
      const { elements, error } = locate.findAll(field.locators[i], root);
      const strategy = locate.strategyOf(field.locators[i]);
      tried.push(error ? { index: i, strategy, count: elements.length, error } : { index: i, strategy, count: elements.length });
      if (elements.length) return { elements, report: { status: "found", strategy, locatorIndex: i, count: elements.length, tried } };
    }
    return { elements: [], report: { status: "missing", strategy: null, locatorIndex: null, count: 0, tried } };
  }

  /** Read a page kind's context fields: {fields: {name: [outerHTML...]}, report: {name: {...}}}. */
  function collectContext(map, pageKind, opts = {}) {
    return locate.withCache(() => collectContextNow(map, pageKind, opts));
  }

  function collectContextNow(map, pageKind, opts) {
    const root = opts.root || document;
    const kind = map.page_kinds[pageKind];
    const fields = {};
    const report = {};
    for (const [name, field] of Object.entries((kind && kind.context) || {})) {
      let elements;
      if (field.multiple) {
        const got = collectMultiple(field, root);
        elements = got.elements;
        report[name] = got.report;
      } else {
        const result = resolveField(field, { root, acceptance: map.acceptance });
        elements = result.element ? [result.element] : [];
        report[name] = describe(result);
      }
      fields[name] = elements.map(fragmentOf);
    }
    return { fields, report };
  }

  /** Resolve everything a page kind names (steps, write fields, context) for the admin check and the bench. */
  function checkPageKind(map, pageKind, opts = {}) {
    return locate.withCache(() => checkPageKindNow(map, pageKind, opts));
  }

  function checkPageKindNow(map, pageKind, opts) {
    const root = opts.root || document;
    const kind = map.page_kinds[pageKind];
    const started = performance.now();
    const acceptance = map.acceptance;
    const steps = (kind.steps || []).map((s) => ({ action: s.action, ...describe(resolveField(s.target, { root, acceptance })) }));
    const write = {};
    for (const [name, field] of Object.entries(kind.write || {})) write[name] = describe(resolveField(field, { root, acceptance }));
    const context = collectContext(map, pageKind, { root });
    return { pageKind, steps, write, context: context.report, fragments: context.fields, ms: performance.now() - started };
  }

  /** Resolve several fields in one pass (lookups shared): {name: result}. */
  function resolveFields(fieldSpecs, opts = {}) {
    return locate.withCache(() => Object.fromEntries(
      Object.entries(fieldSpecs || {}).map(([name, spec]) => [name, resolveField(spec, opts)])));
  }

  Object.assign(R, { resolveField, resolveFields, countMatches, matchesLocation, detectPageKind, collectContext, checkPageKind,
    describe, fragmentOf });
})();
