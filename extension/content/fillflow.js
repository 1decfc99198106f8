/* Approve → fill → write-back → undo, with the patient guard: the plan must be for the patient the note was
   bound to, and the page must still show that patient immediately before filling and before every field.
   Elements come only from the resolver at fill time; writes only from the fill engine (VetScribe.fill). */
globalThis.VetScribe = globalThis.VetScribe || {};
VetScribe.content = VetScribe.content || {};

(() => {
  const { Session, send, errorText, sectionLabel } = VetScribe.content;
  const OK_OUTCOMES = new Set(["written", "appended", "unchanged"]);
  // A field rendered late by the PIMS gets this long to appear before it is reported missing.
  const LATE_FIELD_WAIT_MS = 3000;

  /** A short, text-free summary of the fill engine's detail (writers tried and how each ended; no field text). */
  function detailText(detail) {
    if (!detail) return undefined;
    if (typeof detail === "string") return detail.slice(0, 500);
    const attempts = (detail.attempts || []).map((a) => `${a.writer}:${a.verified ? "verified" : a.error ? "error" : "unverified"}`);
    const unrestored = notRestored(detail) ? "previous content could not be put back" : "";
    return [unrestored, detail.message, attempts.length ? `tried ${attempts.join(", ")}` : ""].filter(Boolean).join("; ").slice(0, 500) || undefined;
  }

  /** True when a failed write changed the field and the fill engine could not put its previous content back. */
  function notRestored(detail) {
    return Boolean(detail && typeof detail === "object" && detail.restored && !["untouched", "restored"].includes(detail.restored));
  }

  async function clipboardApi(text) {
    // navigator.clipboard exists only on https pages; many PIMS tenants and the replicas are plain http
    if (!navigator.clipboard || !navigator.clipboard.writeText) return false;
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      return false;
    }
  }

  /** Copy through a temporary textarea inside the closed shadow root (clipboardWrite permits execCommand). */
  function copyWithSelection(text, shadow) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("aria-hidden", "true");
    area.style.cssText = "position:fixed;left:-9999px;top:0;opacity:0";
    shadow.append(area);
    const previous = shadow.activeElement;
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } finally {
      area.remove();
      if (previous && previous.focus) previous.focus();
    }
    return ok;
  }

  function sameSections(a, b) {
    const ka = Object.keys(a || {});
    return ka.length === Object.keys(b || {}).length && ka.every((k) => a[k] === b[k]);
  }

  /**
   * Pair each plan section with the write field that takes it; a one-box PIMS gets everything in `note`.
   * An exam_<system> section without its own field is dropped when Objective is in the plan: the engine's
   * Objective text already holds every body system's lines, so writing both would duplicate them.
   */
  function planTargets(planSections, writeFields) {
    const targets = [];
    const leftover = [];
    for (const [section, text] of Object.entries(planSections)) {
      if (writeFields[section]) targets.push({ section, field: section, text });
      else if (section.startsWith("exam_") && "objective" in planSections) continue;
      else leftover.push([section, text]);
    }
    if (leftover.length && writeFields.note) {
      const text = leftover.map(([s, t]) => `${sectionLabel(s)}:\n${t}`).join("\n\n");
      targets.push({ section: leftover.length === 1 ? leftover[0][0] : "note", field: "note", text, sections: leftover.map(([s]) => s), texts: Object.fromEntries(leftover) });
    } else {
      for (const [section, text] of leftover) targets.push({ section, field: null, text });
    }
    return targets;
  }

  Object.assign(Session.prototype, {
    /** Approve the current sections and fill them; repeated clicks while one runs are ignored. */
    async approve() {
      if (this.approving || !this.draft) return;
      this.approving = true;
      const clickedAt = performance.now();
      this.view.enable({ approve: false });
      try {
        const body = this.approvalRequest();
        this.view.setStatus("Approving…");
        const res = await send("encounter.approve", { encounterId: this.encounter.id, body });
        if (res.queued) {
          this.view.setStatus("Approval saved on this computer; the companion is not reachable. Nothing was filled. Click Approve again once it is back.", "error");
          return;
        }
        if (!res.ok) {
          this.view.setStatus(`Not approved: ${errorText(res)}`, "error");
          return;
        }
        this.revisionId = res.data.revision_id;  // an edit was kept as a new revision by the approval itself
        this.revisionSections = { ...res.data.sections };
        if (this.filledApprovals.has(res.data.approval_id)) {
          this.view.setStatus("This approval was already filled; edit the note to approve a new version.", "ok");
          return;
        }
        const approvedAt = performance.now();
        this.filledAt = null;
        this.fillRun = this.fill(res.data); // Append/Replace clicked while later fields are still filling waits for it
        await this.fillRun;
        // for bench/fill_bench.py (read through the test hook): approve round trip, then fill to verified
        if (this.filledAt) this.lastTimings = { approveMs: approvedAt - clickedAt, fillMs: this.filledAt - approvedAt, totalMs: this.filledAt - clickedAt };
      } finally {
        this.approving = false;
        this.view.enable({ approve: Boolean(this.draft) });
      }
    },

    /** The approve request for the text on screen. Edits travel with the approval (kept as a new revision in the
        same step), so an approval queued while the companion is away needs no earlier call. Unchanged text resends
        the very same request, key included: a double click or a retry gets the first answer back. */
    approvalRequest() {
      const sections = { ...this.revisionSections, ...this.view.sectionTexts() };
      const last = this.lastApproval;
      if (last && sameSections(last.sections, sections)) return last.body;
      const edited = !sameSections(sections, this.revisionSections);
      const body = { revision_id: this.revisionId, idempotency_key: VetScribe.dom.newKey("ap"), ...(edited ? { sections } : {}) };
      this.lastApproval = { sections, body };
      return body;
    },

    /** Why the page may not be filled for this plan right now, or null when it may. */
    patientMismatch(plan) {
      if (this.encounter && plan.patient_id !== this.encounter.patient_id) return "the approved note belongs to a different encounter's patient";
      const now = this.currentPatientKey();
      if (!now) return "no patient is showing on the page";
      if (now !== this.patientKey) return "the page now shows a different patient than the note belongs to";
      return null;
    },

    /** Fill an approved plan field by field, report per-field outcomes, and offer copy for the rest. */
    async fill(plan) {
      const kind = this.map.page_kinds[this.pageKind];
      const targets = planTargets(plan.sections, kind.write || {});
      const refused = this.patientMismatch(plan);
      if (refused) {
        this.view.setStatus(`Nothing was filled: ${refused}.`, "error");
        await this.reportResults(plan, targets.map((t) => ({ section: t.section, field: t.field || t.section, outcome: "refused", detail: "patient mismatch" })));
        return;
      }
      this.view.setStatus("Filling…");
      this.undoEntries = [];
      if ((kind.steps || []).length) {
        let stepped;
        try {
          stepped = await VetScribe.fill.runSteps(kind.steps, { resolver: VetScribe.resolver, root: document, signal: this.signal });
        } catch (err) {
          stepped = { outcome: "error", detail: err.message };
        }
        // a failed step is not fatal: each field is still resolved, and the missing ones get copy buttons
        if (stepped && stepped.outcome !== "done") this.view.setStatus(`Opening the note form did not finish (${stepped.outcome}); filling what is there.`, "error");
      }
      const results = [];
      const testPause = await VetScribe.content.testHook.fillGate(); // null unless a test set a gate (testMode)
      for (const target of targets) {
        if (testPause && results.length) await testPause(results[results.length - 1].field, this.signal);
        const why = this.patientMismatch(plan);
        if (why) {
          results.push({ section: target.section, field: target.field || target.section, outcome: "refused", detail: "patient changed during fill" });
          this.showResult(target, { outcome: "refused" }, `Not filled: ${why}.`);
          continue;
        }
        results.push(await this.fillOne(target));
      }
      this.filledAt = performance.now(); // every field written and verified (or refused); before the report
      this.filledApprovals.add(plan.approval_id);
      this.lastPlan = plan;
      this.lastResults = results;
      await this.reportResults(plan, results);
      this.summarise(results);
    },

    /** Resolve one field now (never from a cached element) and write it through the fill engine. */
    async fillOne(target, specOverride) {
      const base = { section: target.section, field: target.field || target.section };
      if (!target.field) {
        this.showResult(target, { outcome: "missing" }, `This map has no PIMS field for ${sectionLabel(target.section)}.`);
        return { ...base, outcome: "missing", detail: "no write field in map" };
      }
      const spec = specOverride || this.map.page_kinds[this.pageKind].write[target.field];
      const found = await this.resolveLate(spec);
      this.reportDrift({ [target.field]: found }, "write");
      if (found.status !== "found") {
        this.showResult(target, found, `PIMS field "${target.field}" is ${found.status === "ambiguous" ? "ambiguous (several candidates)" : "not on the page"}; nothing was written.`);
        return { ...base, outcome: found.status, strategy: found.strategy || undefined };
      }
      let written;
      try {
        written = await VetScribe.fill.writeField(found.element, target.text, { kind: spec.kind, mode: spec.mode, format: spec.format, separator: spec.separator, signal: this.signal });
      } catch (err) {
        written = { outcome: "error", detail: String(err && err.message) };
      }
      if (OK_OUTCOMES.has(written.outcome)) this.undoEntries.push({ target, spec, element: found.element, restore: written.restore || written.before });
      this.showResult(target, written, this.outcomeMessage(target, written));
      const outcome = written.outcome === "needs_confirmation" ? "skipped" : written.outcome;
      return { ...base, outcome, writer: written.writer || undefined, strategy: found.strategy, detail: detailText(written.detail) };
    },

    /** Resolve a write field now; if it is not there yet (late SPA render), wait a bounded time for it. */
    async resolveLate(spec) {
      const resolve = () => VetScribe.resolver.resolveField(spec, { root: document, acceptance: this.map.acceptance });
      let found = resolve();
      const deadline = performance.now() + LATE_FIELD_WAIT_MS;
      while (found.status === "missing" && performance.now() < deadline && !this.signal.aborted) {
        await new Promise((r) => setTimeout(r, 100));
        found = resolve();
      }
      return found;
    },

    outcomeMessage(target, written) {
      if (notRestored(written.detail)) return `Could not write "${target.field}", and the PIMS field did not take back what it held before: check it by hand before saving; copy the approved text instead.`;
      switch (written.outcome) {
        case "written": return `Written into "${target.field}" and checked.`;
        case "appended": return `Added after the existing text in "${target.field}" and checked.`;
        case "unchanged": return `"${target.field}" already held this text.`;
        case "needs_confirmation": return `"${target.field}" already has text. Append to it or replace it?`;
        case "verify_failed": return `Wrote into "${target.field}" but the PIMS did not keep it; copy it instead.`;
        default: return `Could not write "${target.field}"${detailText(written.detail) ? ` (${detailText(written.detail)})` : ""}; copy it instead.`;
      }
    },

    /**
     * Show a target's outcome under each section it carries. A combined `note` target offers Append/Replace once
     * (on its first section, test ids scribe-append-note / scribe-replace-note) and a copy button per section
     * with that section's own text.
     */
    showResult(target, result, message) {
      const ok = OK_OUTCOMES.has(result.outcome);
      const asking = result.outcome === "needs_confirmation";
      const names = target.sections || [target.section];
      names.forEach((name, i) => {
        const copyText = ok || asking ? undefined : target.texts ? target.texts[name] : target.text;
        const confirm = asking && i === 0 ? target.section : undefined;
        this.view.setSectionResult(name, { message, bad: !ok, copyText, confirm });
      });
    },

    /** Clinician answered "append" or "replace" for a field that already held text. */
    async confirm(section, mode) {
      // the buttons appear as soon as their field is reached; the plan is complete once the whole fill has run
      if (this.fillRun) await this.fillRun.catch(() => {});
      const target = planTargets(this.lastPlan ? this.lastPlan.sections : {}, this.map.page_kinds[this.pageKind].write || {}).find((t) => t.section === section);
      if (!target || !this.lastPlan) return;
      const why = this.patientMismatch(this.lastPlan);
      if (why) {
        this.view.setStatus(`Nothing was filled: ${why}.`, "error");
        return;
      }
      const spec = this.map.page_kinds[this.pageKind].write[target.field];
      const result = await this.fillOne(target, { ...spec, mode });
      await this.reportResults(this.lastPlan, [result], VetScribe.dom.newKey("wb"));
      this.view.enable({ undo: this.undoEntries.length > 0 });
      const ok = OK_OUTCOMES.has(result.outcome);
      this.view.setStatus(ok ? `${mode === "append" ? "Appended to" : "Replaced"} "${target.field}" and checked. Save in the PIMS yourself.` : `"${target.field}" was not filled (${result.outcome}).`, ok ? "ok" : "error");
    },

    async reportResults(plan, results, key) {
      if (!results.length) return;
      const res = await send("encounter.writeback", { encounterId: plan.encounter_id, body: { approval_id: plan.approval_id, idempotency_key: key || `wb-${plan.approval_id}`, results } });
      if (!res.ok && !res.queued) this.view.setStatus(`Filled, but the companion did not record the result: ${errorText(res)}`, "error");
    },

    summarise(results) {
      const good = results.filter((r) => OK_OUTCOMES.has(r.outcome)).length;
      const bad = results.length - good;
      this.view.enable({ undo: this.undoEntries.length > 0 });
      if (!bad) this.view.setStatus(`Filled and verified ${good} field(s). Review, then save in the PIMS yourself.`, "ok");
      else this.view.setStatus(`Filled ${good} of ${results.length} field(s); ${bad} need attention (see the sections below). Nothing was saved for you.`, "error");
    },

    /** Put back what each filled field held before the fill (same patient only). */
    async undo() {
      if (!this.undoEntries.length) return;
      if (this.currentPatientKey() !== this.patientKey) {
        this.view.setStatus("Undo refused: the page shows a different patient now.", "error");
        return;
      }
      let restored = 0;
      for (const entry of [...this.undoEntries].reverse()) {
        try {
          const res = await VetScribe.fill.restoreField(entry.element, entry.restore, { kind: entry.spec.kind });
          if (res && res.outcome && res.outcome !== "restored") throw new Error(res.outcome);
          restored += 1;
          this.view.setSectionResult(entry.target.section, { message: `Restored "${entry.target.field}" to what it held before.` });
        } catch (err) {
          this.view.setSectionResult(entry.target.section, { message: `Could not restore "${entry.target.field}": ${err.message}`, bad: true });
        }
      }
      this.undoEntries = [];
      this.view.enable({ undo: false });
      this.view.setStatus(`Undo: restored ${restored} field(s).`, "ok");
    },

    /** Copy one section for pasting by hand (the fallback when a field cannot be filled). */
    async copy(section, text) {
      const copied = (await clipboardApi(text)) || copyWithSelection(text, VetScribe.content.current.frame.shadow);
      if (copied) this.view.setStatus(`Copied ${sectionLabel(section)}; paste it into the PIMS.`, "ok");
      else this.view.setStatus("Copy failed; select the section text in the panel and copy it by hand.", "error");
    },
  });

  VetScribe.content.planTargets = planTargets;
})();
