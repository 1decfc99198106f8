/* Synthetic `beforeinput` (insertReplacementText with a DataTransfer): editors that model input themselves
   (Lexical, Slate) act on it and cancel it. A synthetic event has no default action, so an editor that did not
   cancel it did nothing; that is reported as a failure and the next writer runs. */
(() => {
  const VS = (globalThis.VetScribe = globalThis.VetScribe || {});
  const F = (VS.fill = VS.fill || {});
  F.writers = F.writers || {};

  /** Select what the insert replaces: everything, or a caret at the end when appending. */
  async function placeSelection(root, append) {
    root.focus();
    const sel = F.util.selectAllIn(root);
    if (append) sel.collapseToEnd();
    await F.util.tick(10); // editors (CKEditor 5) map the DOM selection to their model on "selectionchange"
  }

  async function write(el, text, ctx) {
    const root = F.util.editableRoot(el);
    if (!root) return F.NOT_MINE;
    const data = ctx.append ? ctx.insertText : text;
    await placeSelection(root, ctx.append);
    const dt = new DataTransfer();
    dt.setData("text/plain", data);
    const handled = !root.dispatchEvent(new InputEvent("beforeinput", {
      inputType: "insertReplacementText", data, dataTransfer: dt, bubbles: true, cancelable: true, composed: true,
    }));
    if (!handled) throw new Error("editor ignored beforeinput");
    return { via: "beforeinput" };
  }

  F.writers.beforeinput = { name: "beforeinput", write, placeSelection };
})();
