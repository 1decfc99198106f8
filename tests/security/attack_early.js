// A hostile PIMS page script that runs while the page is parsed (after the extension's document_start scripts,
// before the app and before the panel mounts): it wraps every primitive it can to catch the panel's shadow root
// and the fill bridge's traffic, and watches for the bridge's handshake events and target tokens.
(() => {
  const log = (window.__attack = { shadowRoots: [], bridgeEvents: [], traffic: [], tokens: [], fakePort: [] });
  const looksLikeBridge = (data) => {
    if (!data || typeof data !== "object") return typeof data === "string" && /vetscribe|vs-fill/i.test(data);
    if (data.forgedByPage) return false; // the attacker's own messages
    return ["op", "token", "family", "lines"].some((k) => k in data) || ("ok" in data && "id" in data);
  };

  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, { ...init, mode: "open" }); // force every shadow root open, and keep it
    log.shadowRoots.push({ host: this.tagName, root });
    return root;
  };

  const portPost = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (data, ...rest) {
    if (looksLikeBridge(data)) log.traffic.push(["port.postMessage", JSON.stringify(data).slice(0, 200)]);
    return portPost.call(this, data, ...rest);
  };
  const dataGetter = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "data").get;
  Object.defineProperty(MessageEvent.prototype, "data", {
    configurable: true,
    get() {
      const data = dataGetter.call(this);
      if (looksLikeBridge(data)) log.traffic.push(["MessageEvent.data", JSON.stringify(data).slice(0, 200)]);
      return data;
    },
  });
  const portsGetter = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "ports").get;
  for (const type of ["vetscribe:bridge-hello", "vetscribe:bridge-ready"]) {
    document.addEventListener(type, (event) => {
      const ports = event instanceof MessageEvent ? portsGetter.call(event) : [];
      log.bridgeEvents.push({ type, ports: ports.length });
      if (log.forging) return; // the page's own forged hello below
      for (const port of ports) port.onmessage = (m) => log.traffic.push(["stolen port", String(dataGetter.call(m))]);
    }, true);
  }

  // target tokens are visible attributes for an instant: note them for a later replay
  new MutationObserver((records) => {
    for (const r of records) {
      const value = r.target.getAttribute && r.target.getAttribute("data-vs-fill-target");
      if (value) log.tokens.push(value);
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-vs-fill-target"] });
})();
