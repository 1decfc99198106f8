/* The scribe panel's frame: a closed shadow root (the page can neither read nor restyle it), collapsible,
   movable by mouse or keyboard, with stable data-testids. Content is rendered by panel/render.js as text. */
globalThis.VetScribe = globalThis.VetScribe || {};

(() => {
  const { h } = VetScribe.dom;
  const MOVE_STEP_PX = 24;
  // Keyboard and input events inside the panel must not reach the PIMS's own shortcuts or listeners.
  const CONTAINED_EVENTS = ["keydown", "keyup", "keypress", "input", "beforeinput", "paste", "copy", "cut", "compositionstart", "compositionend"];

  function attachStyles(shadow) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(VetScribe.panelCss);
    shadow.adoptedStyleSheets = [sheet];
  }

  function makeMovable(panel, handle, signal) {
    let drag = null;
    const place = (left, top) => {
      const maxLeft = window.innerWidth - 80;
      const maxTop = window.innerHeight - 40;
      panel.style.left = `${Math.max(0, Math.min(maxLeft, left))}px`;
      panel.style.top = `${Math.max(0, Math.min(maxTop, top))}px`;
      panel.style.right = "auto";
    };
    handle.addEventListener("pointerdown", (e) => {
      const rect = panel.getBoundingClientRect();
      drag = { dx: e.clientX - rect.left, dy: e.clientY - rect.top };
      handle.setPointerCapture(e.pointerId);
    }, { signal });
    handle.addEventListener("pointermove", (e) => { if (drag) place(e.clientX - drag.dx, e.clientY - drag.dy); }, { signal });
    handle.addEventListener("pointerup", () => { drag = null; }, { signal });
    handle.addEventListener("keydown", (e) => {
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      if (!moves[e.key]) return;
      e.preventDefault();
      const rect = panel.getBoundingClientRect();
      place(rect.left + moves[e.key][0] * MOVE_STEP_PX, rect.top + moves[e.key][1] * MOVE_STEP_PX);
    }, { signal });
  }

  /**
   * Mount the panel into the page and return {host, shadow, panel, body, byTestId(id), destroy()}.
   * The shadow root is closed; only this isolated world holds a reference to it.
   */
  function mount({ signal }) {
    const host = h("vetscribe-panel");
    const shadow = host.attachShadow({ mode: "closed" });
    attachStyles(shadow);
    const collapse = h("button", { type: "button", testid: "scribe-collapse", "aria-expanded": "true", "aria-label": "Collapse scribe panel", text: "–" });
    const handle = h("button", { type: "button", class: "handle", testid: "scribe-move", "aria-label": "Move scribe panel (arrow keys)", title: "Drag, or focus and use the arrow keys", text: "⠿" });
    const body = h("div", { class: "body", id: "scribe-body" });
    const panel = h("div", { class: "panel", role: "complementary", "aria-label": "VetScribe scribe panel", testid: "scribe-panel" }, [
      h("header", {}, [handle, h("h2", { text: "VetScribe" }), collapse]),
      body,
    ]);
    collapse.setAttribute("aria-controls", "scribe-body");
    collapse.addEventListener("click", () => {
      const collapsed = panel.classList.toggle("collapsed");
      collapse.setAttribute("aria-expanded", String(!collapsed));
      collapse.setAttribute("aria-label", collapsed ? "Expand scribe panel" : "Collapse scribe panel");
      collapse.textContent = collapsed ? "+" : "–";
    }, { signal });
    makeMovable(panel, handle, signal);
    for (const type of CONTAINED_EVENTS) shadow.addEventListener(type, (e) => e.stopPropagation(), { signal });
    shadow.append(panel);
    document.documentElement.append(host);
    const destroy = () => host.remove();
    signal.addEventListener("abort", destroy, { once: true });
    return { host, shadow, panel, body, byTestId: (id) => shadow.querySelector(`[data-testid="${CSS.escape(id)}"]`), destroy };
  }

  VetScribe.panelFrame = { mount };
})();
