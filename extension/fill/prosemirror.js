/* TipTap 2–3 on ProseMirror: writes a JSON document through the `.ProseMirror` element's `editor` in the page
   world. Bare ProseMirror views expose no instance on the DOM; those fall through to the paste writer, which
   ProseMirror's clipboard handling accepts. */
(() => {
  const VS = (globalThis.VetScribe = globalThis.VetScribe || {});
  const F = (VS.fill = VS.fill || {});
  F.writers = F.writers || {};
  const claims = (el) => !!(el.closest(".ProseMirror") || (el.querySelector && el.querySelector(".ProseMirror")));
  F.writers.prosemirror = { ...F.bridge.pageWriter("prosemirror", claims), claims };
})();
