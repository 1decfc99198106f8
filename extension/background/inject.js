/* What runs in a PIMS tab and when. Only content/boot.js is declared in the manifest (a few lines, so page
   load costs almost nothing); the resolver and matcher are injected once the page has finished loading, and
   the fill engine, orchestration and panel only after a selector map matches the page. Order matters in each
   list: later files use the namespaces earlier ones attach to `VetScribe`. */
globalThis.VetScribeBg = globalThis.VetScribeBg || {};

(() => {
  const bg = globalThis.VetScribeBg;
  // The resolver's ordered list lives in resolve/files.json (owned by the selector-map tooling, also read by
  // `vetscribe selectors check`); the matcher comes after it.
  const MATCH_SHELL_FILES = ["content/match.js"];
  // order matters
  // This shell's files; the fill engine's ordered list (fill/files.json, owned by the fill engine) goes first.
  const SHELL_FILES = [
    "content/dom.js",
    "panel/style.js",
    "panel/render.js",
    "panel/panel.js",
    "content/session.js",
    "content/dictation.js",
    "content/fillflow.js",
    "content/watch.js",
    "content/testhook.js",
    "content/app.js",
  ];
  let appFiles = null;
  let matchFiles = null;

  /** An area's ordered file list (`<dir>/files.json`), only paths inside that folder; `fallback` if unreadable. */
  async function listedFiles(dir, fallback) {
    try {
      const listed = await (await fetch(chrome.runtime.getURL(`${dir}/files.json`))).json();
      const pattern = new RegExp(`^${dir}/[\\w.-]+(/[\\w.-]+)*\\.js$`);
      return listed.filter((f) => typeof f === "string" && pattern.test(f) && !f.includes(".."));
    } catch (err) {
      console.warn(`VetScribe: ${dir}/files.json unreadable; loading ${fallback.join(", ")} only`, err && err.message);
      return fallback;
    }
  }

  /** Resolver files (its own ordered list) followed by the matcher. */
  async function matchFileList() {
    if (!matchFiles) matchFiles = [...(await listedFiles("resolve", ["resolve/resolver.js"])), ...MATCH_SHELL_FILES];
    return matchFiles;
  }

  /** Fill engine files (its own ordered list) followed by the shell's. */
  async function appFileList() {
    if (!appFiles) appFiles = [...(await listedFiles("fill", ["fill/index.js"])), ...SHELL_FILES];
    return appFiles;
  }
  // the resolver's list already holds propose.js, the picker's locator proposals
  const PICKER_FILES = ["content/dom.js", "admin/picker.js"];
  const existing = new Map();

  /** Keep only files present in this build (areas land independently; a missing file is logged once). */
  async function present(files) {
    const out = [];
    for (const file of files) {
      if (!existing.has(file)) {
        let ok = false;
        try {
          ok = (await fetch(chrome.runtime.getURL(file), { method: "HEAD" })).ok;
        } catch { ok = false; }
        existing.set(file, ok);
        if (!ok) console.warn(`VetScribe: ${file} is not in this build`);
      }
      if (existing.get(file)) out.push(file);
    }
    return out;
  }

  async function inject(target, files) {
    const list = await present(files);
    if (list.length) await chrome.scripting.executeScript({ target, files: list });
  }

  async function call(target, func, args) {
    const [first] = await chrome.scripting.executeScript({ target, func, args });
    return first ? first.result : undefined;
  }

  /** A page said hello: match it against the active maps and, if one matches, start the app in it. */
  async function onPageHello(sender) {
    const target = { tabId: sender.tab.id, frameIds: [sender.frameId || 0] };
    // always ask the companion for the active versions (one loopback GET; full maps only when a version changed)
    const maps = await bg.activeMaps({ force: true });
    if (!maps.length) return { matched: false, reason: "no_maps" };
    await inject(target, await matchFileList());
    const mapId = await call(target, (entries) => globalThis.VetScribe.content.matchLocation(entries), [maps.map(({ id, map }) => ({ id, map }))]);
    if (!mapId) return { matched: false, reason: "no_match" };
    const entry = maps.find((m) => m.id === mapId);
    await inject(target, await appFileList());
    await call(target, (e, settings) => globalThis.VetScribe.content.start(e, settings), [entry, await appSettings()]);
    return { matched: true, mapId, version: entry.version };
  }

  async function appSettings() {
    const settings = await bg.getSettings();
    return { role: settings.role, testMode: await bg.isTestMode() };
  }

  /** Start the admin picker in a tab (admin role only; checked by the caller). */
  async function startPicker(tabId) {
    const target = { tabId, frameIds: [0] };
    await inject(target, await matchFileList());
    await inject(target, PICKER_FILES);
    const maps = await bg.activeMaps();
    await call(target, (entries) => globalThis.VetScribe.picker.start(entries), [maps]);
  }

  Object.assign(bg, { onPageHello, startPicker, matchFileList, appFileList });
})();
