// Lexical rich-text editor with history; read-back through $getRoot() inside editorState.read().
import { createEditor, $getRoot, $createParagraphNode, $createTextNode } from "lexical";
import { registerRichText, HeadingNode, QuoteNode } from "@lexical/rich-text";
import { publish, app, joinLines } from "./common.js";

const el = document.createElement("div");
el.contentEditable = "true";
el.id = "lexical";
app().append(el);
const editor = createEditor({ namespace: "lab", nodes: [HeadingNode, QuoteNode], onError: (e) => { throw e; } });
editor.setRootElement(el);
registerRichText(editor);
publish({
  target: () => el,
  read: () => ({
    text: editor.getEditorState().read(() => joinLines($getRoot().getChildren().map((n) => n.getTextContent()))),
    html: el.innerHTML,
  }),
  seed: (text) => editor.update(() => {
    const root = $getRoot();
    root.clear();
    for (const line of text.split("\n")) root.append($createParagraphNode().append(...(line ? [$createTextNode(line)] : [])));
  }, { discrete: true }),
  breakApi: () => { editor.parseEditorState = () => { throw new Error("lab: broken editor"); }; },
});
