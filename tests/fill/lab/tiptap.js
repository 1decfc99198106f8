// TipTap 3 with StarterKit; read-back through the ProseMirror document and getHTML().
import { Editor } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { publish, app, joinLines } from "./common.js";

const host = document.createElement("div");
app().append(host);
const editor = new Editor({ element: host, extensions: [StarterKit], content: "" });
publish({
  target: () => document.querySelector(".ProseMirror"),
  read: () => {
    const lines = [];
    editor.state.doc.forEach((n) => lines.push(n.textContent));
    return { text: joinLines(lines), html: editor.getHTML() };
  },
  seed: (html) => editor.commands.setContent(html),
  breakApi: () => { editor.chain = () => { throw new Error("lab: broken editor"); }; },
});
