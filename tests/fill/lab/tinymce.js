// TinyMCE in its default iframe mode on a <textarea>; read-back through the editor's body and getContent().
import tinymce from "tinymce";
import "tinymce/models/dom";
import "tinymce/themes/silver";
import "tinymce/icons/default";
import { publish, app, joinLines } from "./common.js";

const ta = document.createElement("textarea");
ta.id = "notes";
app().append(ta);
tinymce.init({ target: ta, skin: false, content_css: false, menubar: false, toolbar: "bold", license_key: "gpl", promotion: false }).then(([editor]) => {
  publish({
    target: () => editor.iframeElement,
    read: () => ({ text: joinLines([...editor.getBody().children].map((p) => p.textContent)), html: editor.getContent() }),
    seed: (html) => editor.setContent(html),
    breakApi: () => { editor.setContent = () => { throw new Error("lab: broken editor"); }; },
  });
});
