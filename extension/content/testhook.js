/* Test hook for the closed-shadow-root panel. Nothing is exposed to the page: a test sets `testMode` in
   chrome.storage.local through the service worker, then sends {type:"test.panel", op} to this tab with
   chrome.tabs.sendMessage (only extension code can). Every call re-checks the flag. Reads return plain data;
   real clicks and typing are done by the test with page.mouse / page.keyboard at the rect this returns, so the
   panel is driven the way a user drives it. See extension/content/DESIGN.md. */
globalThis.VetScribe = globalThis.VetScribe || {};
VetScribe.content = VetScribe.content || {};

(() => {
  const MAX_TEXT = 20000;

  function describe(el) {
    const rect = el.getBoundingClientRect();
    return {
      testid: el.getAttribute("data-testid"), tag: el.tagName.toLowerCase(),
      text: (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, MAX_TEXT),
      value: "value" in el && typeof el.value === "string" ? el.value.slice(0, MAX_TEXT) : null,
      disabled: Boolean(el.disabled), checked: el.type === "checkbox" ? el.checked : null,
      visible: rect.width > 0 && rect.height > 0 && !el.closest("[hidden]"),
      focused: el.getRootNode().activeElement === el,
      rect: { x: rect.x, y: rect.y, width: rect.width, height: rect.height },
      attrs: Object.fromEntries(["aria-expanded", "aria-label", "role", "class"].filter((a) => el.hasAttribute(a)).map((a) => [a, el.getAttribute(a)])),
    };
  }

  /** Answer one test operation against the current panel (or say there is none). */
  async function handle(op) {
    if ((await chrome.storage.local.get("testMode")).testMode !== true) return { ok: false, error: "testMode is off" };
    const current = VetScribe.content.current;
    if (!current) return { ok: false, error: "no panel on this page" };
    const { frame, session } = current;
    const root = op.target === "picker" ? VetScribe.picker && VetScribe.picker.shadowRoot() : frame.shadow;
    if (!root) return { ok: false, error: `no ${op.target || "panel"} on this page` };
    const find = (id) => root.querySelector(`[data-testid="${CSS.escape(id)}"]`);
    switch (op.action) {
      case "snapshot":
        return { ok: true, items: [...root.querySelectorAll("[data-testid]")].map(describe), mapId: session.map.id, mapVersion: session.map.version, pageKind: session.pageKind, encounterId: session.encounter && session.encounter.id, timings: session.lastTimings || null };
      case "get": {
        const el = find(op.testid);
        return el ? { ok: true, item: describe(el) } : { ok: false, error: `no ${op.testid}` };
      }
      case "scrollIntoView": {
        const el = find(op.testid);
        if (!el) return { ok: false, error: `no ${op.testid}` };
        el.scrollIntoView({ block: "center" });
        return { ok: true, item: describe(el) };
      }
      case "selectOption": {
        // <select> popups cannot be clicked headless; like Playwright's select_option, set it and fire change
        const el = find(op.testid);
        if (!el || el.tagName !== "SELECT") return { ok: false, error: `no select ${op.testid}` };
        el.value = op.value;
        el.dispatchEvent(new Event("change", { bubbles: true }));
        return { ok: el.value === op.value, item: describe(el) };
      }
      case "setChecked": {
        // checkboxes in the picker list have no test id of their own: address them by their list item
        const item = find(op.testid);
        const box = item && item.querySelector("input[type=checkbox]");
        if (!box) return { ok: false, error: `no checkbox in ${op.testid}` };
        box.scrollIntoView({ block: "center" });
        return { ok: true, item: describe(box) };
      }
      default:
        return { ok: false, error: `unknown action ${op.action}` };
    }
  }

  /**
   * Test-only pause between two field writes, so a drill (tab closed, patient changed, companion killed) happens
   * at a known point of a fill instead of racing it. Inert unless testMode is on AND the test set
   * `testFillGate: {after: "<field>"}` in chrome.storage.local (both only reachable from extension code). Read once
   * per fill; returns null (no pause) in normal use. While paused, `testFillPaused: {field}` is stored; the fill
   * goes on when the test removes `testFillGate`.
   */
  async function fillGate() {
    const { testMode, testFillGate } = await chrome.storage.local.get(["testMode", "testFillGate"]);
    if (testMode !== true || !testFillGate || typeof testFillGate.after !== "string") return null;
    return async (field, signal) => {
      if (field !== testFillGate.after) return;
      await chrome.storage.local.set({ testFillPaused: { field } });
      await new Promise((resolve) => {
        const done = () => { chrome.storage.onChanged.removeListener(changed); resolve(); };
        const changed = (changes, area) => { if (area === "local" && changes.testFillGate && !changes.testFillGate.newValue) done(); };
        chrome.storage.onChanged.addListener(changed);
        if (signal) signal.addEventListener("abort", done, { once: true });
        chrome.storage.local.get("testFillGate").then((now) => { if (!now.testFillGate) done(); });
      });
      await chrome.storage.local.remove("testFillPaused");
    };
  }

  VetScribe.content.testHook = { handle, fillGate };
})();
