// Editor components for the Shepherd-like replica: the Patient Note on TipTap (ProseMirror), an addendum on
// Lexical inside a react-modal dialog, and the TinyMCE frame of the discharge page. Each registers in EDITORS
// so window.__replica.read() reads the field back through the library's own API.
import { useEffect, useRef } from "react";
import { Editor } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { $getRoot, createEditor } from "lexical";
import { HeadingNode, QuoteNode, registerRichText } from "@lexical/rich-text";
import { htmlToText } from "../common/replica.js";

/** field name → {kind, read(), readHtml(), instance} for the fields currently mounted. */
export const EDITORS = {};

function register(name, entry) {
  EDITORS[name] = entry;
  return () => {
    if (EDITORS[name] === entry) delete EDITORS[name];
  };
}

/** The Patient Note: TipTap on ProseMirror; attributes (test id, aria-label) go on the contenteditable. */
export function TipTapNote({ name, attributes }) {
  const host = useRef(null);
  useEffect(() => {
    const editor = new Editor({
      element: host.current,
      extensions: [StarterKit],
      content: "",
      editorProps: { attributes: { role: "textbox", "aria-multiline": "true", ...attributes } },
    });
    const unregister = register(name, {
      kind: "tiptap",
      instance: editor,
      element: () => editor.view.dom,
      read: () => editor.getText({ blockSeparator: "\n" }),
      readHtml: () => editor.getHTML(),
    });
    return () => {
      unregister();
      editor.destroy();
    };
  }, [name]);
  return <div ref={host} className="note-editor-host" />;
}

/** A Lexical rich-text editor on a contenteditable div (root element carries __lexicalEditor). */
export function LexicalField({ name, attributes }) {
  const host = useRef(null);
  useEffect(() => {
    const editor = createEditor({ namespace: name, nodes: [HeadingNode, QuoteNode], onError: (e) => console.error(e) });
    editor.setRootElement(host.current);
    const unregisterText = registerRichText(editor);
    const read = () => editor.getEditorState().read(() => $getRoot().getChildren().map((c) => c.getTextContent()).join("\n"));
    const unregister = register(name, { kind: "lexical", instance: editor, element: () => editor.getRootElement(), read, readHtml: () => host.current.innerHTML });
    return () => {
      unregister();
      unregisterText();
      editor.setRootElement(null);
    };
  }, [name]);
  return <div ref={host} contentEditable suppressContentEditableWarning className="lexical-editor" role="textbox" aria-multiline="true" {...attributes} />;
}

/** The discharge page's same-origin iframe hosting TinyMCE (classic mode) on a textarea. */
export function TinyMceFrame({ name, frameTestId, drift }) {
  const frame = useRef(null);
  useEffect(() => {
    const tiny = () => {
      const win = frame.current && frame.current.contentWindow;
      const editor = win && win.tinymce && win.__dischargeEditorId ? win.tinymce.get(win.__dischargeEditorId) : null;
      return editor && editor.initialized ? editor : null;
    };
    return register(name, {
      kind: "tinymce",
      get instance() { return tiny(); },
      element: () => (tiny() ? tiny().getElement() : null),
      read: () => (tiny() ? htmlToText(tiny().getContent()) : null),
      readHtml: () => (tiny() ? tiny().getContent() : null),
    });
  }, [name]);
  return (
    <iframe
      ref={frame}
      data-test-id={frameTestId}
      title="Discharge instructions editor"
      className="discharge-frame"
      src={`/_replica/assets/shepherd/discharge-frame.html${drift ? "?drift=1" : ""}`}
    />
  );
}
