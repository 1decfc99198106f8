/* The panel's stylesheet, adopted into its shadow root (constructable stylesheet: no <style> element, so a
   strict page CSP does not block it and the PIMS's CSS cannot reach in). */
globalThis.VetScribe = globalThis.VetScribe || {};

VetScribe.panelCss = `
:host { all: initial; }
.panel { position: fixed; z-index: 2147483646; top: 16px; right: 16px; width: 380px; max-height: calc(100vh - 32px);
  display: flex; flex-direction: column; background: #fff; color: #1b1f23; border: 1px solid #8a939c; border-radius: 8px;
  box-shadow: 0 6px 24px rgba(0,0,0,.25); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.panel.collapsed { max-height: none; width: auto; }
.panel.collapsed .body { display: none; }
header { display: flex; align-items: center; gap: 6px; padding: 6px 8px; background: #1d4e89; color: #fff; border-radius: 7px 7px 0 0; }
header h2 { flex: 1; margin: 0; font-size: 15px; font-weight: 600; }
header button { background: transparent; color: #fff; border: 1px solid rgba(255,255,255,.6); }
.handle { cursor: move; }
.body { overflow: auto; padding: 8px 10px 10px; display: flex; flex-direction: column; gap: 10px; }
section { border-top: 1px solid #d8dde2; padding-top: 6px; }
h3 { margin: 0 0 4px; font-size: 13px; text-transform: uppercase; letter-spacing: .03em; color: #44505c; }
button { font: inherit; padding: 4px 10px; border-radius: 5px; border: 1px solid #1d4e89; background: #fff; color: #1d4e89; cursor: pointer; }
button.primary { background: #1d4e89; color: #fff; }
button:disabled { opacity: .5; cursor: default; }
button:focus-visible, textarea:focus-visible, input:focus-visible { outline: 3px solid #f2a900; outline-offset: 1px; }
textarea { width: 100%; box-sizing: border-box; font: inherit; min-height: 64px; resize: vertical; border: 1px solid #8a939c; border-radius: 4px; padding: 4px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 8px; margin: 0; }
dt { color: #44505c; } dd { margin: 0; }
.warn { color: #8a4b00; }
.status { padding: 4px 6px; border-radius: 4px; background: #eef3f8; }
.status.error { background: #fdecea; color: #8b1a10; }
.status.ok { background: #e7f5ea; color: #1e5e2f; }
.flags li.critical { color: #8b1a10; font-weight: 600; }
.flags li.warning { color: #8a4b00; font-weight: 600; }
.result { font-size: 13px; }
.result.bad { color: #8b1a10; }
.sentences span { cursor: help; border-bottom: 1px dotted #8a939c; }
.sentences span:hover, .sentences span:focus { background: #fff3c4; }
.provenance { white-space: pre-wrap; max-height: 120px; overflow: auto; font-size: 13px; background: #f6f8fa; padding: 4px; }
mark { background: #ffe066; }
.row { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
[hidden] { display: none !important; }
`;
