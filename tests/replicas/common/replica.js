// Shared glue for every replica app: the page config the server injects, client-side navigation,
// the `window.__replica` test hooks and the save-click recorder (the extension must never press Save).

/** Config injected by tests/replicas/server.py: {pims, base, drift}. */
export const config = window.__REPLICA_CONFIG || { pims: "unknown", base: "", drift: false };

/** Path inside the app, without the mount prefix ("/drift", "/ezyvet", "/drift/ezyvet" or ""). */
export function appPath() {
  const path = location.pathname;
  return path.startsWith(config.base) ? path.slice(config.base.length) || "/" : path;
}

/** Client-side navigation: pushState plus a popstate so the app re-renders; never reloads the page. */
export function navigate(path) {
  history.pushState({}, "", config.base + path);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

/** Convert HTML produced by an editor's own API (getData/getContent) to text, one line per block. */
export function htmlToText(html) {
  const doc = new DOMParser().parseFromString(`<body>${html || ""}</body>`, "text/html");
  const lines = [];
  const blocks = doc.body.querySelectorAll("p, li, h1, h2, h3, h4, h5, h6, pre, blockquote > p");
  if (!blocks.length) return doc.body.textContent.trim();
  for (const block of blocks) {
    if (block.querySelector("p, li")) continue; // a container; its children are listed too
    const clone = block.cloneNode(true);
    for (const br of clone.querySelectorAll("br")) br.replaceWith("\n");
    const line = clone.textContent.replace(/\u00a0/g, " ");
    lines.push(line.trim() ? line : ""); // editors spell an empty paragraph <p>&nbsp;</p>
  }
  return lines.join("\n").replace(/\s+$/, "");
}

const saveClicks = [];

/** Record every click on an element marked data-replica-save (and every form submit) so tests can assert none. */
function recordSaves() {
  document.addEventListener(
    "click",
    (event) => {
      const target = event.target instanceof Element ? event.target.closest("[data-replica-save]") : null;
      if (target) saveClicks.push({ button: target.getAttribute("data-replica-save"), at: Date.now() });
    },
    true,
  );
  document.addEventListener("submit", (event) => {
    event.preventDefault();
    saveClicks.push({ button: "form-submit", at: Date.now() });
  }, true);
}

/**
 * Install window.__replica. `hooks` gives read(field) → text through the editor's own API (null when the field
 * is not on the page), readHtml(field), patient() → the patient on screen (or null), fields() → names present,
 * editor(field) → the library instance, element(field) → the element a map should resolve for the field
 * (found through the editor's own API), isReady() → true once late content has rendered.
 */
export function installReplica(hooks) {
  recordSaves();
  window.__replica = {
    pims: config.pims,
    drift: config.drift,
    read: (field) => hooks.read(field),
    readHtml: (field) => (hooks.readHtml ? hooks.readHtml(field) : null),
    patient: () => hooks.patient(),
    fields: () => hooks.fields(),
    editor: (field) => (hooks.editor ? hooks.editor(field) : null),
    element: (field) => (hooks.element ? hooks.element(field) : null),
    kind: (field) => (hooks.kind ? hooks.kind(field) : null),
    // take a field off the page through the app's own rendering (as a PIMS release might); true when it had one
    hideField: (field) => (hooks.hideField ? hooks.hideField(field) : false),
    isReady: () => hooks.isReady(),
    saveClicks: () => saveClicks.length,
    saveClickLog: () => saveClicks.slice(),
    navigate,
  };
}

/** Fields hidden through window.__replica.hideField; they stay hidden for the page's life, like a release that dropped them. */
export const hiddenFields = new Set();
const hideListeners = new Set();

/** Hide a field by name and notify the app (used by apps whose rendering owns the field). */
export function hideFieldByName(field) {
  hiddenFields.add(field);
  for (const listener of hideListeners) listener(field);
  return true;
}

/** Register a listener called with the field name whenever a field is hidden; returns an unsubscribe. */
export function onHideField(listener) {
  hideListeners.add(listener);
  return () => hideListeners.delete(listener);
}

/** Random id suffix like ezyVet's generated ones: sometimes negative, never zero. */
export function randomSuffix() {
  const n = Math.floor(Math.random() * 90000) + 1000;
  return Math.random() < 0.4 ? -n : n;
}

/** Age in whole years from an ISO date, for display. */
export function ageText(dob) {
  const born = new Date(dob);
  const now = new Date();
  let years = now.getFullYear() - born.getFullYear();
  if (now < new Date(now.getFullYear(), born.getMonth(), born.getDate())) years -= 1;
  return `${years} y`;
}
