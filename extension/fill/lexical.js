/* Lexical (Meta; rich-text and plain-text setups): writes a new editor state built from JSON paragraphs through
   the root element's `__lexicalEditor` in the page world. Lexical reconciles its DOM from its own state, so DOM
   edits are reverted; the beforeinput writer is the fallback. */
(() => {
  const VS = (globalThis.VetScribe = globalThis.VetScribe || {});
  const F = (VS.fill = VS.fill || {});
  F.writers = F.writers || {};
  const claims = (el) => !!(el.closest("[data-lexical-editor]") || (el.querySelector && el.querySelector("[data-lexical-editor]")));
  F.writers.lexical = { ...F.bridge.pageWriter("lexical", claims), claims };
})();
