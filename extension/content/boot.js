/* The only declared content script: says hello to the background and nothing else, so a PIMS page pays
   well under a millisecond at load. The background matches the page against the selector maps and injects
   the rest only when one matches (see background/inject.js). */
if (!globalThis.__vetscribeBooted) {
  globalThis.__vetscribeBooted = true;
  chrome.runtime.sendMessage({ type: "page.hello" }).catch(() => null);
}
