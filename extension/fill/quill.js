/* Quill 1 and 2: writes through the page's Quill instance (`Quill.find(container)`, Quill 1 `container.__quill`).
   Quill 2 keeps instances in a private WeakMap, so when the page does not expose `window.Quill` this writer
   reports failure and the paste writer (Quill's clipboard module handles synthetic paste) takes over. */
(() => {
  const VS = (globalThis.VetScribe = globalThis.VetScribe || {});
  const F = (VS.fill = VS.fill || {});
  F.writers = F.writers || {};
  const claims = (el) => !!(el.closest(".ql-container") || (el.querySelector && el.querySelector(".ql-container")));
  F.writers.quill = { ...F.bridge.pageWriter("quill", claims), claims };
})();
