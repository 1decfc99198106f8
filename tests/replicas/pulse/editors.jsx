// Editor components for the Pulse-like replica: CKEditor 5 and Quill 2 mounted from npm, a React-controlled
// textarea, and a controlled textarea rendered into an open shadow root. Each registers itself in EDITORS so
// window.__replica.read() can read the field back through the library's own API.
import { useEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { ClassicEditor, Essentials, Paragraph, Bold, Italic, List } from "ckeditor5";
import Quill from "quill";
import { htmlToText } from "../common/replica.js";
import "ckeditor5/ckeditor5.css";
import "quill/dist/quill.snow.css";

// Apps that load Quill from a CDN expose it globally; the fill engine's page-world writer relies on Quill.find.
window.Quill = Quill;

/** field name → {kind, read(), readHtml(), instance} for the fields currently mounted. */
export const EDITORS = {};

function register(name, entry) {
  EDITORS[name] = entry;
  return () => {
    if (EDITORS[name] === entry) delete EDITORS[name];
  };
}

/** A CKEditor 5 classic editor whose editable carries the given accessible label. */
export function CkField({ name, label, id, className }) {
  const host = useRef(null);
  useEffect(() => {
    let editor = null;
    let unregister = () => {};
    let gone = false;
    ClassicEditor.create(host.current, {
      licenseKey: "GPL",
      plugins: [Essentials, Paragraph, Bold, Italic, List],
      toolbar: ["bold", "italic", "bulletedList"],
      label,
    }).then((instance) => {
      if (gone) return instance.destroy();
      editor = instance;
      unregister = register(name, {
        kind: "ckeditor5",
        instance,
        element: () => instance.ui.getEditableElement(),
        read: () => htmlToText(instance.getData()),
        readHtml: () => instance.getData(),
      });
    });
    return () => {
      gone = true;
      unregister();
      if (editor) editor.destroy();
    };
  }, [name, label]);
  return (
    <div className={className} id={id}>
      <span className="field-label" id={`${id}-label`}>{label}</span>
      <div ref={host} />
    </div>
  );
}

/** A Quill 2 snow editor; its .ql-editor gets role=textbox and the label as aria-label. */
export function QuillField({ name, label, id, className }) {
  const host = useRef(null);
  useEffect(() => {
    const quill = new Quill(host.current, { theme: "snow", modules: { toolbar: [["bold", "italic"], [{ list: "bullet" }]] } });
    quill.root.setAttribute("role", "textbox");
    quill.root.setAttribute("aria-multiline", "true");
    quill.root.setAttribute("aria-label", label);
    const unregister = register(name, {
      kind: "quill",
      instance: quill,
      element: () => quill.root,
      read: () => quill.getText().replace(/\n$/, ""),
      readHtml: () => quill.getSemanticHTML(),
    });
    return () => {
      unregister();
      const toolbar = host.current && host.current.previousSibling;
      if (toolbar && toolbar.classList && toolbar.classList.contains("ql-toolbar")) toolbar.remove();
    };
  }, [name, label]);
  return (
    <div className={className} id={id}>
      <span className="field-label" id={`${id}-label`}>{label}</span>
      <div><div ref={host} /></div>
    </div>
  );
}

/** A textarea whose value lives in React state: writes that bypass React are reverted on the next render. */
export function ControlledTextarea({ name, label, id, value, onChange, rows = 3 }) {
  const latest = useRef(value);
  const box = useRef(null);
  latest.current = value;
  useEffect(() => register(name, {
    kind: "react-textarea", read: () => latest.current, readHtml: () => latest.current, element: () => box.current,
  }), [name]);
  return (
    <div className="exam-row">
      <label htmlFor={id}>{label}</label>
      <textarea ref={box} id={id} name={name} rows={rows} value={value} onChange={(e) => onChange(name, e.target.value)} />
    </div>
  );
}

/** A controlled textarea rendered through a portal into an open shadow root (a web-component panel). */
export function ShadowTextarea(props) {
  const [shadow, setShadow] = useState(null);
  const attach = (el) => {
    if (!el) return;
    if (!el.shadowRoot) {
      const root = el.attachShadow({ mode: "open" });
      const style = document.createElement("style");
      style.textContent = "label{display:block;font-weight:600} textarea{width:100%;box-sizing:border-box}";
      root.appendChild(style);
    }
    setShadow(el.shadowRoot);
  };
  return (
    <div className="dental-panel-host" ref={attach}>
      {shadow ? createPortal(<ControlledTextarea {...props} />, shadow) : null}
    </div>
  );
}
