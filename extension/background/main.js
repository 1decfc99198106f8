/* Background wiring: the message listener, alarms, start-up work, and broadcasts to the PIMS tabs. */
globalThis.VetScribeBg = globalThis.VetScribeBg || {};

(() => {
  const bg = globalThis.VetScribeBg;

  /** Tell every tab's content script something (tabs without our script just ignore it). */
  async function broadcast(message) {
    const tabs = await chrome.tabs.query({});
    await Promise.all(tabs.map((tab) => chrome.tabs.sendMessage(tab.id, message).catch(() => null)));
  }

  /** Test hook transport: a test (via the service worker) drives the panel in one tab. See content/DESIGN.md. */
  async function testPanel(tabId, op) {
    if (!(await bg.isTestMode())) throw new Error("testMode is off");
    return chrome.tabs.sendMessage(tabId, { type: "test.panel", op }).catch((err) => ({ ok: false, error: String(err && err.message) }));
  }

  async function startUp() {
    await bg.refreshMaps({ force: true }).catch(() => null);
    await bg.flush().catch(() => null);
  }

  chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    bg.handleMessage(msg, sender).then(sendResponse);
    return true; // answer asynchronously
  });

  chrome.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === "outbox-retry") bg.flush();
    if (alarm.name === "maps-refresh") bg.refreshMaps().catch(() => null);
  });

  bg.onReachabilityChange((reachable) => {
    broadcast({ type: "companion.reachability", reachable });
    if (reachable) bg.flush();
  });

  chrome.runtime.onStartup.addListener(startUp);
  chrome.runtime.onInstalled.addListener(() => {
    chrome.alarms.create("maps-refresh", { periodInMinutes: 1 });
    startUp();
  });
  chrome.permissions.onAdded.addListener(() => bg.readMapsCache().then(bg.syncDynamicContentScripts));

  // Every service-worker wake (browser start, or after being idle): send anything left from before.
  bg.flush().catch(() => null);

  Object.assign(bg, { broadcast, test: { panel: testPanel } });
})();
