/* VetScribe fill engine: the one module every write into a PIMS field goes through.

   Public API (classic script; attaches to globalThis.VetScribe.fill):

   writeField(element, text, {kind, mode, format, separator, signal}) → Promise<{outcome, writer, before, after, restore, detail}>
     kind      "auto" (default) | "input" | "textarea" | "select" | "contenteditable" | "ckeditor5" | "tinymce" |
               "quill" | "lexical" | "prosemirror" — a hint: that writer is tried first, then the usual order.
     mode      "replace" (default) | "append" (existing text + separator + text) | "ask" (needs_confirmation
               when the field already holds text; nothing is written).
     format    "plain" (default) | "html". Text is never parsed as markup: editor APIs get paragraph nodes;
               where HTML is unavoidable (TinyMCE, paste text/html) it is built from escaped lines.
     separator default "\n\n". signal: an AbortSignal; an aborted fill puts back the previous content.
     outcome   "written" | "appended" | "unchanged" | "verify_failed" | "needs_confirmation" | "error".
     before/after  the field's text before and after (read back through the same reader used to verify).
     restore   {text, writer, snapshot} — pass to restoreField for undo (JSON-serialisable; snapshot is the
               editor's own former state, e.g. CKEditor getData()).
     detail    {attempts: [{writer, verified?, error?, read?}], message?}.
     Every write is verified: read back after a tick and again after blur (catches frameworks that revert).
     A writer that throws or does not verify hands over to the next; if none verifies, the previous content
     is put back, so a field holds either what it held or exactly the approved text — never a mix.

   readField(element, {kind}) → Promise<string>   text of the field, paragraphs joined by "\n".
   restoreField(element, restoreOrText, {kind}) → Promise<{outcome: "restored"|"verify_failed"|"error", writer, after}>
   runSteps(steps, {resolver, root, signal}) → Promise<{outcome: "done"|"refused"|"timeout"|"error"|"aborted", steps}>
     map pre-fill steps ({action: "click"|"wait_for", target, ...}); never clicks Save/Sign/Finalize/Submit.
   commitReason(element) → string   why an element looks like a save/sign control ("" if it does not).

   Load order (classic scripts, see files.json): util.js, bridge.js, vendor/purify.min.js, the writers, steps.js,
   index.js. util.js and bridge.js must run at document_start (the handshake); the rest may be injected later.
   Editor APIs live in the page's own JS world: extension/page/editor-bridge.js (world MAIN) answers over a
   sealed MessagePort; see bridge.js for the handshake. */
(() => {
  const VS = (globalThis.VetScribe = globalThis.VetScribe || {});
  const F = (VS.fill = VS.fill || {});
  const NOT_MINE = F.NOT_MINE;
  const u = F.util;

  // order matters: editor APIs first (they claim their own DOM cheaply), then native fields, then plain
  // contenteditable, then the event-based fallbacks from most to least faithful.
  const ORDER = ["ckeditor5", "tinymce", "quill", "lexical", "prosemirror", "textfield", "contenteditable", "beforeinput", "paste", "exec-command"];
  const KIND_WRITER = { input: "textfield", textarea: "textfield", select: "textfield", contenteditable: "contenteditable" };
  const MODES = new Set(["replace", "append", "ask"]);
  const FORMATS = new Set(["plain", "html"]);

  function orderFor(kind) {
    const first = KIND_WRITER[kind] || (ORDER.includes(kind) ? kind : null);
    return first ? [first, ...ORDER.filter((n) => n !== first)] : ORDER;
  }

  /** First reader that claims the element → {text, writer}. */
  async function readWith(el, kind) {
    const errors = [];
    for (const name of orderFor(kind)) {
      const w = F.writers[name];
      if (!w || !w.read) continue;
      try {
        const text = await w.read(el);
        if (text !== NOT_MINE) return { text: String(text), writer: name };
      } catch (err) { errors.push(`${name}: ${err.message}`); }
    }
    throw new Error(`no reader for this element${errors.length ? ` (${errors.join("; ")})` : ""}`);
  }

  async function readField(el, { kind = "auto" } = {}) {
    return (await readWith(el, kind)).text;
  }

  async function snapshotOf(el, writer) {
    const w = F.writers[writer];
    if (!w || !w.snapshot) return null;
    try {
      const snap = await w.snapshot(el);
      return snap === NOT_MINE ? null : snap;
    } catch { return null; }
  }

  function blurFrom(el) {
    const doc = el.ownerDocument;
    const active = doc.activeElement;
    if (active && active !== doc.body && typeof active.blur === "function") active.blur();
    if (el.tagName === "IFRAME") { try { el.contentWindow.blur(); } catch { /* cross-origin */ } }
  }

  /** Read back until it matches (frameworks may settle a tick late), then blur and read again. */
  async function verify(el, expect, kind) {
    const want = u.normalize(expect);
    let after = null;
    for (const wait of [0, 16, 50, 100, 150]) {
      await u.tick(wait);
      after = await readField(el, { kind }).catch(() => null);
      if (after !== null && u.normalize(after) === want) break;
    }
    if (after === null || u.normalize(after) !== want) return { ok: false, after, stage: "after write" };
    blurFrom(el);
    await u.tick(0); // a framework that reverts on blur does so in its blur/change handlers or the next render
    after = await readField(el, { kind }).catch(() => null);
    return after !== null && u.normalize(after) === want ? { ok: true, after } : { ok: false, after, stage: "after blur" };
  }

  /** Try each writer in order until one's write reads back exactly; → {writer, after} or {attempts}. */
  async function writeThrough(el, target, ctx, kind) {
    const attempts = [];
    for (const name of orderFor(kind)) {
      u.throwIfAborted(ctx.signal);
      const w = F.writers[name];
      if (!w || !w.write) continue;
      let res;
      try { res = await w.write(el, target, ctx); }
      catch (err) { attempts.push({ writer: name, error: String(err.message || err) }); continue; }
      if (res === NOT_MINE) continue;
      const check = await verify(el, res && res.expect != null ? res.expect : target, kind);
      attempts.push({ writer: name, verified: check.ok, ...(check.ok ? {} : { read: check.after, stage: check.stage }) });
      if (check.ok) return { writer: name, after: check.after, attempts };
    }
    return { writer: null, attempts };
  }

  function makeContext({ mode, format, separator, signal }, before, text) {
    const appending = mode === "append" && u.normalize(before) !== "";
    return {
      mode, format, separator, signal, newText: text, append: appending,
      insertText: appending ? separator + text : text,
      // editor APIs can add paragraphs after existing ones (keeping their formatting) when the separator breaks lines
      appendText: appending && separator.startsWith("\n") ? separator.slice(1) + text : null,
    };
  }

  async function writeField(el, text, opts = {}) {
    const { kind = "auto", mode = "replace", format = "plain", separator = "\n\n", signal } = opts;
    const fail = (message, extra = {}) => ({ outcome: "error", writer: null, before: null, after: null, restore: null, detail: { message, ...extra } });
    if (!el || el.nodeType !== 1) return fail("no element to write to");
    if (typeof text !== "string") return fail("text must be a string");
    if (!MODES.has(mode) || !FORMATS.has(format)) return fail(`unsupported mode "${mode}" or format "${format}"`);
    if (signal && signal.aborted) return fail("aborted before writing", { aborted: true });

    let current;
    try { current = await readWith(el, kind); } catch (err) { return fail(err.message); }
    const before = current.text;
    const restore = { text: before, writer: current.writer, snapshot: await snapshotOf(el, current.writer) };
    const base = { before, restore };
    if (mode === "ask" && u.normalize(before) !== "") {
      return { outcome: "needs_confirmation", writer: null, after: before, ...base, detail: { message: "the field already holds text" } };
    }
    const ctx = makeContext({ mode, format, separator, signal }, before, text);
    const target = ctx.append ? u.normalize(before) + separator + text : text;
    if (u.normalize(before) === u.normalize(target)) return { outcome: "unchanged", writer: current.writer, after: before, ...base, detail: { attempts: [] } };

    let result;
    try { result = await writeThrough(el, target, ctx, kind); }
    catch (err) { result = { writer: null, attempts: [], aborted: err.name === "AbortError", message: err.message }; }
    if (result.writer) {
      return { outcome: ctx.append ? "appended" : "written", writer: result.writer, after: result.after, ...base, detail: { attempts: result.attempts } };
    }
    const put = await putBack(el, restore, kind);
    // verify_failed: some writer wrote but nothing read back exactly; error: no writer could even try
    const outcome = !result.aborted && result.attempts.some((a) => "verified" in a) ? "verify_failed" : "error";
    const message = result.message || (result.attempts.length ? "no writer's text read back exactly" : "no writer handles this element");
    return { outcome, writer: null, after: put.after, ...base, detail: { attempts: result.attempts, message, restored: put.outcome, ...(result.aborted ? { aborted: true } : {}) } };
  }

  /** After a failed fill: if the field changed, put the previous content back. */
  async function putBack(el, restore, kind) {
    const now = await readField(el, { kind }).catch(() => null);
    if (now !== null && u.normalize(now) === u.normalize(restore.text)) return { outcome: "untouched", after: now };
    return restoreField(el, restore, { kind });
  }

  /** Undo: put back what writeField found (its `restore`, or plain text). Snapshot first, then text. */
  async function restoreField(el, previous, { kind = "auto" } = {}) {
    const prev = typeof previous === "string" ? { text: previous } : previous || {};
    const text = String(prev.text ?? "");
    const w = prev.writer && F.writers[prev.writer];
    if (w && w.restore && prev.snapshot != null) {
      try {
        if ((await w.restore(el, prev.snapshot)) !== NOT_MINE) {
          const check = await verify(el, text, kind);
          if (check.ok) return { outcome: "restored", writer: prev.writer, after: check.after };
        }
      } catch { /* fall back to writing the text */ }
    }
    const now = await readField(el, { kind }).catch(() => null);
    if (now !== null && u.normalize(now) === u.normalize(text)) return { outcome: "restored", writer: null, after: now };
    const res = await writeThrough(el, text, makeContext({ mode: "replace", format: "plain", separator: "" }, "", text), kind).catch((err) => ({ writer: null, attempts: [], message: err.message }));
    return res.writer ? { outcome: "restored", writer: res.writer, after: res.after } : { outcome: "verify_failed", writer: null, after: await readField(el, { kind }).catch(() => null), detail: { attempts: res.attempts } };
  }

  Object.assign(F, { writeField, readField, restoreField, ORDER });
})();
