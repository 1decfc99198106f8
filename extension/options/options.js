/* Options page: companion URL, pairing (code → token kept by the background in storage.local), connection
   status and role, unsent work, and runtime permission for admin-installed maps' sites. All text via textContent. */
(() => {
  const $ = (id) => document.getElementById(id);
  const send = (type, payload = {}) => chrome.runtime.sendMessage({ type, ...payload });

  function say(node, text, tone) {
    node.textContent = text;
    node.className = tone || "";
  }

  function problemText(res) {
    const e = (res && res.error) || {};
    return [e.title, e.detail].filter(Boolean).join(" — ") || "Unknown error";
  }

  async function refreshStatus() {
    const status = await send("companion.status");
    if (!$("companion-url").value) $("companion-url").value = status.url;
    if (!status.reachable) say($("status"), `Not reachable at ${status.url}: ${problemText({ error: status.error })}`, "error");
    else if (!status.paired) say($("status"), `Reachable at ${status.url}; not paired yet.`, "error");
    else if (status.tokenValid === false) say($("status"), `Reachable, but the token was refused: ${problemText({ error: status.error })}. Pair again.`, "error");
    else say($("status"), `Connected to ${status.url}`, "ok");
    say($("role"), status.paired ? status.role || "—" : "—");
    say($("version"), status.version || "—");
    const outbox = await send("outbox.list");
    say($("outbox"), outbox.ok ? (outbox.data.length ? `${outbox.data.length} item(s) waiting for the companion` : "none") : "—");
    await refreshPermissions();
  }

  async function refreshPermissions() {
    const res = await send("permissions.status");
    const list = $("permissions");
    list.replaceChildren();
    const rows = res.ok ? res.data : [];
    if (!rows.length) {
      list.append(Object.assign(document.createElement("li"), { textContent: "No extra sites needed." }));
      return;
    }
    for (const row of rows) {
      const li = document.createElement("li");
      li.textContent = `${row.mapId}: ${row.pattern} — ${row.granted ? "allowed" : "not allowed"} `;
      if (!row.granted) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = "Allow";
        button.dataset.testid = `options-grant-${row.mapId}`;
        button.addEventListener("click", async () => {
          // must run inside the click: the browser only shows the prompt for a user gesture
          const granted = await chrome.permissions.request({ origins: [row.pattern] });
          if (granted) await send("permissions.changed");
          refreshPermissions();
        });
        li.append(button);
      }
      list.append(li);
    }
  }

  $("pair-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    say($("pair-result"), "Pairing…");
    const res = await send("companion.pair", { url: $("companion-url").value, code: $("pair-code").value });
    if (res && res.ok) {
      $("pair-code").value = "";
      say($("pair-result"), `Paired as ${res.data.role}.`, "ok");
      await send("maps.refresh", { force: true });
    } else {
      say($("pair-result"), `Pairing failed: ${problemText(res)}`, "error");
    }
    refreshStatus();
  });

  $("save-url").addEventListener("click", async () => {
    const res = await send("companion.setUrl", { url: $("companion-url").value });
    say($("pair-result"), res.ok ? "Saved." : `Not saved: ${problemText(res)}`, res.ok ? "ok" : "error");
    refreshStatus();
  });
  $("check").addEventListener("click", refreshStatus);
  $("unpair").addEventListener("click", async () => {
    await send("companion.unpair");
    say($("pair-result"), "Token removed from this browser.");
    refreshStatus();
  });

  refreshStatus();
})();
