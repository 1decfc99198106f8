/* Content-script end of the sealed page bridge: receives one MessagePort from extension/page/editor-bridge.js.
   Handshake (both scripts run at document_start, before any page script exists): this side listens for
   "vetscribe:bridge-hello" and then dispatches "vetscribe:bridge-ready"; the page-world side answers a ready (or
   announces itself on start) with a MessageEvent carrying port2, synchronously. The first hello wins and both
   listeners are removed; two hellos inside our own ready dispatch mean someone else is answering, so the bridge
   is refused and only DOM writers run. No window "message" listener exists: every other postMessage is ignored.
   Elements are named to the page world by a one-shot random attribute token, never by a selector. */
(() => {
  const VS = (globalThis.VetScribe = globalThis.VetScribe || {});
  const F = (VS.fill = VS.fill || {});
  if (F.bridge) return; // already loaded at document_start; a late re-injection must not re-handshake

  const HELLO = "vetscribe:bridge-hello";
  const READY = "vetscribe:bridge-ready";
  const TOKEN_ATTR = "data-vs-fill-target";
  let port = null;
  let refused = false;
  let seq = 0;
  const pending = new Map();

  function randomToken() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function onReply(event) {
    const msg = event.data;
    const entry = msg && pending.get(msg.id);
    if (!entry) return;
    pending.delete(msg.id);
    clearTimeout(entry.timer);
    if (msg.ok) entry.resolve(msg.value);
    else entry.reject(new Error(String(msg.error || "page bridge error")));
  }

  let hellos = [];
  function onHello(event) {
    const p = event.ports && event.ports[0];
    if (!p) return;
    event.preventDefault(); // tells the page-world side its port was taken, so it stops answering
    hellos.push(p);
  }

  function accept() {
    document.removeEventListener(HELLO, onHello, true);
    if (hellos.length > 1) { refused = true; hellos.forEach((p) => p.close()); }
    else if (hellos.length === 1) { port = hellos[0]; port.onmessage = onReply; }
    hellos = [];
  }

  /** Ask the page-world script for its port; accept exactly one answer (see the header comment). */
  function handshake() {
    // As an extension content script this is only safe before any page script exists (document_start): later,
    // a page listener could see the hello and its port. Loaded late, we refuse and use DOM writers only.
    const inExtension = typeof chrome === "object" && !!(chrome && chrome.runtime && chrome.runtime.id);
    if (inExtension && (document.readyState !== "loading" || document.scripts.length > 0)) { refused = true; return; }
    document.addEventListener(HELLO, onHello, true);
    document.dispatchEvent(new CustomEvent(READY));
    if (hellos.length) { accept(); return; }
    // Page-world script not there yet (injected right after us, same task): take the first hello it announces,
    // but only until our next macrotask — later a page script could be the one announcing.
    document.removeEventListener(HELLO, onHello, true);
    const late = (event) => { stop(); onHello(event); accept(); };
    const stop = () => document.removeEventListener(HELLO, late, true);
    document.addEventListener(HELLO, late, true);
    setTimeout(stop, 0);
  }

  handshake();

  /** Send one request over the port; `element` (optional) is named by a one-shot token attribute. */
  async function call(op, args = {}, { element = null, timeoutMs = 4000 } = {}) {
    if (!port) throw new Error(refused ? "page bridge refused (handshake too late or answered twice)" : "page bridge unavailable");
    const token = element ? randomToken() : null;
    if (element) element.setAttribute(TOKEN_ATTR, token);
    const id = ++seq;
    try {
      return await new Promise((resolve, reject) => {
        const timer = setTimeout(() => { pending.delete(id); reject(new Error(`page bridge timed out on ${op}`)); }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        port.postMessage({ id, op, token, args });
      });
    } finally {
      if (element && element.getAttribute(TOKEN_ATTR) === token) element.removeAttribute(TOKEN_ATTR);
    }
  }

  /** Lines of an HTML string the editor returned (parsed inertly: DOMParser runs no script). */
  function htmlLines(html) {
    const text = F.util.blockText(new DOMParser().parseFromString(String(html), "text/html").body);
    // an empty paragraph serialises as <p>&nbsp;</p>
    return text.split("\n").map((l) => (/^[\s\u00a0]*$/.test(l) ? "" : l)).join("\n");
  }

  function readValue(value) {
    return typeof value.read === "string" ? value.read : htmlLines(value.read.html);
  }

  /** A writer for an editor family whose API lives in the page world; `claims(el)` is a cheap DOM pre-check. */
  function pageWriter(family, claims) {
    const ask = async (op, el, args = {}) => {
      if (!claims(el)) return F.NOT_MINE;
      const value = await call(op, { family, ...args }, { element: el });
      return value.notMine ? F.NOT_MINE : value;
    };
    return {
      name: family,
      async read(el) {
        const v = await ask("read", el);
        return v === F.NOT_MINE ? v : readValue(v);
      },
      async write(el, text, ctx) {
        const u = F.util;
        const args = { text, lines: u.toLines(text), html: u.linesToHtml(text) };
        if (ctx.appendText != null) { args.appendLines = u.toLines(ctx.appendText); args.appendHtml = u.linesToHtml(ctx.appendText); }
        const v = await ask("write", el, args);
        return v === F.NOT_MINE ? v : { via: "editor API (page world)" };
      },
      async snapshot(el) {
        const v = await ask("snapshot", el);
        return v === F.NOT_MINE ? v : v.snapshot;
      },
      async restore(el, snapshot) {
        const v = await ask("restore", el, { snapshot });
        return v === F.NOT_MINE ? v : { via: "editor API (page world)" };
      },
    };
  }

  F.bridge = { call, pageWriter, available: () => !!port, refused: () => refused, TOKEN_ATTR };
})();
