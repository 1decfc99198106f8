/* Page-world half of the fill engine's sealed bridge (self-contained; runs with "world": "MAIN").
   It reaches editor APIs that only exist in the page's own JS world — CKEditor 5 (`el.ckeditorInstance`),
   TinyMCE (`tinymce.get()`, iframe editors), Quill (`Quill.find(container)`, Quill 1 `__quill`), Lexical
   (`el.__lexicalEditor`), TipTap (`.ProseMirror` element's `editor`) — and answers requests from
   extension/fill/bridge.js over one MessagePort handed over synchronously at document_start (see that file).
   Nothing is exposed on window; targets are named by a one-shot random attribute token. Writes use each
   editor's structured model API (paragraph nodes, deltas, JSON), so text never becomes markup; only TinyMCE
   takes HTML, which the content script builds from escaped text. */
(() => {
  const HELLO = "vetscribe:bridge-hello";
  const READY = "vetscribe:bridge-ready";
  const TOKEN_ATTR = "data-vs-fill-target";
  // Captured at document_start, before any page script can wrap them to watch or rewrite bridge traffic.
  const post = MessagePort.prototype.postMessage;
  const dataOf = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "data").get;
  const channel = new MessageChannel();
  let handed = false;

  function announce() {
    if (handed) return;
    const accepted = !document.dispatchEvent(new MessageEvent(HELLO, { ports: [channel.port2], cancelable: true }));
    if (accepted) {
      handed = true;
      document.removeEventListener(READY, announce, true);
    }
  }

  /** Every same-origin document we can see: ours and our frames' (TinyMCE's iframe body lives in one). */
  function documents() {
    const docs = [document];
    for (let i = 0; i < window.frames.length; i++) {
      try { if (window.frames[i].document) docs.push(window.frames[i].document); } catch { /* cross-origin */ }
    }
    return docs;
  }

  /** querySelector that also looks inside open shadow roots (web-component panels host editors too). */
  function deepQuery(root, selector) {
    const hit = root.querySelector(selector);
    if (hit) return hit;
    for (const el of root.querySelectorAll("*")) {
      const found = el.shadowRoot && deepQuery(el.shadowRoot, selector);
      if (found) return found;
    }
    return null;
  }

  function findTarget(token) {
    if (!/^[0-9a-f]{32}$/.test(String(token))) throw new Error("bad target token");
    for (const doc of documents()) {
      const el = deepQuery(doc, `[${TOKEN_ATTR}="${token}"]`);
      if (el) { el.removeAttribute(TOKEN_ATTR); return el; }
    }
    throw new Error("target element not found");
  }

  const closest = (el, sel) => (el.closest && el.closest(sel)) || (el.querySelector && el.querySelector(sel));

  function assertEditable(ok) {
    if (!ok) throw new Error("editor is read-only");
  }

  const ckeditor5 = {
    find(el) {
      let editable = closest(el, ".ck-editor__editable");
      const next = el.nextElementSibling;
      if (!editable && next && next.classList.contains("ck-editor")) editable = next.querySelector(".ck-editor__editable");
      return editable && editable.ckeditorInstance;
    },
    read(ed) {
      const schema = ed.model.schema;
      const inline = (n) => (n.is("$text") ? n.data : n.is("element", "softBreak") ? "\n" : [...n.getChildren()].map(inline).join(""));
      const lines = (n) => ([...n.getChildren()].some((c) => schema.isBlock(c)) ? [...n.getChildren()].flatMap(lines) : [inline(n)]);
      return [...ed.model.document.getRoot().getChildren()].flatMap(lines).join("\n");
    },
    write(ed, { lines, appendLines }) {
      assertEditable(!ed.isReadOnly);
      ed.model.change((w) => {
        const root = ed.model.document.getRoot();
        if (!appendLines) w.remove(w.createRangeIn(root));
        for (const line of appendLines || lines) {
          const p = w.createElement("paragraph");
          if (line) w.insertText(line, p);
          w.append(p, root);
        }
      });
    },
    snapshot: (ed) => ed.getData(),
    restore: (ed, snap) => ed.setData(snap),
  };

  /** Every copy of a page global (`tinymce`, `Quill`) from the element's own window up through its same-origin
      parents: an editor in an iframe belongs to that frame's library copy, TinyMCE's iframe body to its parent's
      (its iframe window carries a `tinymce` of its own that knows no editors). */
  function globalsFor(el, name) {
    const found = [];
    for (let win = el.ownerDocument.defaultView; win; win = win.parent) {
      try { if (win[name] && !found.includes(win[name])) found.push(win[name]); } catch { break; /* cross-origin */ }
      if (win === win.parent) break;
    }
    if (window[name] && !found.includes(window[name])) found.push(window[name]);
    return found;
  }

  const tinymce = {
    find(el) {
      const owns = (ed) => {
        const body = ed.getBody && ed.getBody();
        const box = ed.getContainer && ed.getContainer();
        return ed.getElement() === el || ed.iframeElement === el || body === el || (body && body.contains(el)) || (box && box.contains(el));
      };
      for (const tm of globalsFor(el, "tinymce")) {
        const hit = tm.get && [].concat(tm.get() || []).find(owns);
        if (hit) return hit;
      }
      return null;
    },
    read: (ed) => ({ html: ed.getContent() }),
    write(ed, { html, appendHtml }) {
      assertEditable(!(ed.mode && ed.mode.isReadOnly && ed.mode.isReadOnly()));
      ed.undoManager.transact(() => ed.setContent(appendHtml ? ed.getContent() + appendHtml : html));
      ed.setDirty(true);
      (ed.dispatch || ed.fire).call(ed, "change");
      ed.save();
    },
    snapshot: (ed) => ed.getContent(),
    restore: (ed, snap) => { ed.setContent(snap); ed.save(); },
  };

  const quill = {
    find(el) {
      const box = closest(el, ".ql-container");
      if (!box) return null;
      for (const Q of globalsFor(el, "Quill")) {
        const q = Q.find && Q.find(box);
        if (q && q.getText) return q;
      }
      return box.__quill && box.__quill.getText ? box.__quill : null; // Quill 1
    },
    read: (q) => q.getText().replace(/\n$/, ""),
    write(q, { text, appendLines }) {
      assertEditable(q.isEnabled());
      if (appendLines) q.insertText(q.getLength() - 1, "\n" + appendLines.join("\n"), "user");
      else q.setContents([{ insert: text.endsWith("\n") ? text : text + "\n" }], "user");
    },
    snapshot: (q) => q.getContents(),
    restore: (q, snap) => q.setContents(snap.ops || snap, "user"),
  };

  const textNode = (text) => ({ detail: 0, format: 0, mode: "normal", style: "", text, type: "text", version: 1 });
  const paragraph = (line) => ({
    children: line ? [textNode(line)] : [], direction: null, format: "", indent: 0, type: "paragraph", version: 1, textFormat: 0, textStyle: "",
  });

  const lexical = {
    find(el) {
      const root = closest(el, "[data-lexical-editor]");
      return root && root.__lexicalEditor;
    },
    read(ed) {
      const inline = (n) => (n.type === "linebreak" ? "\n" : n.type === "tab" ? "\t" : typeof n.text === "string" ? n.text : (n.children || []).map(inline).join(""));
      const lines = (n) => (n.type === "list" || n.type === "quote-list" ? (n.children || []).flatMap(lines) : [inline(n)]);
      return ed.getEditorState().toJSON().root.children.flatMap(lines).join("\n");
    },
    write(ed, { lines, appendLines }) {
      assertEditable(ed.isEditable());
      const state = ed.getEditorState().toJSON();
      state.root.children = appendLines ? state.root.children.concat(appendLines.map(paragraph)) : lines.map(paragraph);
      ed.setEditorState(ed.parseEditorState(state));
    },
    snapshot: (ed) => JSON.stringify(ed.getEditorState().toJSON()),
    restore: (ed, snap) => ed.setEditorState(ed.parseEditorState(snap)),
  };

  const pmParagraph = (line) => (line ? { type: "paragraph", content: [{ type: "text", text: line }] } : { type: "paragraph" });

  const prosemirror = {
    find(el) {
      const dom = closest(el, ".ProseMirror");
      const ed = dom && dom.editor;
      return ed && ed.commands ? ed : null;
    },
    read(ed) {
      const out = [];
      ed.state.doc.descendants((node) => {
        if (!node.isTextblock) return true;
        out.push(node.textBetween(0, node.content.size, "\n", "\n"));
        return false;
      });
      return out.join("\n");
    },
    write(ed, { lines, appendLines }) {
      assertEditable(ed.isEditable);
      const ok = appendLines
        ? ed.chain().insertContentAt(ed.state.doc.content.size, appendLines.map(pmParagraph)).run()
        : ed.chain().setContent({ type: "doc", content: lines.map(pmParagraph) }, { emitUpdate: true }).run();
      if (!ok) throw new Error("editor refused the content");
    },
    snapshot: (ed) => ed.getJSON(),
    restore: (ed, snap) => ed.commands.setContent(snap, { emitUpdate: true }),
  };

  const FAMILIES = { ckeditor5, tinymce, quill, lexical, prosemirror };

  function handle(op, token, args) {
    const impl = FAMILIES[args.family];
    if (!impl) throw new Error("unknown editor family");
    const ed = impl.find(findTarget(token));
    if (!ed) return { notMine: true };
    if (op === "read") return { read: impl.read(ed) };
    if (op === "write") { impl.write(ed, args); return { read: impl.read(ed) }; }
    if (op === "snapshot") return { snapshot: impl.snapshot(ed) };
    if (op === "restore") { impl.restore(ed, args.snapshot); return { read: impl.read(ed) }; }
    throw new Error("unknown op");
  }

  channel.port1.onmessage = (event) => {
    const { id, op, token, args } = dataOf.call(event) || {};
    let reply;
    try {
      reply = { id, ok: true, value: handle(op, token, args || {}) };
    } catch (err) {
      reply = { id, ok: false, error: String((err && err.message) || err) };
    }
    try { post.call(channel.port1, reply); }
    catch (err) { post.call(channel.port1, { id, ok: false, error: `reply not cloneable: ${err.message}` }); }
  };

  document.addEventListener(READY, announce, true);
  announce();
})();
