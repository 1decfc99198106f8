/* Matches this page's location against the active selector maps through the one resolver, and watches
   single-page navigation so a page that starts on an unmatched path is matched when it reaches a matched one. */
globalThis.VetScribe = globalThis.VetScribe || {};
VetScribe.content = VetScribe.content || {};

(() => {
  let watching = false;

  /** Id of the first map whose match rules accept this location, or null (then keep watching the URL). */
  function matchLocation(entries) {
    for (const { id, map } of entries) {
      try {
        if (VetScribe.resolver.matchesLocation(map, window.location)) return id;
      } catch (err) {
        console.warn("VetScribe: map could not be matched", id, err && err.message);
      }
    }
    watchForUrlChange();
    return null;
  }

  /** Say hello again once the URL changes (SPA navigation); stops after the first change. */
  function watchForUrlChange() {
    if (watching || VetScribe.content.started) return;
    watching = true;
    const startUrl = location.href;
    const check = () => {
      if (location.href === startUrl) return;
      stop();
      chrome.runtime.sendMessage({ type: "page.hello" }).catch(() => null);
    };
    const timer = setInterval(check, 1000);
    const nav = globalThis.navigation;
    if (nav && nav.addEventListener) nav.addEventListener("navigatesuccess", check);
    window.addEventListener("popstate", check);
    function stop() {
      watching = false;
      clearInterval(timer);
      if (nav && nav.removeEventListener) nav.removeEventListener("navigatesuccess", check);
      window.removeEventListener("popstate", check);
    }
  }

  VetScribe.content.matchLocation = matchLocation;
})();
