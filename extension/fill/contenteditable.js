/* Plain contenteditable regions with no editor framework (home-grown rich boxes, iframe "design mode" bodies):
   builds one block per line with DOM calls (textContent, never innerHTML) and fires `input`. Framework editors
   are left alone here — they would revert a DOM edit — but `read` serves every editable root as the DOM
   read-back for the event-based fallback writers. */
(() => {
  const VS = (globalThis.VetScribe = globalThis.VetScribe || {});
  const F = (VS.fill = VS.fill || {});
  F.writers = F.writers || {};
  const FRAMEWORK = ".ck-editor__editable, [data-lexical-editor], .ProseMirror, .ql-editor, .mce-content-body, [data-slate-editor], .public-DraftEditor-content";

  function claims(el) {
    const root = F.util.editableRoot(el);
    return !!root && !root.closest(FRAMEWORK);
  }

  function block(doc, tag, line) {
    const node = doc.createElement(tag);
    if (line) node.textContent = line;
    else node.appendChild(doc.createElement("br"));
    return node;
  }

  async function write(el, text, ctx) {
    if (!claims(el)) return F.NOT_MINE;
    const root = F.util.editableRoot(el);
    const doc = root.ownerDocument;
    const tag = ctx.format === "html" ? "p" : "div";
    const lines = F.util.toLines(ctx.appendText != null ? ctx.appendText : text);
    root.focus();
    if (ctx.appendText == null) root.replaceChildren();
    else if (root.lastChild && root.lastChild.nodeType === 3) root.replaceChild(block(doc, tag, root.lastChild.data), root.lastChild);
    for (const line of lines) root.appendChild(block(doc, tag, line));
    F.util.fire(root, "input", { inputType: "insertReplacementText", cancelable: false });
    return { via: "DOM" };
  }

  async function read(el) {
    const root = F.util.editableRoot(el);
    return root ? F.util.blockText(root) : F.NOT_MINE;
  }

  F.writers.contenteditable = { name: "contenteditable", claims, write, read, FRAMEWORK };
})();
