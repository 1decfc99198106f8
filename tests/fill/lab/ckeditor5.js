// CKEditor 5 classic editor on a <div>; read-back through the model and getData().
import { ClassicEditor, Essentials, Paragraph, Bold } from "ckeditor5";
import { publish, app, joinLines } from "./common.js";

const host = document.createElement("div");
host.id = "source";
app().append(host);
ClassicEditor.create(host, { licenseKey: "GPL", plugins: [Essentials, Paragraph, Bold], toolbar: ["bold"] }).then((editor) => {
  const root = () => editor.model.document.getRoot();
  publish({
    target: () => document.querySelector(".ck-editor__editable"),
    read: () => ({
      text: joinLines([...root().getChildren()].map((p) => [...p.getChildren()].map((t) => t.data || "").join(""))),
      html: editor.getData(),
    }),
    seed: (html) => editor.setData(html),
    // the page-world handle throws (as a hardened or half-initialised page might); the DOM still works
    breakApi: () => {
      Object.defineProperty(document.querySelector(".ck-editor__editable"), "ckeditorInstance", { get() { throw new Error("lab: broken editor"); } });
    },
  });
});
