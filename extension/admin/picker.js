/* Admin picker: the admin clicks a field on the live PIMS page; the picker shows the resolver's proposed
   locators (VetScribe.resolver.proposeLocators) with how many elements each matches, plus the fingerprint, and
   saves the chosen ones as a new map version through the companion (POST /v1/admin/maps via the background).
   UI in a closed shadow root, text only; the picked field's own contents are never stored. */
globalThis.VetScribe = globalThis.VetScribe || {};

(() => {
  const { h, replaceChildren } = VetScribe.dom;
  const CONTEXT_FIELDS = ["patient_id", "name", "species", "breed", "sex", "date_of_birth", "age", "weight", "medications", "problems", "allergies", "last_visit"];
  const WRITE_FIELDS = ["subjective", "objective", "assessment", "plan", "note"];
  let active = null;
  let current = null; // the running picker's state (isolated world only; read by the test hook)

  const isEditable = (el) => el.matches("input, textarea, select, [contenteditable=''], [contenteditable='true']") || el.isContentEditable;
  const locatorText = (loc) => Object.entries(loc).filter(([k]) => k !== "enter").map(([k, v]) => `${k}: ${v}`).join(", ");

  /** Same-origin documents the admin may click in: the page and its reachable iframes. */
  function documents() {
    const docs = [document];
    for (const frame of document.querySelectorAll("iframe")) {
      try { if (frame.contentDocument) docs.push(frame.contentDocument); } catch { /* cross-origin: not pickable */ }
    }
    return docs;
  }

  function buildUi(maps, signal) {
    const host = h("vetscribe-picker");
    const shadow = host.attachShadow({ mode: "closed" });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`
      .box { position: fixed; pointer-events: none; z-index: 2147483646; outline: 3px solid #f2a900; background: rgba(242,169,0,.12); }
      .ui { position: fixed; left: 16px; bottom: 16px; z-index: 2147483647; width: 440px; max-height: 70vh; overflow: auto; background: #fff;
        color: #1b1f23; border: 1px solid #8a939c; border-radius: 8px; padding: 10px; font: 14px/1.4 system-ui, sans-serif; box-shadow: 0 6px 24px rgba(0,0,0,.25); }
      h2 { font-size: 15px; margin: 0 0 6px; } li { margin: 2px 0; } label { display: block; margin-top: 6px; }
      button { font: inherit; padding: 4px 10px; margin: 6px 6px 0 0; } .warn { color: #8a4b00; } [hidden] { display: none !important; }
      pre { white-space: pre-wrap; font-size: 12px; background: #f6f8fa; padding: 4px; }`);
    shadow.adoptedStyleSheets = [sheet];
    const box = h("div", { class: "box", hidden: true });
    const ui = {
      hint: h("p", { testid: "scribe-picker-hint", text: "Click the PIMS field to map. Esc cancels." }),
      proposals: h("ol", { testid: "scribe-picker-proposals" }),
      fingerprint: h("pre", { testid: "scribe-picker-fingerprint" }),
      map: h("select", { testid: "scribe-picker-map" }, maps.map((m) => h("option", { value: m.id, text: `${m.map.display_name} (v${m.version})` }))),
      pageKind: h("select", { testid: "scribe-picker-pagekind" }),
      field: h("select", { testid: "scribe-picker-field" }, [...WRITE_FIELDS.map((f) => h("option", { value: `write:${f}`, text: `write: ${f}` })), ...CONTEXT_FIELDS.map((f) => h("option", { value: `context:${f}`, text: `context: ${f}` }))]),
      save: h("button", { type: "button", testid: "scribe-picker-save", text: "Save as new map version", disabled: true }),
      again: h("button", { type: "button", testid: "scribe-picker-again", text: "Pick another" }),
      cancel: h("button", { type: "button", testid: "scribe-picker-cancel", text: "Close picker" }),
      status: h("p", { testid: "scribe-picker-status", role: "status", "aria-live": "polite" }),
    };
    const panel = h("div", { class: "ui", testid: "scribe-picker-panel", role: "dialog", "aria-label": "Selector picker" }, [
      h("h2", { text: "Selector picker (admin)" }), ui.hint, ui.proposals, ui.fingerprint,
      h("label", {}, ["Map ", ui.map]), h("label", {}, ["Page kind ", ui.pageKind]), h("label", {}, ["Field ", ui.field]),
      ui.save, ui.again, ui.cancel, ui.status,
    ]);
    for (const type of ["keydown", "keyup", "input", "click"]) shadow.addEventListener(type, (e) => e.stopPropagation(), { signal });
    shadow.append(box, panel);
    document.documentElement.append(host);
    signal.addEventListener("abort", () => host.remove(), { once: true });
    return { host, shadow, box, ui };
  }

  function fillPageKinds(ui, maps) {
    const entry = maps.find((m) => m.id === ui.map.value);
    const kinds = Object.keys((entry && entry.map.page_kinds) || {});
    const detected = entry ? VetScribe.resolver.detectPageKind(entry.map, { root: document }) : null;
    replaceChildren(ui.pageKind, kinds.map((k) => h("option", { value: k, text: k, selected: detected && detected.pageKind === k })));
  }

  function showProposals(state, el) {
    const { ui } = state.view;
    const result = VetScribe.resolver.proposeLocators(el);
    const fingerprint = { ...result.fingerprint };
    if (isEditable(el)) delete fingerprint.text; // a field's own text is the record's content, not a locator
    state.chosen = { element: el, result, fingerprint, checks: [] };
    replaceChildren(ui.proposals, result.proposals.map((p) => {
      const unique = p.matchCount === 1 && p.matchesElement;
      const check = h("input", { type: "checkbox", checked: unique });
      check.checked = unique;
      state.chosen.checks.push([check, p.locator]);
      return h("li", { testid: `scribe-picker-proposal-${p.strategy}` }, [h("label", {}, [check, ` ${locatorText(p.locator)} — matches ${p.matchCount}${unique ? "" : " (not unique: a miss for the resolver)"}`])]);
    }));
    ui.fingerprint.textContent = `fingerprint: ${JSON.stringify(fingerprint, null, 1)}`;
    ui.hint.textContent = "Tick the locators to keep (first unique one wins at fill time), choose the field, then save.";
    ui.save.disabled = false;
  }

  /** Build the new map version: the chosen locators and fingerprint for one field, above every stored version. */
  function nextMap(current, pageKind, fieldKey, locators, fingerprint, highestVersion) {
    const map = structuredClone(current);
    const [section, name] = fieldKey.split(":");
    const kind = map.page_kinds[pageKind];
    const group = section === "write" ? (kind.write = kind.write || {}) : (kind.context = kind.context || {});
    const base = group[name] || (section === "write" ? { kind: "auto", mode: "ask", format: "plain" } : {});
    group[name] = { ...base, locators, fingerprint };
    map.version = Math.max(Number(current.version), Number(highestVersion) || 0) + 1;
    return map;
  }

  async function save(state) {
    const { ui } = state.view;
    const locators = state.chosen.checks.filter(([c]) => c.checked).map(([, loc]) => loc);
    if (!locators.length) {
      ui.status.textContent = "Tick at least one locator.";
      return;
    }
    ui.save.disabled = true;
    ui.status.textContent = "Saving…";
    const fresh = await chrome.runtime.sendMessage({ type: "admin.map.get", mapId: ui.map.value });
    if (!fresh || !fresh.ok) {
      ui.status.textContent = `Could not load the current map: ${(fresh && fresh.error && fresh.error.title) || "no answer"}`;
      ui.save.disabled = false;
      return;
    }
    // a rolled-back map has newer stored versions than the active one; a new version goes above all of them
    const versions = await chrome.runtime.sendMessage({ type: "admin.map.versions", mapId: ui.map.value });
    const highest = versions && versions.ok ? Math.max(0, ...versions.data.items.map((v) => v.version)) : 0;
    const map = nextMap(fresh.data, ui.pageKind.value, ui.field.value, locators, state.chosen.fingerprint, highest);
    const res = await chrome.runtime.sendMessage({ type: "admin.map.install", map });
    if (res && res.ok) ui.status.textContent = `Saved ${res.data.id} version ${res.data.version}. Reload the page to use it.`;
    else ui.status.textContent = `Not saved: ${[res && res.error && res.error.title, res && res.error && res.error.detail].filter(Boolean).join(" — ")}`;
    ui.save.disabled = false;
  }

  /** Start picking; a second start replaces the first. */
  function start(maps) {
    if (active) active.abort();
    const controller = new AbortController();
    active = controller;
    const { signal } = controller;
    const view = buildUi(maps, signal);
    const state = { view, picking: true, chosen: null };
    current = state;
    const inUi = (e) => e.composedPath().includes(view.host);
    const target = (e) => e.composedPath()[0];
    view.ui.map.addEventListener("change", () => fillPageKinds(view.ui, maps), { signal });
    fillPageKinds(view.ui, maps);
    for (const doc of documents()) {
      doc.addEventListener("mousemove", (e) => {
        if (!state.picking || inUi(e)) return;
        const el = target(e);
        if (!el || el.nodeType !== 1) return;
        const rect = el.getBoundingClientRect();
        const frame = el.ownerDocument.defaultView.frameElement;
        const offset = frame ? frame.getBoundingClientRect() : { left: 0, top: 0 };
        Object.assign(view.box.style, { left: `${rect.left + offset.left}px`, top: `${rect.top + offset.top}px`, width: `${rect.width}px`, height: `${rect.height}px` });
        view.box.hidden = false;
      }, { capture: true, signal });
      doc.addEventListener("click", (e) => {
        if (!state.picking || inUi(e)) return;
        e.preventDefault();
        e.stopImmediatePropagation(); // the admin's click must not press the PIMS's buttons
        state.picking = false;
        showProposals(state, target(e));
      }, { capture: true, signal });
      doc.addEventListener("keydown", (e) => { if (e.key === "Escape") controller.abort(); }, { capture: true, signal });
    }
    view.ui.save.addEventListener("click", () => save(state), { signal });
    view.ui.again.addEventListener("click", () => { state.picking = true; view.ui.hint.textContent = "Click the PIMS field to map."; }, { signal });
    view.ui.cancel.addEventListener("click", () => controller.abort(), { signal });
    signal.addEventListener("abort", () => { if (active === controller) { active = null; current = null; } }, { once: true });
    return { stop: () => controller.abort(), state };
  }

  VetScribe.picker = { start, nextMap, shadowRoot: () => (current ? current.view.shadow : null) };
})();
