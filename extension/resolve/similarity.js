// Similarity fallback (after Similo / VON Similo): when every locator misses, compare the field's recorded
// fingerprint with each candidate element and accept one only if it scores high and clearly beats the runner-up.
globalThis.VetScribe = globalThis.VetScribe || {};
VetScribe.resolver = VetScribe.resolver || {};

VetScribe.resolver.similarity = (() => {
  "use strict";
  const dom = VetScribe.resolver.dom;

  // Weights follow the attribute-survival figures in the domain brief (tag .99, type .96, visible text .95,
  // name .95, id .87, role .85, aria-label .82, class .80) and Similo's tuning that puts name, visible text and
  // type first and id low. Labels and nearby captions are the "visible text" of a form field.
  const WEIGHTS = {
    tag: 1.0, type: 1.5, name: 1.5, test_id: 1.5, label: 1.5, text: 1.5, near_text: 1.5,
    aria_label: 1.0, placeholder: 1.0, role: 1.0, id: 0.5, classes: 0.5,
  };
  const TEST_ID_ATTRS = ["data-testid", "data-test-id", "data-test", "data-qa", "data-cy"];
  // An element's own text is only a fingerprint for controls; elsewhere it would be patient data.
  // Links and headings are left out: in a PIMS they often show the patient's or owner's name.
  const TEXT_ROLES = new Set(["button", "tab", "menuitem"]);
  const FIELD_TAGS = new Set(["input", "textarea", "select"]);
  // Same rules as companion/maps/lint.py looks_generated(): hashed class names change with every build.
  const GENERATED_PATTERNS = [
    /^(css|sc|jsx|emotion|svelte|styled|jss|makeStyles)-[A-Za-z0-9_-]+$/, // CSS-in-JS prefixes
    /__(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{5,}$/, // CSS modules: Button_primary__3kZ1q
    /^_(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{5,}$/, // webpack css-loader short hashes
    /-\d{3,}$/, // MuiBox-root-123
    /^(?=[a-z]*\d)[a-z0-9]{6,}$/, // bare hex/base36 hashes: a1b2c3d4
  ];
  function looksGenerated(cls) {
    if (GENERATED_PATTERNS.some((re) => re.test(cls))) return true;
    // styled-components hashes such as kVbLzX: short, letters only, many capitals not at word starts
    const caps = (cls.match(/[A-Z]/g) || []).length;
    return /^[A-Za-z]{5,8}$/.test(cls) && caps >= 3;
  }
  const MAX_CANDIDATES = 20000; // a safety cap far above a 10,000-element page; pruned scoring keeps this cheap
  // Attributes read from the element itself vs those that walk the DOM (labels, nearby text).
  const CHEAP = ["tag", "type", "name", "id", "test_id", "aria_label", "placeholder", "role", "classes"];
  const COSTLY = ["label", "text", "near_text"];
  const CONTAINED = 0.8;

  function testIdOf(el) {
    for (const attr of TEST_ID_ATTRS) {
      const v = el.getAttribute(attr);
      if (v) return { attr, value: v };
    }
    return null;
  }

  function stableClasses(el) {
    return [...el.classList].filter((c) => !looksGenerated(c)).slice(0, 8);
  }

  function typeOf(el) {
    return el.tagName === "INPUT" ? (el.getAttribute("type") || "text").toLowerCase() : "";
  }

  function ownVisibleText(el, role) {
    return TEXT_ROLES.has(role) ? dom.ownText(el).slice(0, dom.MAX_TEXT) : "";
  }

  // One reader per fingerprint attribute, so scoring only computes what the fingerprint recorded.
  const READERS = {
    tag: (el) => el.tagName.toLowerCase(),
    type: typeOf,
    name: (el) => el.getAttribute("name") || "",
    id: (el) => el.id || "",
    test_id: (el) => { const t = testIdOf(el); return t ? t.value : ""; },
    label: (el) => dom.labelText(el),
    aria_label: (el) => el.getAttribute("aria-label") || "",
    placeholder: (el) => el.getAttribute("placeholder") || "",
    role: (el) => dom.roleOf(el) || "",
    text: (el) => ownVisibleText(el, dom.roleOf(el)),
    near_text: (el) => dom.nearText(el),
    classes: stableClasses,
  };

  /** The fingerprint the picker records for an element (no patient data: no values, no free text). */
  function fingerprintOf(el) {
    const fp = {};
    for (const [key, read] of Object.entries(READERS)) {
      const v = read(el);
      if (Array.isArray(v) ? v.length : v) fp[key] = v;
    }
    return fp;
  }

  function tokens(s) {
    return String(s).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  }

  function levenshtein(a, b) {
    if (a.length > 64) a = a.slice(0, 64);
    if (b.length > 64) b = b.slice(0, 64);
    let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      const cur = [i];
      for (let j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      prev = cur;
    }
    return prev[b.length];
  }

  /** 0..1: the better of edit-distance ratio and token overlap (Dice). */
  function textSimilarity(a, b) {
    const x = dom.norm(a);
    const y = dom.norm(b);
    if (!x || !y) return 0;
    if (x === y) return 1;
    const tx = new Set(tokens(a));
    const ty = new Set(tokens(b));
    let shared = 0;
    for (const t of tx) if (ty.has(t)) shared++;
    const dice = tx.size + ty.size ? (2 * shared) / (tx.size + ty.size) : 0;
    // every word of one inside the other ("Plan" in "Treatment Plan", "plan" in "soapPlanText"): a rename
    // that kept the meaning
    const contained = shared && shared === Math.min(tx.size, ty.size) ? CONTAINED : 0;
    const best = Math.max(dice, contained);
    const lx = Math.min(x.length, 64);
    const ly = Math.min(y.length, 64);
    if (Math.min(lx, ly) / Math.max(lx, ly) <= best) return best; // edit distance cannot beat it: skip it
    return Math.max(best, 1 - levenshtein(x, y) / Math.max(lx, ly));
  }

  function setSimilarity(a, b) {
    if (!a.length || !b.length) return 0;
    const sb = new Set(b);
    const shared = a.filter((c) => sb.has(c)).length;
    return shared / new Set([...a, ...b]).size;
  }

  function attributeSimilarity(key, want, have) {
    if (key === "classes") return setSimilarity(want, have || []);
    if (key === "tag" || key === "type" || key === "role") return dom.norm(want) === dom.norm(have) ? 1 : 0;
    if (key === "id") return textSimilarity(String(want).replace(/\d+/g, "#"), String(have).replace(/\d+/g, "#"));
    return textSimilarity(want, have);
  }

  const has = (want) => !(want == null || want === "" || (Array.isArray(want) && !want.length));

  /** Weighted similarity of an element to a fingerprint, 0..1 (attributes the fingerprint lacks are ignored).
   * With `floor`, a candidate that cannot reach it even if its costly text attributes matched fully is not
   * scored further and gets its lower bound. */
  function score(fp, el, floor = 0) {
    let total = 0;
    let got = 0;
    let pending = 0;
    for (const key of CHEAP) {
      if (!has(fp[key])) continue;
      total += WEIGHTS[key];
      got += WEIGHTS[key] * attributeSimilarity(key, fp[key], READERS[key](el));
    }
    for (const key of COSTLY) if (has(fp[key])) { total += WEIGHTS[key]; pending += WEIGHTS[key]; }
    if (!total) return 0;
    for (const key of COSTLY) {
      if (floor > 0 && (got + pending) / total < floor) return got / total; // cannot reach the floor any more
      if (!has(fp[key])) continue;
      pending -= WEIGHTS[key];
      got += WEIGHTS[key] * attributeSimilarity(key, fp[key], READERS[key](el));
    }
    return got / total;
  }

  function isFieldLike(fp) {
    return FIELD_TAGS.has(fp.tag) || fp.role === "textbox" || fp.role === "combobox";
  }

  function candidateSelector(fp) {
    const tag = fp.tag && /^[a-z][a-z0-9-]*$/.test(fp.tag) ? fp.tag : "*";
    return isFieldLike(fp) ? `${tag}, ${dom.EDITABLE}` : tag;
  }

  /** Score every plausible element on the page (iframes and shadow roots included); best first. */
  function rank(fp, root, floor = 0) {
    const selector = candidateSelector(fp);
    const scored = [];
    for (const scope of dom.deepRoots(root)) {
      for (const el of scope.querySelectorAll(selector)) {
        if (scored.length >= MAX_CANDIDATES) break;
        scored.push({ element: el, score: score(fp, el, floor) });
      }
    }
    scored.sort((a, b) => b.score - a.score);
    return scored;
  }

  /** Accept exactly one candidate above min_score that leads the runner-up by min_margin. */
  function fallback(fp, root, acceptance) {
    const minScore = acceptance && acceptance.min_score != null ? acceptance.min_score : 0.7;
    const minMargin = acceptance && acceptance.min_margin != null ? acceptance.min_margin : 0.15;
    // Below min_score - min_margin a candidate can neither win nor block the winner: no need to score it fully.
    const ranked = rank(fp, root, Math.max(0, minScore - minMargin));
    const best = ranked[0];
    const runnerUp = ranked[1] ? ranked[1].score : 0;
    const rounded = (x) => Math.round(x * 1000) / 1000;
    if (!best || best.score < minScore) {
      return { status: "missing", element: null, score: best ? rounded(best.score) : 0, runnerUp: rounded(runnerUp) };
    }
    if (best.score - runnerUp < minMargin) {
      return { status: "ambiguous", element: null, score: rounded(best.score), runnerUp: rounded(runnerUp) };
    }
    return { status: "found", element: best.element, score: rounded(best.score), runnerUp: rounded(runnerUp) };
  }

  return { WEIGHTS, TEST_ID_ATTRS, TEXT_ROLES, looksGenerated, testIdOf, stableClasses, fingerprintOf, textSimilarity, score,
    rank, fallback };
})();
