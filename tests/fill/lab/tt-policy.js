// Strict lab variant only (/strict/...): the page's Trusted Types default policy, which also records every
// string that reaches an HTML/script sink, so tests can prove our fills never route note text through one.
(() => {
  if (!location.pathname.startsWith("/strict/") || !window.trustedTypes) return;
  window.__sinkCalls = [];
  const record = (kind) => (value) => { window.__sinkCalls.push(`${kind}:${value}`); return value; };
  trustedTypes.createPolicy("default", { createHTML: record("html"), createScript: record("script"), createScriptURL: record("url") });
})();
