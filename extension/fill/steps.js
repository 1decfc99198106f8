/* A map's pre-fill steps (click "Add history", wait for the popup) with bounded waits, plus the hard guard that
   refuses to click anything that looks like Save, Sign, Finalize or Submit — the clinician commits, never us. */
(() => {
  const VS = (globalThis.VetScribe = globalThis.VetScribe || {});
  const F = (VS.fill = VS.fill || {});
  const COMMIT_WORD = /^(save[sd]?|saving|sign|signs|signed|signing|signoff|finali[sz](e|es|ed|ing)|submit|submits|submitted|submitting)$/i;
  const MAX_WAIT_MS = 60000;
  const CLICK_WAIT_MS = 5000;
  const POLL_MS = 50;
  const MIN_GAP_MS = 8;

  /** Words of an id/name/label: camelCase, snake_case, kebab-case and digits split apart. */
  function words(text) {
    return String(text || "").replace(/([a-z])([A-Z])/g, "$1 $2").split(/[^A-Za-z]+/).filter(Boolean);
  }

  /** Why `el` (or the control it sits in) looks like a commit control, or "" when it does not. */
  function commitReason(el) {
    const control = el.closest("button, a, input, [role=button], [role=menuitem]") || el;
    for (const node of new Set([el, control])) {
      const type = (node.getAttribute("type") || "").toLowerCase();
      if (type === "submit" || (node.tagName === "INPUT" && type === "image")) return "type=submit";
      if (node.tagName === "BUTTON" && !node.hasAttribute("type") && node.form) return "form button (submits by default)";
      const fields = {
        text: (node.innerText || node.textContent || "").slice(0, 200), id: node.id, name: node.getAttribute("name"),
        value: node.tagName === "INPUT" ? node.value : "", label: node.getAttribute("aria-label"), title: node.getAttribute("title"),
      };
      for (const [what, value] of Object.entries(fields)) {
        const hit = words(value).find((w) => COMMIT_WORD.test(w));
        if (hit) return `${what} says "${hit}"`;
      }
    }
    return "";
  }

  /**
   * Resolves on the first DOM change under `root`, after `ms`, or on abort, whichever comes first. The DOM
   * change makes a popup that opens count at once; the timer still covers what an observer on `root` cannot
   * see (same-origin iframes, shadow roots, style-only changes).
   */
  function nextChange(root, ms, signal) {
    return new Promise((resolve) => {
      const doc = root.ownerDocument || root;
      const observer = new MutationObserver(() => done());
      const timer = setTimeout(() => done(), ms);
      const onAbort = () => done();
      function done() {
        observer.disconnect();
        clearTimeout(timer);
        if (signal) signal.removeEventListener("abort", onAbort);
        resolve();
      }
      observer.observe(doc.documentElement || root, { childList: true, subtree: true, attributes: true, characterData: true });
      if (signal) signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Re-resolve the target on every DOM change (and every POLL_MS) until it is found (or absent), the bound
      passes, or the signal aborts. */
  async function waitFor(resolver, target, { state = "present", timeoutMs, root, signal }) {
    const deadline = Date.now() + Math.min(Math.max(timeoutMs, 0), MAX_WAIT_MS);
    for (;;) {
      F.util.throwIfAborted(signal);
      const resolvedAt = Date.now();
      const res = resolver.resolveField(target, { root });
      if (state === "present" ? res.status === "found" : res.status === "missing") return res;
      if (Date.now() >= deadline) return { ...res, timedOut: true };
      await nextChange(root, Math.min(POLL_MS, Math.max(deadline - Date.now(), 0)), signal);
      // a page that changes all the time (a spinner) gets one resolve per MIN_GAP_MS, not one per change
      const early = MIN_GAP_MS - (Date.now() - resolvedAt);
      if (early > 0 && !(signal && signal.aborted)) await F.util.tick(early);
    }
  }

  async function runOne(step, { resolver, root, signal }) {
    if (step.action === "wait_for") {
      const res = await waitFor(resolver, step.target, { state: step.state || "present", timeoutMs: step.timeout_ms ?? 5000, root, signal });
      return res.timedOut ? { status: "timeout", detail: `still ${res.status} after ${step.timeout_ms ?? 5000} ms` } : { status: "done" };
    }
    if (step.action === "click") {
      if (step.skip_if_present && resolver.resolveField(step.skip_if_present, { root }).status === "found") return { status: "skipped" };
      const res = await waitFor(resolver, step.target, { timeoutMs: CLICK_WAIT_MS, root, signal });
      if (res.timedOut) return { status: "timeout", detail: `click target ${res.status}` };
      const reason = commitReason(res.element);
      if (reason) return { status: "refused", detail: `refused to click a save/sign control (${reason})` };
      res.element.click();
      return { status: "done" };
    }
    return { status: "error", detail: `unknown step action "${step.action}"` };
  }

  /** Run steps in order; stops at the first that does not finish. → {outcome: "done"|"refused"|"timeout"|"error"|"aborted", steps}. */
  async function runSteps(steps, { resolver = VS.resolver, root = document, signal } = {}) {
    const report = [];
    for (const step of steps || []) {
      let res;
      try {
        if (!resolver) throw new Error("no resolver");
        res = await runOne(step, { resolver, root, signal });
      } catch (err) {
        res = { status: err.name === "AbortError" ? "aborted" : "error", detail: err.message };
      }
      report.push({ action: step.action, ...res });
      if (res.status !== "done" && res.status !== "skipped") return { outcome: res.status, steps: report };
    }
    return { outcome: "done", steps: report };
  }

  F.runSteps = runSteps;
  F.commitReason = commitReason;
})();
