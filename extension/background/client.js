/* The companion HTTP client (docs/api.md): one place that adds the token, applies timeouts and turns every
   answer into {ok, status, data} or {ok:false, offline?, error:{code,title,detail}}. */
globalThis.VetScribeBg = globalThis.VetScribeBg || {};

(() => {
  const bg = globalThis.VetScribeBg;
  const DEFAULT_TIMEOUT_MS = 10000;
  // Statuses that mean "try again later", not "this request is wrong".
  const RETRYABLE_STATUS = new Set([502, 503, 504]);
  const statusListeners = new Set();
  let lastReachable = null;

  function noteReachable(reachable) {
    if (reachable === lastReachable) return;
    lastReachable = reachable;
    for (const listener of statusListeners) listener(reachable);
  }

  async function parseBody(response) {
    if (response.status === 204) return null;
    const text = await response.text();
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch {
      return { detail: text.slice(0, 200) };
    }
  }

  /**
   * Call the companion; never throws. `auth:false` for health and pairing; `raw: {bytes, contentType}` sends a
   * non-JSON body (a dictation recording) instead of `body`.
   */
  async function api(method, path, { body, raw, auth = true, timeoutMs = DEFAULT_TIMEOUT_MS, baseUrl } = {}) {
    const settings = await bg.getSettings();
    const headers = { Accept: "application/json" };
    if (raw) headers["Content-Type"] = raw.contentType;
    else if (body !== undefined) headers["Content-Type"] = "application/json";
    if (auth) {
      if (!settings.token) {
        return { ok: false, status: 0, error: { code: "not_paired", title: "Not paired with the companion", detail: "Open the extension options and pair with the code from `vetscribe pair`." } };
      }
      headers.Authorization = `Bearer ${settings.token}`;
    }
    const url = (baseUrl || settings.companionUrl) + path;
    let response;
    try {
      response = await fetch(url, {
        method, headers, body: raw ? raw.bytes : body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs), cache: "no-store", credentials: "omit",
      });
    } catch (err) {
      noteReachable(false);
      const timedOut = err && err.name === "TimeoutError";
      return { ok: false, status: 0, offline: true, error: { code: timedOut ? "timeout" : "unreachable", title: timedOut ? "The companion did not answer in time" : "The companion is not reachable", detail: `Is \`vetscribe serve\` running at ${settings.companionUrl}?` } };
    }
    noteReachable(true);
    const data = await parseBody(response);
    if (response.ok) return { ok: true, status: response.status, data };
    const problem = data && typeof data === "object" ? data : {};
    return {
      ok: false, status: response.status, retryable: RETRYABLE_STATUS.has(response.status),
      error: { code: problem.code || `http_${response.status}`, title: problem.title || response.statusText, detail: problem.detail || "", errors: problem.errors },
    };
  }

  /** Health plus identity, for the options page and the panel's status line. */
  async function companionStatus() {
    const settings = await bg.getSettings();
    const health = await api("GET", "/v1/health", { auth: false, timeoutMs: 3000 });
    const status = { url: settings.companionUrl, reachable: health.ok, paired: Boolean(settings.token), role: settings.role, version: health.ok ? health.data.version : null, error: health.ok ? null : health.error };
    if (health.ok && settings.token) {
      const who = await api("GET", "/v1/whoami", { timeoutMs: 3000 });
      status.tokenValid = who.ok;
      if (who.ok) {
        status.role = who.data.role;
        if (who.data.role !== settings.role) await bg.updateSettings({ role: who.data.role });
      } else {
        status.error = who.error;
      }
    }
    return status;
  }

  /** Exchange a pairing code for a token; the token goes to storage.local only. */
  async function pair(companionUrl, code) {
    const origin = bg.normaliseCompanionUrl(companionUrl);
    const trimmed = String(code || "").trim();
    if (!trimmed) throw new Error("Enter the pairing code printed by `vetscribe pair`.");
    const res = await api("POST", "/v1/pair", { body: { code: trimmed }, auth: false, baseUrl: origin });
    if (!res.ok) return res;
    await bg.updateSettings({ companionUrl: origin, token: res.data.token, role: res.data.role, tokenId: res.data.token_id || null, pairedAt: new Date().toISOString() });
    return { ok: true, data: { role: res.data.role } };
  }

  Object.assign(bg, {
    api, companionStatus, pair,
    onReachabilityChange: (listener) => statusListeners.add(listener),
  });
})();
