/* TinyMCE 5–8 (iframe and inline modes): writes through `tinymce.get()` in the page world. Claims the iframe,
   the body inside it, an inline editor's body, the hidden source textarea, or the editor's container. TinyMCE
   takes HTML, so the content script builds it from escaped text (util.linesToHtml); the read-back is the
   editor's own getContent(), parsed inertly. Iframe bodies are reached from the top frame (same origin). */
(() => {
  const VS = (globalThis.VetScribe = globalThis.VetScribe || {});
  const F = (VS.fill = VS.fill || {});
  F.writers = F.writers || {};
  const claims = (el) =>
    !!((el.tagName === "IFRAME" && el.closest(".tox-tinymce, .mce-tinymce")) || el.closest(".mce-content-body, .tox-tinymce") ||
      (el.nextElementSibling && el.nextElementSibling.matches(".tox-tinymce, .mce-tinymce")));
  F.writers.tinymce = { ...F.bridge.pageWriter("tinymce", claims), claims };
})();
