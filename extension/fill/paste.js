/* Synthetic `paste` with a DataTransfer: ProseMirror/TipTap, Draft.js, CKEditor 5, Quill 2 and Lexical all run
   their clipboard pipeline on it, so it works where the editor instance is out of reach. text/html (format
   "html") is built from escaped text only; editors still pass it through their own schema. */
(() => {
  const VS = (globalThis.VetScribe = globalThis.VetScribe || {});
  const F = (VS.fill = VS.fill || {});
  F.writers = F.writers || {};

  // How an empty paragraph survives each clipboard pipeline (checked against the real editors in tests/fill):
  // Quill keeps <p><br></p>; ProseMirror turns <br> into a hard break but keeps <p></p>; CKEditor 5 and
  // TinyMCE drop <p></p> and keep <p>&nbsp;</p> (their own serialisation of an empty paragraph).
  function emptyLineHtml(root) {
    if (root.closest(".ql-editor")) return "<p><br></p>";
    if (root.closest(".ProseMirror")) return "<p></p>";
    return "<p>&nbsp;</p>";
  }

  async function write(el, text, ctx) {
    const root = F.util.editableRoot(el);
    if (!root) return F.NOT_MINE;
    const data = ctx.append ? ctx.insertText : text;
    await F.writers.beforeinput.placeSelection(root, ctx.append);
    const dt = new DataTransfer();
    dt.setData("text/plain", data);
    // text/html too (built from escaped lines): plain-text paste collapses blank lines in ProseMirror
    dt.setData("text/html", F.util.linesToHtml(data, emptyLineHtml(root)));
    const handled = !root.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true, composed: true }));
    if (!handled) throw new Error("editor ignored paste");
    return { via: "paste" };
  }

  F.writers.paste = { name: "paste", write };
})();
