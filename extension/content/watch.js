/* Single-page navigation watcher: when the page starts showing another patient, the pending draft is parked
   (kept in storage.local, never inserted) and the panel starts over for the new patient; coming back to the
   parked patient offers to resume it. */
globalThis.VetScribe = globalThis.VetScribe || {};
VetScribe.content = VetScribe.content || {};

(() => {
  const { Session, readPatientKey } = VetScribe.content;
  const DEBOUNCE_MS = 250;
  const PARKED_KEY = "parkedDrafts";

  /**
   * Storage key for a patient's parked draft: a hash, so the storage index holds no patient id in clear.
   * (cyrb53: crypto.subtle needs a secure context and many PIMS pages are plain http.)
   */
  async function parkKey(mapId, patientKey) {
    const text = `${mapId}\u0000${patientKey}`;
    let h1 = 0xdeadbeef;
    let h2 = 0x41c6ce57;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return `p${(h2 >>> 0).toString(16).padStart(8, "0")}${(h1 >>> 0).toString(16).padStart(8, "0")}`;
  }

  async function readParked() {
    return (await chrome.storage.local.get(PARKED_KEY))[PARKED_KEY] || {};
  }

  Object.assign(Session.prototype, {
    hasWork() {
      return Boolean(this.draft || this.view.transcriptText().trim());
    },

    /** Keep the current draft for this patient; it is only ever restored into this patient's panel. */
    async park() {
      if (!this.patientKey || !this.hasWork()) return;
      const key = await parkKey(this.map.id, this.patientKey);
      const parked = await readParked();
      parked[key] = {
        key, mapId: this.map.id, savedAt: Date.now(), encounter: this.encounter, draft: this.draft,
        revisionId: this.revisionId, revisionSections: this.revisionSections, sections: this.draft ? this.view.sectionTexts() : null,
        transcript: this.view.transcriptText(), sentTranscript: this.sentTranscript, consentGiven: this.consentGiven,
      };
      await chrome.storage.local.set({ [PARKED_KEY]: parked });
    },

    /** Show the parked drafts that belong to the patient now on the page. */
    async offerParked() {
      if (!this.patientKey) return this.view.setParked([]);
      const key = await parkKey(this.map.id, this.patientKey);
      const item = (await readParked())[key];
      this.view.setParked(item ? [item] : []);
    },

    async resume(key) {
      const parked = await readParked();
      const item = parked[key];
      if (!item || key !== (await parkKey(this.map.id, this.currentPatientKey() || ""))) {
        this.view.setStatus("That draft belongs to another patient; it was not restored.", "error");
        return;
      }
      Object.assign(this, { encounter: item.encounter, revisionId: item.revisionId, revisionSections: item.revisionSections, sentTranscript: item.sentTranscript || "", consentGiven: item.consentGiven });
      this.view.setTranscript(item.transcript || "");
      if (item.draft) {
        await this.showDraft(item.draft);
        this.revisionId = item.revisionId;
        this.revisionSections = item.revisionSections;
        if (item.sections) {
          const sections = { ...item.revisionSections, ...item.sections };
          this.view.setNote(VetScribe.content.viewModel({ ...item.draft, sections }, [], this.hiddenSections(sections)));
        }
      }
      await this.discard(key, { quiet: true });
      this.view.setStatus("Parked draft restored. Review it before approving.", "ok");
    },

    async discard(key, { quiet } = {}) {
      const parked = await readParked();
      delete parked[key];
      await chrome.storage.local.set({ [PARKED_KEY]: parked });
      this.view.setParked([]);
      if (!quiet) this.view.setStatus("Parked draft discarded.");
    },

    /** The page shows another patient (or none): park, clear, and read the new chart. */
    async patientChanged(pageKind, key) {
      const hadPatient = Boolean(this.patientKey);
      const stopped = stoppedFillNote(this.lastResults); // the panel is about to forget which fields were written
      await this.park();
      this.reset();
      this.view.clearNote();
      this.view.setTranscript("");
      this.view.enable({ approve: false, undo: false, generate: true });
      this.view.setContext(null, []);
      this.pageKind = pageKind;
      if (!pageKind || !key) {
        this.view.setStatus(hadPatient ? `No patient on this page. Any draft was parked, not inserted.${stopped}` : "No patient on this page.", stopped ? "error" : "info");
        return;
      }
      await this.readContext();
      await this.offerParked();
      if (hadPatient) this.view.setStatus(`Another patient is showing: the previous draft was parked, not inserted.${stopped}`, stopped ? "error" : "ok");
    },
  });

  /** For a fill that did not finish for the previous patient: which sections were written and which were not. */
  function stoppedFillNote(results) {
    const ok = new Set(["written", "appended", "unchanged"]);
    if (!results || !results.length || results.every((r) => ok.has(r.outcome))) return "";
    const names = (wanted) => results.filter((r) => ok.has(r.outcome) === wanted).map((r) => VetScribe.content.sectionLabel(r.section));
    const written = names(true);
    return ` The fill for the previous patient stopped: written ${written.length ? written.join(", ") : "nothing"}; not written ${names(false).join(", ")}.`;
  }

  /** Watch DOM changes and SPA navigation; re-check the patient at most every DEBOUNCE_MS. */
  function watchPatient(session, signal) {
    let timer = null;
    let running = false;
    const check = async () => {
      timer = null;
      if (running || session.reading || session.approving || session.generating || signal.aborted) return schedule();
      running = true;
      try {
        const detected = VetScribe.resolver.detectPageKind(session.map, { root: document });
        const pageKind = detected ? detected.pageKind : null;
        const key = pageKind ? readPatientKey(session.map, pageKind) : null;
        if (key && key === session.patientKey) {
          session.pageKind = pageKind; // same patient, another view of the record
        } else if (key !== session.patientKey) {
          await session.patientChanged(pageKind, key);
        }
      } finally {
        running = false;
      }
    };
    function schedule() {
      if (!timer && !signal.aborted) timer = setTimeout(check, DEBOUNCE_MS);
    }
    const observer = new MutationObserver(schedule);
    observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    const nav = globalThis.navigation;
    if (nav && nav.addEventListener) nav.addEventListener("navigatesuccess", schedule, { signal });
    window.addEventListener("popstate", schedule, { signal });
    window.addEventListener("hashchange", schedule, { signal });
    signal.addEventListener("abort", () => { observer.disconnect(); clearTimeout(timer); }, { once: true });
    return { checkNow: check };
  }

  VetScribe.content.watchPatient = watchPatient;
})();
