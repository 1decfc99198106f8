/* Last resort: `document.execCommand('insertText')` on the focused field. Deprecated but still the one path that
   goes through the browser's own editing (and undo stack) for editors that only listen to native input. */
(() => {
  const VS = (globalThis.VetScribe = globalThis.VetScribe || {});
  const F = (VS.fill = VS.fill || {});
  F.writers = F.writers || {};

  async function selectTarget(el, append) {
    const root = F.util.editableRoot(el);
    if (root) { await F.writers.beforeinput.placeSelection(root, append); return root; }
    if (el.tagName === "TEXTAREA" || el.tagName === "INPUT") {
      el.focus();
      if (append) el.setSelectionRange(el.value.length, el.value.length);
      else el.select();
      return el;
    }
    return null;
  }

  async function write(el, text, ctx) {
    if (F.util.isHidden(el) && el.tagName !== "IFRAME") return F.NOT_MINE;
    const target = await selectTarget(el, ctx.append);
    if (!target) return F.NOT_MINE;
    const doc = target.ownerDocument;
    if (!doc.execCommand("insertText", false, ctx.append ? ctx.insertText : text)) throw new Error("execCommand insertText refused");
    return { via: "execCommand" };
  }

  F.writers["exec-command"] = { name: "exec-command", write };
})();
