/* One PIMS tab's scribe session: page kind, the patient the note is bound to, context, consent, transcript
   and draft. Talks to the companion only through the background; renders only through the panel view.
   The fill side (approve, fill, undo, copy) is in content/fillflow.js. */
globalThis.VetScribe = globalThis.VetScribe || {};
VetScribe.content = VetScribe.content || {};

(() => {
  const PAGE_KIND_WAIT_MS = 15000;
  const SECTION_ORDER = ["subjective", "objective", "assessment", "plan"];
  const LABELS = { subjective: "Subjective", objective: "Objective", assessment: "Assessment", plan: "Plan", note: "Note" };

  /** Ask the background; always resolves to {ok, data?, error?, queued?}. */
  async function send(type, payload = {}) {
    try {
      return (await chrome.runtime.sendMessage({ type, ...payload })) || { ok: false, error: { code: "no_answer", title: "The extension did not answer" } };
    } catch (err) {
      return { ok: false, error: { code: "extension_error", title: "The extension was reloaded; reload this page", detail: String(err && err.message) } };
    }
  }

  function errorText(res) {
    const e = res.error || {};
    // a validation problem names what was wrong (e.g. "text: String should have at most 500000 characters")
    const problems = (Array.isArray(e.errors) ? e.errors : []).slice(0, 2)
      .map((p) => [[].concat(p && p.loc ? p.loc : []).slice(-1)[0], p && p.msg].filter(Boolean).join(": ")).filter(Boolean);
    return [e.title, e.detail, ...problems].filter(Boolean).join(" — ") || "Unknown error";
  }

  function sectionLabel(name) {
    if (LABELS[name]) return LABELS[name];
    return `Exam: ${name.replace(/^exam_/, "").replace(/_/g, " ")}`;
  }

  /** The note engine's items for a section (sentences with provenance), from DraftResult.note. */
  function itemsFor(note, name) {
    if (!note) return [];
    if (name.startsWith("exam_")) return (note.exam || {})[name.slice(5)] || [];
    if (name === "note") return SECTION_ORDER.flatMap((s) => note[s] || []);
    return note[name] || [];
  }

  /** Turn a DraftResult into what the panel shows: sections with sentences and their transcript sources. */
  function viewModel(draft, segments, hidden = new Set()) {
    // The engine names segments by their stored id or, when given none, "s<n>" by position (1-based).
    const byId = new Map();
    (segments || []).forEach((seg, i) => { byId.set(`s${i + 1}`, seg); byId.set(String(seg.segment_id), seg); });
    const sourceOf = (p) => {
      if (p.context_field) return { label: `Chart: ${p.context_field}`, text: "", start: 0, end: 0 };
      const seg = byId.get(String(p.segment_id));
      return seg ? { label: seg.speaker, text: seg.text, start: p.start, end: p.end } : null;
    };
    const names = Object.keys(draft.sections || {}).filter((name) => !hidden.has(name));
    names.sort((a, b) => rank(a) - rank(b));
    const sections = names.map((name) => ({
      name, label: sectionLabel(name), text: draft.sections[name],
      sentences: itemsFor(draft.note, name).map((item) => ({ text: item.text, sources: (item.provenance || []).map(sourceOf).filter(Boolean) })),
    }));
    const note = draft.note || {};
    const flags = (note.flags || []).map((f) => ({ severity: f.severity, message: f.message }));
    for (const m of note.missing || []) flags.push({ severity: "info", message: `Not mentioned: ${m}` });
    return { sections, flags };
  }

  function rank(name) {
    const i = SECTION_ORDER.indexOf(name);
    if (i >= 0) return i;
    return name.startsWith("exam_") ? 1.5 : 9;
  }

  /** Text that identifies the patient on the page, through the map's patient_id field and its `extract`. */
  function readPatientKey(map, pageKind) {
    const kind = map.page_kinds[pageKind];
    const field = kind && kind.context && kind.context.patient_id;
    if (!field) return null;
    const found = VetScribe.resolver.resolveField(field, { root: document, acceptance: map.acceptance });
    if (found.status !== "found") return null;
    const el = found.element;
    const text = ("value" in el && typeof el.value === "string" && el.tagName !== "BUTTON" ? el.value : el.textContent || "").replace(/\s+/g, " ").trim();
    if (field.extract) {
      try {
        const m = new RegExp(field.extract).exec(text);
        if (m && m[1]) return m[1].trim();
      } catch { /* the companion reports a bad pattern; fall back to the whole text */ }
    }
    return text || null;
  }

  class Session {
    constructor(entry, view, { signal, role }) {
      this.entry = entry;
      this.map = entry.map;
      this.view = view;
      this.signal = signal;
      this.role = role;
      this.reset();
    }

    /** Forget everything bound to a patient (after a patient change the new patient starts clean). */
    reset() {
      this.pageKind = null;
      this.patientKey = null;
      this.context = null;
      this.encounter = null;
      this.consentNeeded = false;
      this.consentGiven = false;
      this.sentTranscript = "";
      this.draft = null;
      this.revisionId = null;
      this.revisionSections = null;
      this.lastApproval = null;  // the approve request last sent, resent as-is while the text is unchanged
      this.filledApprovals = new Set();
      this.lastResults = [];
      this.undoEntries = [];
      this.reportedDrift = this.reportedDrift || new Set();
    }

    /** Wait (bounded) until a page kind of the map is showing; late SPA renders are normal. */
    async waitForPageKind() {
      const detect = () => VetScribe.resolver.detectPageKind(this.map, { root: document });
      let found = detect();
      if (found) return found.pageKind;
      this.view.setStatus("Waiting for the patient record to appear…");
      found = await new Promise((resolve) => {
        const observer = new MutationObserver(() => { const d = detect(); if (d) finish(d); });
        const timer = setTimeout(() => finish(null), PAGE_KIND_WAIT_MS);
        const finish = (d) => { observer.disconnect(); clearTimeout(timer); resolve(d); };
        this.signal.addEventListener("abort", () => finish(null), { once: true });
        observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true });
      });
      return found ? found.pageKind : null;
    }

    /** Read the chart through the map, have the companion parse it, and show what was read and what was not. */
    async readContext() {
      this.reading = true;
      try {
        return await this.readContextNow();
      } finally {
        this.reading = false;
      }
    }

    async readContextNow() {
      this.pageKind = this.pageKind || (await this.waitForPageKind());
      if (!this.pageKind) {
        this.view.setStatus(`This ${this.map.display_name} page is not one the map knows (no page kind matched).`, "error");
        return false;
      }
      const { fields, report } = VetScribe.resolver.collectContext(this.map, this.pageKind, { root: document });
      this.reportDrift(report, "context");
      this.patientKey = readPatientKey(this.map, this.pageKind);
      const unread = Object.entries(report).filter(([, r]) => r.status !== "found").map(([name, r]) => `${name} (${r.status})`);
      const res = await send("context.parse", { mapId: this.map.id, fragments: fields });
      if (!res.ok) {
        this.view.setContext({ patient_id: this.patientKey }, unread);
        this.view.setStatus(`Chart read, but the companion could not parse it: ${errorText(res)}`, "error");
        return Boolean(this.patientKey);
      }
      this.context = res.data;
      this.view.setContext(this.context, unread);
      if (!this.patientKey) {
        this.view.setStatus("No patient id on this page: the scribe cannot bind a note to a patient here.", "error");
        return false;
      }
      await this.checkConsent();
      if (!this.consentNeeded || this.consentGiven) this.view.setStatus("Ready. Add the transcript, then Generate.", "ok");
      return true;
    }

    /** Ask the companion whether the clinic's rule needs the client's consent; show the step if so. */
    async checkConsent() {
      const res = await send("consent.status");
      const decision = res.ok && res.data && res.data.decision;
      this.consentNeeded = Boolean(decision && decision.requires_client_consent);
      this.view.showConsent(this.consentNeeded && !this.consentGiven);
      if (this.consentNeeded && !this.consentGiven) this.view.setStatus("Confirm the client's consent to recording before the consult is captured.");
    }

    /** Tell the companion about fields the map could not resolve cleanly (once per field per page). */
    reportDrift(report, where) {
      for (const [field, r] of Object.entries(report || {})) {
        const outcome = r.status === "found" ? (r.strategy === "similarity" ? "fallback" : null) : r.status;
        if (!outcome || !["missing", "ambiguous", "fallback"].includes(outcome)) continue;
        const seen = `${this.pageKind}|${where}|${field}|${outcome}`;
        if (this.reportedDrift.has(seen)) continue;
        this.reportedDrift.add(seen);
        const body = { map_id: this.map.id, map_version: this.map.version, page_kind: this.pageKind, field, outcome };
        if (r.strategy) body.strategy = r.strategy;
        if (typeof r.score === "number") body.score = r.score;
        send("drift.report", { body });
      }
    }

    async ensureEncounter() {
      if (this.encounter) return true;
      const patientId = (this.context && this.context.patient_id) || this.patientKey;
      const body = { patient_id: patientId, pims: this.map.id, map_id: this.map.id, map_version: this.map.version };
      if (this.context) body.context = this.context;
      const res = await send("encounter.create", { body });
      if (!res.ok) {
        this.view.setStatus(`Could not start the encounter: ${errorText(res)}`, "error");
        return false;
      }
      this.encounter = res.data;
      return true;
    }

    /** Record the client's consent (the checkbox must be ticked) on this patient's encounter. */
    async giveConsent(checked) {
      if (!checked) {
        this.view.setStatus("Tick the box once the client has agreed to the recording.", "error");
        return;
      }
      if (!(await this.ensureEncounter())) return;
      const res = await send("encounter.consent", { encounterId: this.encounter.id, body: { confirmed_by: "clinician", method: "verbal" } });
      if (!res.ok) {
        this.view.setStatus(`Consent was not recorded: ${errorText(res)}`, "error");
        return;
      }
      this.consentGiven = true;
      this.view.showConsent(false);
      this.view.setStatus("Consent recorded. Add the transcript, then Generate.", "ok");
    }

    /** Transcript → companion → draft → sections and flags in the panel. */
    async generate() {
      if (this.generating) return;
      const text = this.view.transcriptText().trim();
      if (!text) {
        this.view.setStatus("The transcript is empty: nothing to draft from.", "error");
        return;
      }
      this.generating = true;
      this.view.enable({ generate: false });
      try {
        // the companion may have been down when the page loaded: read the chart again before drafting
        if (!this.context && !(await this.readContext())) return;
        if (this.consentNeeded && !this.consentGiven) {
          this.view.showConsent(true);
          this.view.setStatus("Confirm the client's consent first: the consult is not sent without it.", "error");
          return;
        }
        if (!(await this.ensureEncounter())) return;
        if (!(await this.sendTranscript(text))) return;
        this.view.setStatus("Drafting the note…");
        const res = await send("encounter.draft", { encounterId: this.encounter.id, body: {} });
        if (!res.ok) {
          this.view.setStatus(`No draft: ${errorText(res)}`, "error");
          return;
        }
        await this.showDraft(res.data);
      } finally {
        this.generating = false;
        this.view.enable({ generate: true });
      }
    }

    /** Send only the transcript text not sent before (the companion keeps every segment). */
    async sendTranscript(text) {
      const fresh = text.startsWith(this.sentTranscript) ? text.slice(this.sentTranscript.length).trim() : text;
      if (!fresh) return true;
      const res = await send("encounter.transcript", { encounterId: this.encounter.id, body: { text: fresh } });
      // queued counts as sent: the outbox delivers it, in order, before the next draft request
      if (res.ok || res.queued) this.sentTranscript = text;
      if (res.ok) return true;
      if (res.error && res.error.code === "consent_required") {
        this.consentNeeded = true;
        this.view.showConsent(true);
      }
      this.view.setStatus(res.queued ? "The companion is not reachable; the transcript is saved and will be sent when it is back." : `Transcript not accepted: ${errorText(res)}`, "error");
      return false;
    }

    async showDraft(draft) {
      this.draft = draft;
      this.revisionId = draft.revision_id;
      this.revisionSections = { ...draft.sections };
      this.lastApproval = null;
      const enc = await send("encounter.get", { encounterId: this.encounter.id });
      const segments = enc.ok ? enc.data.transcript : [];
      this.view.setNote(viewModel(draft, segments, this.hiddenSections(draft.sections)));
      this.view.enable({ approve: true, undo: false });
      this.view.setApproveLabel("Approve and fill");
      const flagCount = ((draft.note && draft.note.flags) || []).length;
      this.view.setStatus(`Draft ready${flagCount ? ` with ${flagCount} flag(s) to review` : ""}. Edit, then Approve.`, "ok");
    }

    /**
     * exam_<system> sections this page has no field for, while Objective is present: their lines are already
     * in Objective, so the panel shows (and the fill writes) them once, there. They stay in the revision.
     */
    hiddenSections(sections) {
      const write = (this.map.page_kinds[this.pageKind] || {}).write || {};
      return new Set(Object.keys(sections || {}).filter((name) => name.startsWith("exam_") && !write[name] && "objective" in sections));
    }

    /** Current patient key on the page (null when no patient is showing). */
    currentPatientKey() {
      return readPatientKey(this.map, this.pageKind);
    }
  }

  Object.assign(VetScribe.content, { Session, send, errorText, viewModel, readPatientKey, sectionLabel });
})();
