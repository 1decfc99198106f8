// Quill 2 (snow theme markup, no CSS); the page exposes window.Quill like many apps do. read-back via getText().
import Quill from "quill";
import { publish, app } from "./common.js";

window.Quill = Quill;
const box = document.createElement("div");
box.id = "quill";
app().append(box);
const quill = new Quill(box, { theme: "snow" });
publish({
  target: () => document.querySelector(".ql-editor"),
  read: () => ({ text: quill.getText().replace(/\n$/, ""), html: quill.getSemanticHTML() }),
  seed: (html) => quill.clipboard.dangerouslyPasteHTML(html),
  breakApi: () => { quill.setContents = () => { throw new Error("lab: broken editor"); }; },
  hideGlobal: () => { delete window.Quill; },
});
