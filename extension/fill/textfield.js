/* Native <input>, <textarea> and <select>, including React/Vue/Angular-controlled ones: value through the
   prototype's native setter (a framework's own per-node `value` setter would swallow the change), then bubbling
   `input` and `change`; the engine blurs and re-reads to catch a framework that reverts. Hidden fields (a rich
   editor's source textarea) are refused: a write nobody can see is not a write. */
(() => {
  const VS = (globalThis.VetScribe = globalThis.VetScribe || {});
  const F = (VS.fill = VS.fill || {});
  F.writers = F.writers || {};
  const TEXT_TYPES = new Set(["", "text", "search", "email", "url", "tel", "number"]);

  function claims(el) {
    const tag = el.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" || (tag === "INPUT" && TEXT_TYPES.has((el.getAttribute("type") || "").toLowerCase()));
  }

  function nativeSetter(el) {
    const win = el.ownerDocument.defaultView || globalThis;
    const proto = { TEXTAREA: win.HTMLTextAreaElement, SELECT: win.HTMLSelectElement, INPUT: win.HTMLInputElement }[el.tagName].prototype;
    return Object.getOwnPropertyDescriptor(proto, "value").set;
  }

  /** The option value a select should take for `text` (matched by value, then by visible label). */
  function optionValue(select, text) {
    const want = String(text).trim();
    const opts = Array.from(select.options);
    const hit = opts.find((o) => o.value === want) || opts.find((o) => o.text.trim() === want);
    if (!hit) throw new Error(`no option matches "${want.slice(0, 40)}"`);
    return hit.value;
  }

  async function write(el, text) {
    if (!claims(el)) return F.NOT_MINE;
    if (F.util.isHidden(el)) throw new Error("field is hidden");
    if (el.disabled || el.readOnly) throw new Error("field is read-only");
    const value = el.tagName === "SELECT" ? optionValue(el, text) : text;
    el.focus();
    nativeSetter(el).call(el, value);
    F.util.fire(el, "input", { inputType: "insertReplacementText", data: el.tagName === "SELECT" ? null : value, cancelable: false });
    F.util.fire(el, "change", { cancelable: false });
    return { expect: value };
  }

  async function read(el) {
    if (!claims(el)) return F.NOT_MINE;
    // a hidden source textarea lags behind its rich editor: let the editor's reader answer instead
    if (F.util.isHidden(el)) throw new Error("field is hidden");
    return el.value;
  }

  F.writers.textfield = { name: "textfield", claims, write, read };
})();
