/* Extension settings and small persisted state, all in chrome.storage.local (never sync: the token and
   unsent clinical work must not leave this machine). */
globalThis.VetScribeBg = globalThis.VetScribeBg || {};

(() => {
  const DEFAULT_COMPANION_URL = "http://127.0.0.1:8765";
  const KEYS = { settings: "settings", testMode: "testMode" };

  /** Return {companionUrl, token, role, tokenId, pairedAt} with defaults filled in. */
  async function getSettings() {
    const stored = (await chrome.storage.local.get(KEYS.settings))[KEYS.settings] || {};
    return { companionUrl: DEFAULT_COMPANION_URL, token: null, role: null, tokenId: null, ...stored };
  }

  /** Merge a patch into the stored settings and return the result. */
  async function updateSettings(patch) {
    const next = { ...(await getSettings()), ...patch };
    await chrome.storage.local.set({ [KEYS.settings]: next });
    return next;
  }

  /** Accept only a loopback http(s) URL for the companion: the companion never lives elsewhere. */
  function normaliseCompanionUrl(raw) {
    let url;
    try {
      url = new URL(String(raw || "").trim());
    } catch {
      throw new Error("The companion URL is not a valid URL.");
    }
    if (!["http:", "https:"].includes(url.protocol)) throw new Error("The companion URL must start with http://");
    if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) {
      throw new Error("The companion runs on this computer: use 127.0.0.1 or localhost.");
    }
    return url.origin;
  }

  /** True when a test switched on the panel test hook (see extension/content/DESIGN.md). */
  async function isTestMode() {
    return (await chrome.storage.local.get(KEYS.testMode))[KEYS.testMode] === true;
  }

  Object.assign(globalThis.VetScribeBg, {
    DEFAULT_COMPANION_URL, getSettings, updateSettings, normaliseCompanionUrl, isTestMode,
  });
})();
