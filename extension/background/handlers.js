/* The background's one message table: every message from a content script, the options page or the picker
   is answered here. Clinical calls go to the companion through client.js; writes the clinician must not lose
   go through the outbox (sent now, or kept and resent once when the companion is back). */
globalThis.VetScribeBg = globalThis.VetScribeBg || {};

(() => {
  const bg = globalThis.VetScribeBg;
  const DRAFT_TIMEOUT_MS = 120000;
  const AUDIO_TIMEOUT_MS = 180000; // speech-to-text of a few minutes of audio
  const MAX_AUDIO_BASE64 = 12 * 1024 * 1024; // the companion applies its own (smaller) body limit
  const AUDIO_TYPE = /^audio\/[\w.+-]+(;[\w=.+ -]*)?$/;
  const id = (value) => encodeURIComponent(String(value));

  const direct = (method, path, body, opts) => bg.api(method, path, { body, ...opts });
  const queued = (kind, method, path, body, key, meta) => bg.sendOrQueue({ kind, method, path, body, key: key || crypto.randomUUID(), meta });

  /** Queued transcript goes out first, so the draft is made from every word the clinician sent. */
  async function draftAfterOutbox(msg) {
    if ((await bg.flush()).remaining) {
      return { ok: false, offline: true, error: { code: "unreachable", title: "The companion is not reachable", detail: "The transcript is saved on this computer; Generate again when the companion is back." } };
    }
    return direct("POST", `/v1/encounters/${id(msg.encounterId)}/draft`, msg.body || {}, { timeoutMs: DRAFT_TIMEOUT_MS });
  }

  /** A transcript append carries its outbox key as `idempotency_key`: a resend never duplicates segments. */
  function transcriptAppend(msg) {
    const key = msg.key || crypto.randomUUID();
    const body = { ...msg.body, idempotency_key: key };
    return queued("transcript", "POST", `/v1/encounters/${id(msg.encounterId)}/transcript`, body, key, { encounterId: msg.encounterId });
  }

  /** Dictation: the tab's recording (base64, runtime messages carry JSON) → POST .../audio as bytes. Sent once,
      not through the outbox: a recording is too large for extension storage and the clinician sees the answer. */
  function audioUpload(msg) {
    const mime = String(msg.mime || "");
    if (!AUDIO_TYPE.test(mime) || typeof msg.audio !== "string" || !msg.audio || msg.audio.length > MAX_AUDIO_BASE64) {
      return { ok: false, error: { code: "validation_error", title: "Not a recording the companion can take" } };
    }
    const bytes = Uint8Array.from(atob(msg.audio), (c) => c.charCodeAt(0));
    return bg.api("POST", `/v1/encounters/${id(msg.encounterId)}/audio`, { raw: { bytes, contentType: mime }, timeoutMs: AUDIO_TIMEOUT_MS });
  }

  async function requireAdmin() {
    const settings = await bg.getSettings();
    if (settings.role !== "admin") throw Object.assign(new Error("Admin role required: pair with an admin code."), { code: "forbidden" });
  }

  // order does not matter; one entry per message type
  const HANDLERS = {
    "page.hello": (msg, sender) => bg.onPageHello(sender),
    "companion.status": () => bg.companionStatus(),
    "companion.pair": (msg) => bg.pair(msg.url, msg.code),
    "companion.setUrl": async (msg) => ({ ok: true, data: await bg.updateSettings({ companionUrl: bg.normaliseCompanionUrl(msg.url) }) }),
    "companion.unpair": async () => ({ ok: true, data: await bg.updateSettings({ token: null, role: null, tokenId: null }) }),
    "maps.refresh": async (msg) => bg.refreshMaps({ force: Boolean(msg.force) }),
    "permissions.status": async () => ({ ok: true, data: await bg.permissionStatus() }),
    "permissions.changed": async () => ({ ok: true, data: await bg.syncDynamicContentScripts(await bg.readMapsCache()) }),

    "context.parse": (msg) => direct("POST", "/v1/context/parse", { map_id: msg.mapId, fragments: msg.fragments }),
    "encounter.create": (msg) => direct("POST", "/v1/encounters", msg.body),
    "encounter.get": (msg) => direct("GET", `/v1/encounters/${id(msg.encounterId)}`),
    "encounter.transcript": (msg) => transcriptAppend(msg),
    "encounter.draft": (msg) => draftAfterOutbox(msg),
    "encounter.audio": (msg) => audioUpload(msg),
    "companion.capabilities": () => direct("GET", "/v1/capabilities"),
    "encounter.revise": (msg) => direct("POST", `/v1/encounters/${id(msg.encounterId)}/revisions`, msg.body),
    "encounter.approve": (msg) => queued("approve", "POST", `/v1/encounters/${id(msg.encounterId)}/approve`, msg.body, msg.body.idempotency_key, { encounterId: msg.encounterId }),
    "encounter.writeback": (msg) => queued("writeback", "POST", `/v1/encounters/${id(msg.encounterId)}/writeback`, msg.body, msg.body.idempotency_key, { encounterId: msg.encounterId }),
    "consent.status": () => direct("GET", "/v1/consent"),
    "encounter.consent": (msg) => direct("POST", `/v1/encounters/${id(msg.encounterId)}/consent`, msg.body),
    "drift.report": (msg) => queued("drift", "POST", "/v1/drift", msg.body),

    "admin.map.get": async (msg) => { await requireAdmin(); return direct("GET", `/v1/maps/${id(msg.mapId)}`); },
    "admin.map.versions": async (msg) => { await requireAdmin(); return direct("GET", `/v1/admin/maps/${id(msg.mapId)}/versions`); },
    "admin.map.install": async (msg) => { await requireAdmin(); const res = await direct("POST", "/v1/admin/maps", { map: msg.map }); if (res.ok) await bg.refreshMaps({ force: true }); return res; },
    "admin.picker.start": async (msg, sender) => { await requireAdmin(); await bg.startPicker(msg.tabId || sender.tab.id); return { ok: true }; },

    "outbox.flush": async () => ({ ok: true, data: await bg.flush() }),
    "outbox.list": async () => ({ ok: true, data: (await bg.readOutbox()).map(({ key, kind, queuedAt }) => ({ key, kind, queuedAt })) }),
  };

  /** Answer one message; unknown types and foreign senders get an error, never an exception. */
  async function handleMessage(msg, sender) {
    if (!sender || sender.id !== chrome.runtime.id) return { ok: false, error: { code: "forbidden", title: "Unknown sender" } };
    const handler = msg && HANDLERS[msg.type];
    if (!handler) return { ok: false, error: { code: "unknown_message", title: `Unknown message ${msg && msg.type}` } };
    try {
      return await handler(msg, sender);
    } catch (err) {
      return { ok: false, error: { code: err.code || "extension_error", title: err.message || String(err) } };
    }
  }

  Object.assign(bg, { handleMessage, HANDLERS });
})();
