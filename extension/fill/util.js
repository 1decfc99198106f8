/* Shared helpers for the fill writers: text <-> block lines, escaping, ticks, events, hidden checks. */
(() => {
  const VS = (globalThis.VetScribe = globalThis.VetScribe || {});
  const F = (VS.fill = VS.fill || {});
  F.writers = F.writers || {};
  /** What a writer returns when the element is not its kind. */
  F.NOT_MINE = "not mine";

  const BLOCK = /^(P|DIV|LI|UL|OL|H[1-6]|BLOCKQUOTE|PRE|TABLE|TR|SECTION|ARTICLE|HEADER|FOOTER)$/;

  /** Normalise text for comparison: CRLF, NBSP and zero-width joiners editors add, trailing newlines. */
  function normalize(text) {
    const lines = String(text ?? "").replace(/\r\n?/g, "\n").replace(/\u00a0/g, " ").replace(/\ufeff/g, "").split("\n");
    return lines.map((l) => (l.trim() === "" ? "" : l)).join("\n").replace(/\n+$/, "");
  }

  /** Split text into paragraph lines (one per newline); an empty line is an empty paragraph. */
  function toLines(text) {
    return String(text ?? "").replace(/\r\n?/g, "\n").split("\n");
  }

  /** Escape text for HTML; the only way our data ever becomes markup. */
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  /** Paragraph HTML built from escaped lines (optionally passed through DOMPurify with a tiny allow-list).
      `empty` is how an empty line is spelt: editors' clipboard pipelines disagree (see paste.js). */
  function linesToHtml(text, empty = "<p>&nbsp;</p>") {
    const html = toLines(text).map((l) => (l ? `<p>${escapeHtml(l)}</p>` : empty)).join("");
    const purify = globalThis.DOMPurify;
    return purify && purify.sanitize ? purify.sanitize(html, { ALLOWED_TAGS: ["p", "br"], ALLOWED_ATTR: [] }) : html;
  }

  /** True when nothing with content follows `node` before the end of its block (a trailing <br> placeholder). */
  function lastInBlock(node) {
    for (let n = node; n && !BLOCK.test(n.tagName || ""); n = n.parentNode) {
      for (let s = n.nextSibling; s; s = s.nextSibling) {
        if (s.nodeType === 1 || (s.nodeType === 3 && s.data.replace(/[\u200b\ufeff]/g, "") !== "")) return false;
      }
      if (n.parentNode && n.parentNode.isContentEditable === false) break;
    }
    return true;
  }

  /** Text of a rich DOM subtree as lines: one per block, <br> as newline (not innerText: margins add blank lines). */
  function blockText(root) {
    const lines = [];
    let cur = null;
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === 3) {
          // whitespace holding a newline is source formatting between blocks (collapsed when rendered)
          if (!/^[ \t\r\n]*\n[ \t\r\n]*$/.test(child.data)) cur = (cur ?? "") + child.data;
          continue;
        }
        if (child.nodeType !== 1) continue;
        if (child.tagName === "BR") {
          if (!lastInBlock(child)) { lines.push(cur ?? ""); cur = null; }
          continue;
        }
        if (!BLOCK.test(child.tagName)) { walk(child); continue; }
        if (cur !== null) { lines.push(cur); cur = null; }
        const start = lines.length;
        walk(child);
        if (cur !== null) { lines.push(cur); cur = null; } else if (lines.length === start) lines.push("");
      }
    };
    walk(root);
    if (cur !== null) lines.push(cur);
    return lines.join("\n");
  }

  /** Resolve on a fresh message task (not a timer task). */
  function messageTask() {
    return new Promise((resolve) => {
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = () => { port1.close(); resolve(); };
      port2.postMessage(null);
    });
  }

  /**
   * Resolve after a macrotask, so frameworks that re-render or revert get their turn. The timer is set from a
   * message task: chained timers (write → read → blur → read, field after field) would otherwise reach HTML's
   * timer nesting limit and be clamped to 4 ms each; page timers queued before ours still run first.
   */
  async function tick(ms = 0) {
    await messageTask();
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  function fire(el, type, init = {}) {
    const Ctor = type === "input" || type === "beforeinput" ? InputEvent : Event;
    return el.dispatchEvent(new Ctor(type, { bubbles: true, cancelable: true, composed: true, ...init }));
  }

  /** True when the element takes no space on the page (hidden source textareas of rich editors). */
  function isHidden(el) {
    return !el.isConnected || el.getClientRects().length === 0;
  }

  /** Select everything inside a contenteditable element. */
  function selectAllIn(el) {
    const doc = el.ownerDocument;
    const sel = doc.getSelection();
    const range = doc.createRange();
    range.selectNodeContents(el);
    sel.removeAllRanges();
    sel.addRange(range);
    return sel;
  }

  function throwIfAborted(signal) {
    if (signal && signal.aborted) {
      const err = new Error("fill aborted");
      err.name = "AbortError";
      throw err;
    }
  }

  /** The contenteditable root an element belongs to (the element itself, a child, or an iframe's body). */
  function editableRoot(el) {
    if (el.tagName === "IFRAME") {
      try { const body = el.contentDocument && el.contentDocument.body; return body && body.isContentEditable ? body : null; } catch { return null; }
    }
    if (!el.isContentEditable) return null;
    let root = el;
    while (root.parentElement && root.parentElement.isContentEditable) root = root.parentElement;
    return root;
  }

  F.util = { normalize, toLines, escapeHtml, linesToHtml, blockText, tick, messageTask, fire, isHidden, selectAllIn, throwIfAborted, editableRoot };
})();
