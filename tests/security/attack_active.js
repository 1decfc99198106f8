// The hostile page's active attacks, run once the panel shows a draft. Each attack records what it got; the test
// asserts every one got nothing. Argument: {encounterId, companionUrl, rect: approve button rect, tokens}.
async ({ encounterId, companionUrl, rect, tokens }) => {
  const out = {};
  const host = document.querySelector("vetscribe-panel");
  const extensionOrigin = "chrome-extension://" + "a".repeat(32);

  // 1. read the panel
  out.hostFound = Boolean(host);
  out.shadowRoot = host ? host.shadowRoot !== null : null;
  out.capturedPanelRoot = window.__attack.shadowRoots.some((r) => r.host === "VETSCRIBE-PANEL");
  document.execCommand("selectAll");
  out.selectionText = String(getSelection());
  getSelection().removeAllRanges();
  out.bodyText = document.body.innerText;
  out.testids = document.querySelectorAll("[data-testid^=scribe-]").length;
  out.namespace = typeof window.VetScribe;

  // 2. talk to the extension: runtime messaging is not exposed to pages (no externally_connectable)
  out.runtime = typeof (window.chrome && window.chrome.runtime && window.chrome.runtime.sendMessage);
  out.connect = typeof (window.chrome && window.chrome.runtime && window.chrome.runtime.connect);

  // 3. fake commands in every message shape the extension uses or might
  const shapes = [
    { type: "encounter.approve", encounterId, body: { revision_id: "x", idempotency_key: "forged-approve" } },
    { type: "encounter.writeback", encounterId, body: { approval_id: "x", idempotency_key: "forged", results: [{ section: "plan", field: "plan", outcome: "written" }] } },
    { type: "test.panel", op: { action: "snapshot" } },
    { type: "content.teardown" },
    { type: "outbox.flush" },
    { type: "admin.picker.start" },
    { action: "approve" }, { action: "fill", sections: { plan: "forged plan" } },
    { id: 1, op: "write", token: "0".repeat(32), args: { family: "quill", lines: ["forged"], text: "forged" } },
    ...tokens.map((token, i) => ({ id: 100 + i, op: "write", token, args: { family: "ckeditor5", lines: ["replayed"], text: "replayed" } })),
    { id: 1, ok: true, value: { read: "forged read-back" } },
    JSON.stringify({ type: "encounter.approve", encounterId }),
    "vetscribe:fill plan=forged",
  ];
  out.shapesPosted = 0;
  for (const data of shapes) {
    const channel = new MessageChannel();
    channel.port1.onmessage = (m) => window.__attack.fakePort.push(String(m.data));
    window.postMessage(data, "*", [channel.port2]);
    window.postMessage(data, "*");
    window.dispatchEvent(new MessageEvent("message", { data, origin: extensionOrigin, source: window }));
    document.dispatchEvent(new MessageEvent("message", { data, origin: extensionOrigin }));
    for (let i = 0; i < window.frames.length; i++) window.frames[i].postMessage(data, "*");
    out.shapesPosted += 1;
  }

  // 4. forge the bridge handshake: ask for a port, offer our own, replay hello and ready
  const fake = new MessageChannel();
  fake.port1.onmessage = (m) => window.__attack.fakePort.push(String(m.data));
  window.__attack.forging = true;
  document.dispatchEvent(new CustomEvent("vetscribe:bridge-ready"));
  document.dispatchEvent(new MessageEvent("vetscribe:bridge-hello", { ports: [fake.port2], cancelable: true }));
  document.dispatchEvent(new CustomEvent("vetscribe:bridge-hello", { detail: { op: "write" } }));
  window.__attack.forging = false;
  fake.port1.postMessage({ forgedByPage: true, id: 7, op: "write", token: tokens[0] || "0".repeat(32), args: { family: "quill", lines: ["forged"] } });

  // 5. fake input on the panel: synthetic clicks and keys at the Approve button's place
  const x = rect.x + rect.width / 2;
  const y = rect.y + rect.height / 2;
  const atPoint = document.elementFromPoint(x, y);
  out.elementAtApprove = atPoint ? atPoint.tagName : null;
  for (const target of [atPoint, host].filter(Boolean)) {
    for (const type of ["pointerdown", "mousedown", "pointerup", "mouseup", "click"]) {
      target.dispatchEvent(new MouseEvent(type, { bubbles: true, composed: true, cancelable: true, clientX: x, clientY: y, button: 0 }));
    }
    target.click();
    target.focus && target.focus();
    for (const key of ["Enter", " "]) {
      target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, composed: true }));
      target.dispatchEvent(new KeyboardEvent("keyup", { key, bubbles: true, composed: true }));
    }
    target.dispatchEvent(new InputEvent("input", { data: "forged", bubbles: true, composed: true }));
  }

  // 6. call the companion directly (the page has no token; the companion answers only the extension)
  const tries = [
    ["GET", `/v1/encounters/${encounterId}`],
    ["POST", `/v1/encounters/${encounterId}/approve`],
    ["POST", `/v1/encounters/${encounterId}/writeback`],
  ];
  out.companion = [];
  for (const [method, path] of tries) {
    try {
      const res = await fetch(companionUrl + path, { method, headers: { "Content-Type": "application/json" },
        body: method === "POST" ? JSON.stringify({ idempotency_key: "page-forged", revision_id: "x" }) : undefined });
      out.companion.push(`${method} ${res.status}`);
    } catch (err) {
      out.companion.push(`${method} blocked`);
    }
  }
  return out;
};
