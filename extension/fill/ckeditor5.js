/* CKEditor 5 (classic, inline, balloon, decoupled): writes through `el.ckeditorInstance`'s model in the page
   world — the editable ignores DOM edits. Claims the editable (or anything inside it) and a classic editor's
   hidden source element. Used by Covetrus-style rich SOAP boxes and many admin-written maps. */
(() => {
  const VS = (globalThis.VetScribe = globalThis.VetScribe || {});
  const F = (VS.fill = VS.fill || {});
  F.writers = F.writers || {};
  const claims = (el) =>
    !!(el.closest(".ck-editor__editable") || (el.nextElementSibling && el.nextElementSibling.classList.contains("ck-editor")) ||
      (el.classList.contains("ck-editor") && el.querySelector(".ck-editor__editable")));
  F.writers.ckeditor5 = { ...F.bridge.pageWriter("ckeditor5", claims), claims };
})();
