/* The panel's contents and their updates. Every value from the PIMS, the transcript or the companion is set
   with textContent or .value; no markup from data ever reaches the DOM. */
globalThis.VetScribe = globalThis.VetScribe || {};

(() => {
  const { h, replaceChildren } = VetScribe.dom;
  const CONTEXT_ROWS = [
    ["Patient ID", (c) => c.patient_id], ["Name", (c) => c.name], ["Species", (c) => c.species || c.species_text],
    ["Breed", (c) => c.breed], ["Sex", (c) => c.sex], ["Age", (c) => (c.age_years != null ? `${c.age_years} y` : null)],
    ["Weight", (c) => (c.weight ? `${c.weight.kg} kg${c.weight.source_unit && c.weight.source_unit !== "kg" ? ` (${c.weight.source_value} ${c.weight.source_unit})` : ""}` : null)],
    ["Medications", (c) => (c.medications || []).map((m) => m.text).join("; ")], ["Problems", (c) => (c.problems || []).join("; ")],
    ["Allergies", (c) => (c.allergies || []).join("; ")], ["Last visit", (c) => c.last_visit],
  ];

  /** Build the panel body inside `frame` and return the view object the session drives. */
  function createView(frame, actions, { role, signal }) {
    const on = (fn) => ({ click: (e) => { e.preventDefault(); fn(); } });
    const status = h("div", { class: "status", role: "status", "aria-live": "polite", testid: "scribe-status", text: "Starting…" });
    const parked = h("div", { testid: "scribe-parked", hidden: true });
    const context = h("section", { testid: "scribe-context", "aria-label": "Patient context" }, [h("h3", { text: "Patient" }), h("p", { text: "Reading the chart…" })]);
    const consentBox = h("input", { type: "checkbox", id: "scribe-consent-box", testid: "scribe-consent-check" });
    const consentButton = h("button", { type: "button", testid: "scribe-consent-confirm", text: "Continue", on: on(() => actions.consent(consentBox.checked)) });
    const consent = h("section", { testid: "scribe-consent", hidden: true, "aria-label": "Recording consent" }, [
      h("h3", { text: "Consent" }),
      h("p", { testid: "scribe-consent-text", text: "This clinic requires the client's consent before the consult is recorded or transcribed." }),
      h("div", { class: "row" }, [consentBox, h("label", { for: "scribe-consent-box", text: "The client gave consent" }), consentButton]),
    ]);
    const transcript = h("textarea", { id: "scribe-transcript", testid: "scribe-transcript", rows: "5", placeholder: "Type or paste the consult. Tag lines with Vet:, Tech:, Client: where you can." });
    const generate = h("button", { type: "button", class: "primary", testid: "scribe-generate", text: "Generate note", on: on(() => actions.generate()) });
    // shown only when the companion reports a speech adapter (GET /v1/capabilities)
    const dictate = h("button", { type: "button", testid: "scribe-dictate", hidden: true, "aria-pressed": "false", text: "Dictate", on: on(() => actions.dictate()) });
    const flags = h("section", { testid: "scribe-flags", "aria-label": "Safety flags", hidden: true }, [h("h3", { text: "Flags" })]);
    const sections = h("div", { testid: "scribe-sections" });
    const provenance = h("div", { class: "provenance", testid: "scribe-provenance", hidden: true, "aria-live": "polite" });
    const approve = h("button", { type: "button", class: "primary", testid: "scribe-approve", text: "Approve and fill", disabled: true, on: on(() => actions.approve()) });
    const undo = h("button", { type: "button", testid: "scribe-undo", text: "Undo fill", disabled: true, on: on(() => actions.undo()) });
    const picker = role === "admin" ? h("button", { type: "button", testid: "scribe-picker", text: "Pick a field (admin)", on: on(() => actions.picker()) }) : null;
    replaceChildren(frame.body, [
      status, parked, context, consent,
      h("section", { "aria-label": "Transcript" }, [h("label", { for: "scribe-transcript" }, [h("h3", { text: "Transcript" })]), transcript, h("div", { class: "row" }, [generate, dictate])]),
      flags, sections, provenance,
      h("div", { class: "row" }, [approve, undo, picker]),
    ]);
    const sectionViews = new Map();

    function setStatus(text, tone = "info") {
      status.textContent = text;
      status.className = `status ${tone}`;
    }

    function setContext(ctx, unread) {
      const rows = CONTEXT_ROWS.map(([label, get]) => [label, get(ctx || {})]).filter(([, v]) => v !== null && v !== undefined && v !== "");
      const warnings = [...(unread || []), ...((ctx && ctx.warnings) || [])];
      replaceChildren(context, [
        h("h3", { text: "Patient" }),
        h("dl", {}, rows.flatMap(([label, value]) => [h("dt", { text: label }), h("dd", { text: String(value) })])),
        warnings.length ? h("p", { class: "warn", testid: "scribe-context-unread", text: `Could not read: ${warnings.join("; ")}` }) : null,
      ]);
    }

    /** Show the transcript words a sentence came from, highlighted (text nodes and <mark> only). */
    function showSources(sentence) {
      const sources = sentence.sources || [];
      provenance.hidden = false;
      if (!sources.length) {
        replaceChildren(provenance, ["No transcript source recorded for this sentence."]);
        return;
      }
      replaceChildren(provenance, sources.map((src) => {
        const text = src.text || "";
        const ok = Number.isInteger(src.start) && Number.isInteger(src.end) && src.start < src.end && src.end <= text.length;
        const parts = ok ? [text.slice(0, src.start), h("mark", { text: text.slice(src.start, src.end) }), text.slice(src.end)] : [text];
        return h("div", {}, [h("strong", { text: `${src.label}: ` }), ...parts]);
      }));
    }

    function buildSection(section) {
      const id = `scribe-section-${section.name}`;
      const textarea = h("textarea", { id, testid: id, rows: "4", value: section.text });
      const sentences = h("div", { class: "sentences", testid: `scribe-sentences-${section.name}` }, (section.sentences || []).flatMap((s) => [
        h("span", { tabindex: "0", text: s.text, on: { mouseenter: () => showSources(s), focus: () => showSources(s) } }), " ",
      ]));
      const result = h("div", { class: "result", testid: `scribe-result-${section.name}`, role: "status" });
      const tools = h("div", { class: "row" });
      const wrap = h("section", { "aria-label": section.label }, [h("label", { for: id }, [h("h3", { text: section.label })]), textarea, sentences, result, tools]);
      return { wrap, textarea, result, tools, original: section.text, label: section.label };
    }

    function setNote(note) {
      sectionViews.clear();
      replaceChildren(sections, note.sections.map((s) => {
        const view = buildSection(s);
        sectionViews.set(s.name, view);
        return view.wrap;
      }));
      flags.hidden = !note.flags.length;
      replaceChildren(flags, [h("h3", { text: `Flags (${note.flags.length})` }), h("ul", { class: "flags" }, note.flags.map((f) => h("li", { class: f.severity || "", text: `${f.severity ? `${f.severity.toUpperCase()}: ` : ""}${f.message}${f.section ? ` (${f.section})` : ""}` })))]);
      provenance.hidden = true;
    }

    /** Show a section's fill outcome; offer copy, and Append/Replace for target `confirm` when the map asks. */
    function setSectionResult(name, { message, bad, copyText, confirm }) {
      const view = sectionViews.get(name);
      if (!view) return;
      view.result.textContent = message || "";
      view.result.className = `result${bad ? " bad" : ""}`;
      const tools = [];
      if (copyText !== undefined) tools.push(h("button", { type: "button", testid: `scribe-copy-${name}`, text: `Copy ${view.label}`, on: on(() => actions.copy(name, copyText)) }));
      if (confirm) {
        // `confirm` names the fill target (a section, or "note" for a one-box PIMS)
        tools.push(h("button", { type: "button", testid: `scribe-append-${confirm}`, text: "Append", on: on(() => actions.confirm(confirm, "append")) }));
        tools.push(h("button", { type: "button", testid: `scribe-replace-${confirm}`, text: "Replace", on: on(() => actions.confirm(confirm, "replace")) }));
      }
      replaceChildren(view.tools, tools);
    }

    function setParked(items) {
      parked.hidden = !items.length;
      replaceChildren(parked, items.map((item) => h("div", { class: "row" }, [
        h("span", { text: `Parked draft from ${new Date(item.savedAt).toLocaleTimeString()}` }),
        h("button", { type: "button", testid: "scribe-resume", text: "Resume", on: on(() => actions.resume(item.key)) }),
        h("button", { type: "button", testid: "scribe-discard", text: "Discard", on: on(() => actions.discard(item.key)) }),
      ])));
    }

    return {
      setStatus, setContext, setNote, setSectionResult, setParked,
      showConsent: (shown) => { consent.hidden = !shown; },
      sectionTexts: () => Object.fromEntries([...sectionViews].map(([name, v]) => [name, v.textarea.value])),
      setTranscript: (text) => { transcript.value = text; },
      showDictate: (shown) => { dictate.hidden = !shown; },
      setDictating: (on) => {
        dictate.textContent = on ? "Stop dictation" : "Dictate";
        dictate.setAttribute("aria-pressed", String(on));
      },
      transcriptText: () => transcript.value,
      enable: ({ generate: g, approve: a, undo: u }) => {
        if (g !== undefined) generate.disabled = !g;
        if (a !== undefined) approve.disabled = !a;
        if (u !== undefined) undo.disabled = !u;
      },
      setApproveLabel: (text) => { approve.textContent = text; },
      clearNote: () => { sectionViews.clear(); replaceChildren(sections, []); flags.hidden = true; provenance.hidden = true; },
    };
  }

  VetScribe.panelView = { createView };
})();
