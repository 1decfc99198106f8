// Admin dashboard: fetches /v1/admin/pilot/dashboard with the admin token and draws scorecard, charts and tables.
// All text from the server goes through textContent (never innerHTML). Charts: uPlot (global `uPlot`).
"use strict";

const TOKEN_KEY = "vetscribe.adminToken";
window.__dashboard = { ready: false, loadMs: null, charts: [] };

const $ = (id) => document.getElementById(id);
const pct = (x) => (x == null ? "—" : `${(x * 100).toFixed(1)}%`);
const minutes = (s) => (s == null ? "—" : `${(s / 60).toFixed(1)} min`);
const RULE_TITLES = {
  documentation_time: "Documentation time",
  edit_rate: "Edit rate",
  medication_errors: "Medication errors",
  satisfaction: "Satisfaction",
};
const CATEGORY_TITLES = {
  omission: "Omission", hallucination: "Hallucination", medication_error: "Medication error",
  speaker_misattribution: "Speaker mix-up", other: "Other",
};

function takeToken() {
  // a token passed as #token=... is moved to sessionStorage and removed from the address bar
  const match = location.hash.match(/token=([^&]+)/);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

async function api(path, options = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const headers = { Authorization: `Bearer ${token}`, ...(options.body ? { "Content-Type": "application/json" } : {}) };
  const response = await fetch(path, { ...options, headers });
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : await response.text();
  if (body && body.code === "origin_forbidden") {
    throw new Error("this companion refuses changes sent from a web page; use `vetscribe pilot settings` / `vetscribe purge`");
  }
  if (response.status === 401 || (response.status === 403 && body && body.code === "forbidden")) {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin("That token is not an admin token (or it expired). Pair again and paste the new one.");
    throw new Error("unauthorised");
  }
  if (!response.ok) throw new Error(body.detail || body.title || `HTTP ${response.status}`);
  return body;
}

function showLogin(message) {
  $("login").hidden = false;
  $("dashboard").hidden = true;
  if (message) showError(message);
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = !message;
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text != null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function fillTable(table, headers, rows) {
  table.replaceChildren();
  const head = el("tr");
  headers.forEach((h) => head.append(el("th", h)));
  table.append(head);
  if (!rows.length) {
    const tr = el("tr");
    const td = el("td", "Nothing yet.", "empty");
    td.colSpan = headers.length;
    tr.append(td);
    table.append(tr);
  }
  for (const row of rows) {
    const tr = el("tr");
    row.forEach((cell) => tr.append(el("td", cell == null ? "—" : cell, typeof cell === "number" ? "num" : "")));
    table.append(tr);
  }
}

function renderBanners(data) {
  const card = data.scorecard;
  const stop = card.rules.find((r) => r.level === "stop");
  $("stop-banner").hidden = !stop;
  $("stop-banner").textContent = stop ? `STOP THE PILOT — ${stop.message}` : "";
  const warnings = [];
  if (!data.consent_configured) {
    warnings.push("Consent policy not set: every encounter needs the client's consent until you choose the practice's state under Consent and retention.");
  }
  card.rules.filter((r) => r.level === "warning").forEach((r) => warnings.push(r.message));
  $("warnings").replaceChildren(...warnings.map((w) => el("div", w, "warning-banner")));
}

function renderScorecard(card) {
  $("overall").textContent = `overall: ${card.overall.replace("_", " ")}`;
  $("scorecard").replaceChildren(...card.rules.map((rule) => {
    const box = el("div", null, `card ${rule.level}`);
    box.dataset.rule = rule.rule;
    box.append(el("div", RULE_TITLES[rule.rule] || rule.rule));
    const value = rule.rule === "satisfaction" ? (rule.value == null ? "—" : `${rule.value.toFixed(2)} / 5`) : pct(rule.value);
    box.append(el("div", value, "value"));
    box.append(el("div", rule.message));
    return box;
  }));
}

function chartWidth(node) {
  return Math.max(320, node.clientWidth || 460);
}

function drawChart(id, opts, data) {
  const node = $(id);
  node.replaceChildren();
  if (!data[0].length) {
    node.append(el("div", "No data in this window yet.", "empty"));
    return;
  }
  const chart = new uPlot({ width: chartWidth(node), height: 240, ...opts }, data, node);
  window.__dashboard.charts.push(chart);
}

function dayToTs(day) {
  return Date.parse(`${day}T12:00:00Z`) / 1000;
}

function renderTrends(metrics, settings, thresholds) {
  const days = metrics.daily;
  const xs = days.map((d) => dayToTs(d.day));
  const toMin = (s) => (s == null ? null : s / 60);
  const baseline = metrics.clinic.baseline.seconds;
  drawChart("chart-time", {
    series: [{}, { label: "Panel open → approval", stroke: "#24384f", width: 2 },
      { label: "First transcript → approval", stroke: "#5fae73", width: 2 },
      { label: "Baseline (no scribe)", stroke: "#b00020", dash: [6, 4] }],
    axes: [{}, { label: "minutes" }],
  }, [xs, days.map((d) => toMin(d.mean_doc_time_panel_s)), days.map((d) => toMin(d.mean_doc_time_transcript_s)),
    days.map(() => toMin(baseline))]);
  drawChart("chart-edit", {
    series: [{}, { label: "Edit rate %", stroke: "#24384f", width: 2, points: { show: true } },
      { label: "Excellent", stroke: "#5fae73", dash: [6, 4] }, { label: "Acceptable", stroke: "#e0b100", dash: [6, 4] }],
    axes: [{}, { label: "% of AI text" }],
  }, [xs, days.map((d) => (d.edit_rate == null ? null : d.edit_rate * 100)),
    days.map(() => thresholds.edit_rate_excellent * 100), days.map(() => thresholds.edit_rate_acceptable * 100)]);
}

function barChart(id, labels, series) {
  // grouped bars: with two series the first is drawn left of each tick and the second right of it
  const xs = labels.map((_, i) => i);
  const align = (n) => (series.length === 1 ? 0 : n === 0 ? -1 : 1);
  drawChart(id, {
    scales: { x: { time: false, range: [-0.6, Math.max(labels.length - 0.4, 0.6)] } },
    axes: [{ splits: () => xs, values: (u, splits) => splits.map((i) => labels[i] ?? ""),
      rotate: labels.length > 5 ? -30 : 0, size: labels.length > 5 ? 110 : 50 }, {}],
    series: [{ label: "", value: (u, i) => labels[i] ?? "" }, ...series.map((s, n) => ({
      label: s.label, fill: s.color, stroke: s.color, points: { show: false },
      paths: uPlot.paths.bars({ size: [series.length === 1 ? 0.6 : 0.35, 60], align: align(n) }) }))],
  }, [xs, ...series.map((s) => s.values)]);
}

function renderBars(metrics) {
  const errors = metrics.clinic.errors;
  const categories = Object.keys(errors).filter((c) => c !== "other" || errors[c].notes);
  barChart("chart-errors", categories.map((c) => CATEGORY_TITLES[c] || c), [
    { label: "Notes tagged", color: "#7aa7cc", values: categories.map((c) => errors[c].notes) },
    { label: "Clinically significant", color: "#b00020", values: categories.map((c) => errors[c].significant_notes) },
  ]);
  const failing = metrics.writeback_failures.filter((f) => f.failures > 0).slice(0, 10);
  barChart("chart-failures", failing.map((f) => `${f.field} ${f.map_id || f.pims} v${f.map_version || "?"}`), [
    { label: "Failures", color: "#b00020", values: failing.map((f) => f.failures) },
    { label: "Attempts", color: "#c9d3dd", values: failing.map((f) => f.attempts) },
  ]);
}

function renderTables(data) {
  const m = data.metrics;
  fillTable($("clinicians"), ["Clinician", "AI notes", "Manual notes", "Min/note (panel)", "Min/note (transcript)",
    "Time saved", "Edit rate", "Sig. med. errors", "Satisfaction", "Verdict"],
  Object.entries(m.clinicians).map(([name, g]) => [name, g.ai_notes, g.manual_notes, minutes(g.doc_time_panel.mean_s),
    minutes(g.doc_time_transcript.mean_s), pct(g.time_reduction), pct(g.edit_rate),
    `${g.significant_med_error_notes} (${pct(g.significant_med_error_rate)})`,
    g.satisfaction_mean == null ? "—" : g.satisfaction_mean.toFixed(2), data.clinician_scorecards[name]?.overall]));
  fillTable($("failures"), ["PIMS", "Map", "Version", "Field", "Failures", "Attempts", "Outcomes"],
    m.writeback_failures.map((f) => [f.pims, f.map_id, f.map_version, f.field, f.failures, f.attempts,
      Object.entries(f.outcomes).map(([k, v]) => `${k}: ${v}`).join(", ")]));
  fillTable($("map-health"), ["Map", "Field", "Outcome", "Reports", "Last seen"],
    data.map_health.map((r) => [r.map_id, r.field, r.outcome, r.count, r.last_seen]));
  fillTable($("blind-reviews"), ["Review", "Created", "Rated notes"],
    data.blind_reviews.map((r) => [r.id, r.created_at, r.rated]));
}

async function loadAudit() {
  // separate request: verifying the whole hash chain grows with the log and must not delay the charts
  $("audit-status").textContent = "verifying the chain…";
  $("audit-status").className = "";
  const audit = await api("/v1/admin/pilot/audit?limit=50");
  $("audit-status").textContent = audit.ok ? `chain verified (${audit.rows} rows)` : `CHAIN BROKEN at row ${audit.bad_seq}: ${audit.problem}`;
  $("audit-status").className = audit.ok ? "ok-text" : "bad-text";
  if (!audit.ok) $("warnings").append(el("div", `Audit log check failed: ${audit.problem}`, "warning-banner"));
  fillTable($("audit"), ["#", "When", "Who", "Action", "On", "Details"],
    audit.recent.map((r) => [r.seq, r.at, r.actor, r.action, `${r.entity_type} ${r.entity_id}`, r.details_json]));
}

function renderSettings(data) {
  const s = data.settings;
  const select = $("state");
  if (!select.options.length) {
    select.append(new Option("Other / outside the US (all-party)", "other"));
    for (const [code, row] of Object.entries(data.consent_states)) {
      select.append(new Option(`${row.name} (${code}) — ${row.rule.replace("_", "-")}${row.status === "settled" ? "" : `, ${row.status.replaceAll("_", " ")}`}`, code));
    }
  }
  select.value = s.consent.state;
  $("clinic-rule").value = s.consent.clinic_rule || "";
  $("retention").value = s.retention_days;
  $("auto-purge").checked = s.auto_purge;
  $("baseline").value = s.baseline_seconds == null ? "" : (s.baseline_seconds / 60).toFixed(1);
  $("timezone").value = s.timezone;
  const t = s.thresholds;
  $("med-stop").value = t.med_error_stop * 100;
  $("edit-excellent").value = t.edit_rate_excellent * 100;
  $("edit-acceptable").value = t.edit_rate_acceptable * 100;
  $("time-strong").value = t.time_reduction_strong * 100;
  $("sat-warning").value = t.satisfaction_warning;
  const c = data.consent;
  $("consent-summary").textContent = `${data.consent_configured ? "" : "Not configured yet. "}In force: ` +
    `${c.effective_rule.replace("_", "-")} consent (${c.state}: ${c.state_status.replaceAll("_", " ")}). ` +
    `${c.citation || ""} ${c.note || ""} Not legal advice.`;
}

async function saveSettings(event) {
  event.preventDefault();
  const baseline = $("baseline").value;
  const patch = {
    consent: { state: $("state").value, clinic_rule: $("clinic-rule").value || null },
    retention_days: Number($("retention").value), auto_purge: $("auto-purge").checked,
    timezone: $("timezone").value,
    thresholds: { ...window.__dashboard.data.settings.thresholds, med_error_stop: Number($("med-stop").value) / 100,
      edit_rate_excellent: Number($("edit-excellent").value) / 100,
      edit_rate_acceptable: Number($("edit-acceptable").value) / 100,
      time_reduction_strong: Number($("time-strong").value) / 100, satisfaction_warning: Number($("sat-warning").value) },
    ...(baseline ? { baseline_seconds: Number(baseline) * 60 } : { clear_baseline: true }),
  };
  try {
    await api("/v1/admin/pilot/settings", { method: "POST", body: JSON.stringify(patch) });
    $("settings-status").textContent = "Saved.";
    await load();
  } catch (error) {
    $("settings-status").textContent = `Not saved: ${error.message}`;
  }
}

async function purgeNow() {
  try {
    const result = await api("/v1/admin/pilot/purge", { method: "POST", body: "{}" });
    $("settings-status").textContent = `Purged ${result.segments} transcript segments from ${result.encounters} encounters.`;
    await load();
  } catch (error) {
    $("settings-status").textContent = `Purge failed: ${error.message}`;
  }
}

function windowQuery() {
  const params = new URLSearchParams();
  if ($("from").value) params.set("from", $("from").value);
  if ($("to").value) params.set("to", $("to").value);
  const query = params.toString();
  return query ? `?${query}` : "";
}

async function load() {
  const data = await api(`/v1/admin/pilot/dashboard${windowQuery()}`);
  window.__dashboard.data = data;
  window.__dashboard.charts.forEach((c) => c.destroy());
  window.__dashboard.charts = [];
  $("login").hidden = true;
  $("dashboard").hidden = false;
  showError("");
  renderBanners(data);
  renderScorecard(data.scorecard);
  renderTrends(data.metrics, data.settings, data.settings.thresholds);
  renderBars(data.metrics);
  renderTables(data);
  renderSettings(data);
}

async function open() {
  if (!takeToken()) {
    showLogin();
    return;
  }
  try {
    await load();
    window.__dashboard.loadMs = performance.now();  // since navigation start: what the user waits for
    window.__dashboard.ready = true;
    await loadAudit();
  } catch (error) {
    if (error.message !== "unauthorised") showError(`Could not load the dashboard: ${error.message}`);
  }
}

function init() {
  $("login-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
    open();
  });
  $("window-form").addEventListener("submit", (event) => { event.preventDefault(); load().catch((e) => showError(e.message)); });
  $("settings-form").addEventListener("submit", saveSettings);
  $("purge").addEventListener("click", purgeNow);
  const params = new URLSearchParams(location.search);
  if (params.get("from")) $("from").value = params.get("from");
  if (params.get("to")) $("to").value = params.get("to");
  open();
}

init();
