/* Selector-map cache: the active map versions from GET /v1/maps, kept in storage.local so pages still match
   while the companion is down, and refreshed often enough that a newly installed map version is used on the
   next page load without reinstalling the extension. Also turns map host globs into permission patterns. */
globalThis.VetScribeBg = globalThis.VetScribeBg || {};

(() => {
  const bg = globalThis.VetScribeBg;
  const KEY = "mapsCache";
  const FRESH_MS = 5000;
  // The same three content scripts the manifest declares for the shipped hosts (keep in step with manifest.json).
  const DYNAMIC_SCRIPTS = [
    { id: "vetscribe-fill-bridge", js: ["fill/util.js", "fill/bridge.js"], runAt: "document_start" },
    { id: "vetscribe-page-bridge", js: ["page/editor-bridge.js"], runAt: "document_start", world: "MAIN" },
    { id: "vetscribe-boot", js: ["content/boot.js"], runAt: "document_idle" },
  ];
  // Hosts the manifest already grants; anything else needs an optional permission granted at runtime.
  const SHIPPED_PATTERNS = ["*://*.ezyvet.com/*", "*://*.shepherd.vet/*", "*://*.covetrus.com/*"];
  let refreshing = null;

  async function readCache() {
    return (await chrome.storage.local.get(KEY))[KEY] || { fetchedAt: 0, maps: {} };
  }

  async function refreshNow() {
    const list = await bg.api("GET", "/v1/maps", { timeoutMs: 3000 });
    if (!list.ok) return { ok: false, error: list.error, cache: await readCache() };
    const cache = await readCache();
    const next = {};
    for (const item of list.data.items || []) {
      if (item.active === false) continue;
      const cached = cache.maps[item.id];
      if (cached && cached.version === item.version) {
        next[item.id] = cached;
        continue;
      }
      const full = await bg.api("GET", `/v1/maps/${encodeURIComponent(item.id)}`, { timeoutMs: 5000 });
      if (full.ok) next[item.id] = { version: item.version, display_name: item.display_name, map: full.data };
      else if (cached) next[item.id] = cached; // keep the old version rather than lose the PIMS entirely
    }
    const fresh = { fetchedAt: Date.now(), maps: next };
    await chrome.storage.local.set({ [KEY]: fresh });
    await syncDynamicContentScripts(fresh);
    return { ok: true, cache: fresh };
  }

  /** Refresh from the companion (shared between concurrent callers); falls back to the cache offline. */
  async function refresh({ force = false } = {}) {
    const cache = await readCache();
    if (!force && Date.now() - cache.fetchedAt < FRESH_MS) return { ok: true, cache };
    if (!refreshing) refreshing = refreshNow().finally(() => { refreshing = null; });
    return refreshing;
  }

  /** Active maps as [{id, version, map}] (from cache if the companion is unreachable). */
  async function activeMaps(options) {
    const { cache } = await refresh(options);
    return Object.entries(cache.maps).map(([id, entry]) => ({ id, version: entry.version, map: entry.map }));
  }

  /** Host globs a map declares (e.g. "*.ezyvet.com"); tolerant of the schema spelling. */
  function hostGlobsOf(map) {
    const match = (map && map.match) || {};
    const hosts = match.hosts || match.host || [];
    return (Array.isArray(hosts) ? hosts : [hosts]).filter((h) => typeof h === "string" && h);
  }

  /** Turn a host glob into a WebExtension match pattern, or null when it cannot be one. */
  function hostGlobToPattern(glob) {
    const host = glob.trim().toLowerCase().replace(/:\d+$/, "");
    if (/^(\*\.)?[a-z0-9.-]+$/.test(host) && !host.slice(2).includes("*")) return `*://${host}/*`;
    return null;
  }

  /** Match patterns a map needs that the manifest does not already grant. */
  function extraPatternsOf(map) {
    return hostGlobsOf(map).map(hostGlobToPattern).filter((p) => p && !SHIPPED_PATTERNS.includes(p));
  }

  /** Register the boot script for admin-installed map hosts whose permission the user granted. */
  async function syncDynamicContentScripts(cache) {
    if (!chrome.scripting || !chrome.scripting.registerContentScripts) return;
    const wanted = [...new Set(Object.values(cache.maps).flatMap((entry) => extraPatternsOf(entry.map)))];
    const granted = [];
    for (const pattern of wanted) {
      if (await chrome.permissions.contains({ origins: [pattern] })) granted.push(pattern);
    }
    const ids = DYNAMIC_SCRIPTS.map((s) => s.id);
    const existing = await chrome.scripting.getRegisteredContentScripts({ ids });
    if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: existing.map((s) => s.id) });
    if (!granted.length) return;
    await chrome.scripting.registerContentScripts(DYNAMIC_SCRIPTS.map((s) => ({ ...s, matches: granted, persistAcrossSessions: true })));
  }

  /** Per map: which extra host patterns it needs and whether each is granted (for the options page). */
  async function permissionStatus() {
    const { cache } = await refresh({ force: true });
    const rows = [];
    for (const [id, entry] of Object.entries(cache.maps)) {
      for (const pattern of extraPatternsOf(entry.map)) {
        rows.push({ mapId: id, pattern, granted: await chrome.permissions.contains({ origins: [pattern] }) });
      }
    }
    return rows;
  }

  Object.assign(bg, { refreshMaps: refresh, activeMaps, hostGlobsOf, hostGlobToPattern, extraPatternsOf, permissionStatus, syncDynamicContentScripts, readMapsCache: readCache });
})();
