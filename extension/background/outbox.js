/* Unsent work (transcript, approvals, write-back results, drift reports) kept in storage.local while the
   companion is unreachable and sent once, in order, when it answers again. Every item carries an
   idempotency key, so a resend after a crash between "sent" and "removed" is harmless on the companion. */
globalThis.VetScribeBg = globalThis.VetScribeBg || {};

(() => {
  const bg = globalThis.VetScribeBg;
  const KEY = "outbox";
  const RESULTS_KEY = "outboxResults";
  const MAX_RESULTS = 50;
  let flushing = null;

  async function readOutbox() {
    return (await chrome.storage.local.get(KEY))[KEY] || [];
  }

  async function writeOutbox(items) {
    await chrome.storage.local.set({ [KEY]: items });
  }

  /** Queue a request; an item with the same key is stored once. */
  async function enqueue({ key, method, path, body, kind, meta }) {
    const items = await readOutbox();
    if (!items.some((item) => item.key === key)) {
      items.push({ key, method, path, body, kind, meta: meta || {}, queuedAt: new Date().toISOString() });
      await writeOutbox(items);
    }
    await chrome.alarms.create("outbox-retry", { periodInMinutes: 0.5 });
    return items.length;
  }

  async function recordResult(item, res) {
    const results = (await chrome.storage.local.get(RESULTS_KEY))[RESULTS_KEY] || [];
    results.push({ key: item.key, kind: item.kind, ok: res.ok, status: res.status, error: res.error || null, at: new Date().toISOString() });
    await chrome.storage.local.set({ [RESULTS_KEY]: results.slice(-MAX_RESULTS) });
  }

  async function sendItem(item) {
    const res = await bg.api(item.method, item.path, { body: item.body });
    if (res.offline || res.retryable) return false;
    // Sent (accepted or rejected for good): drop it before anything else can resend it.
    await writeOutbox((await readOutbox()).filter((other) => other.key !== item.key));
    await recordResult(item, res);
    bg.broadcast({ type: "outbox.sent", key: item.key, kind: item.kind, meta: item.meta, ok: res.ok, data: res.data || null, error: res.error || null });
    return true;
  }

  async function flushOnce() {
    for (const item of await readOutbox()) {
      if (!(await sendItem(item))) return { sent: false, remaining: (await readOutbox()).length };
    }
    await chrome.alarms.clear("outbox-retry");
    return { sent: true, remaining: 0 };
  }

  /** Send everything queued, in order; concurrent callers share one run so nothing goes out twice. */
  function flush() {
    if (!flushing) flushing = flushOnce().finally(() => { flushing = null; });
    return flushing;
  }

  /**
   * Send now, or queue when the companion cannot be reached. Returns the api() answer, or
   * {ok:false, queued:true, error} when the work was kept for later.
   */
  async function sendOrQueue(request) {
    if ((await readOutbox()).length) await flush();
    const queuedBefore = (await readOutbox()).length > 0;
    if (!queuedBefore) {
      const res = await bg.api(request.method, request.path, { body: request.body });
      if (!res.offline && !res.retryable) return res;
      await enqueue(request);
      return { ...res, queued: true };
    }
    // Older work is still waiting: keep order by queueing behind it.
    await enqueue(request);
    return { ok: false, status: 0, offline: true, queued: true, error: { code: "unreachable", title: "The companion is not reachable", detail: "Saved on this computer; it will be sent when the companion is back." } };
  }

  Object.assign(bg, { enqueue, flush, sendOrQueue, readOutbox });
})();
