/* Starts the scribe in a matched PIMS tab: mounts the panel, builds the session, wires the one content-side
   message table, and tears all of it down through one AbortSignal. */
globalThis.VetScribe = globalThis.VetScribe || {};
VetScribe.content = VetScribe.content || {};

(() => {
  const C = VetScribe.content;

  /** Run a panel action; an unexpected error becomes a visible status, never a silent failure. */
  function guarded(session, fn) {
    return (...args) => Promise.resolve().then(() => fn(...args)).catch((err) => {
      console.error("VetScribe action failed", err);
      session.view.setStatus(`Something went wrong: ${err && err.message}. Nothing more was written.`, "error");
    });
  }

  function actionsFor(session) {
    const actions = {
      generate: () => session.generate(),
      approve: () => session.approve(),
      undo: () => session.undo(),
      copy: (name, text) => session.copy(name, text),
      confirm: (name, mode) => session.confirm(name, mode),
      consent: (checked) => session.giveConsent(checked),
      resume: (key) => session.resume(key),
      discard: (key) => session.discard(key),
      picker: async () => {
        const res = await C.send("admin.picker.start");
        if (!res.ok) session.view.setStatus(`The picker did not start: ${C.errorText(res)}`, "error");
      },
      dictate: () => session.dictation.toggle(),
    };
    return Object.fromEntries(Object.entries(actions).map(([name, fn]) => [name, guarded(session, fn)]));
  }

  function messageTable(session, teardown) {
    // one entry per message type the background sends to a tab
    return {
      "outbox.sent": (msg) => {
        if (msg.kind === "approve" && session.encounter && msg.meta && msg.meta.encounterId === session.encounter.id) {
          session.view.setStatus(msg.ok ? "The companion recorded your approval. Click Approve to fill." : `The queued approval was refused: ${C.errorText(msg)}`, msg.ok ? "ok" : "error");
        }
        return { ok: true };
      },
      "companion.reachability": (msg) => {
        session.view.setStatus(msg.reachable ? "Companion is reachable again; unsent work is being sent." : "Companion is not reachable. Your work is kept on this computer and sent when it is back.", msg.reachable ? "ok" : "error");
        // the chart could not be parsed while it was away: read it again now
        if (msg.reachable && !session.context && !session.reading) guarded(session, () => session.readContext())();
        if (msg.reachable && session.dictation && !session.dictation.available) guarded(session, () => session.dictation.offer())();
        return { ok: true };
      },
      "test.panel": (msg) => C.testHook.handle(msg.op || {}),
      "content.teardown": () => { teardown(); return { ok: true }; },
    };
  }

  function listen(table, signal) {
    const listener = (msg, sender, sendResponse) => {
      if (!sender || sender.id !== chrome.runtime.id || sender.tab) return false; // only the background talks to us
      const handler = msg && table[msg.type];
      if (!handler) return false;
      Promise.resolve(handler(msg)).then(sendResponse, (err) => sendResponse({ ok: false, error: String(err && err.message) }));
      return true;
    };
    chrome.runtime.onMessage.addListener(listener);
    signal.addEventListener("abort", () => chrome.runtime.onMessage.removeListener(listener), { once: true });
  }

  /** Start once per page (a second call with another map version restarts cleanly). */
  async function start(entry, settings = {}) {
    if (C.current) {
      if (C.current.session.map.version === entry.map.version && C.current.session.map.id === entry.map.id) return;
      C.current.teardown();
    }
    C.started = true;
    const controller = new AbortController();
    const { signal } = controller;
    const frame = VetScribe.panelFrame.mount({ signal });
    const session = new C.Session(entry, null, { signal, role: settings.role });
    session.view = VetScribe.panelView.createView(frame, actionsFor(session), { role: settings.role, signal });
    const teardown = () => {
      controller.abort();
      if (C.current && C.current.session === session) C.current = null;
    };
    C.current = { frame, session, teardown };
    listen(messageTable(session, teardown), signal);
    window.addEventListener("pagehide", teardown, { once: true, signal });
    C.watcher = C.watchPatient(session, signal);
    session.dictation = new C.Dictation(session);
    await guarded(session, async () => {
      await session.dictation.offer();
      await session.readContext();
      await session.offerParked();
    })();
  }

  C.start = start;
})();
