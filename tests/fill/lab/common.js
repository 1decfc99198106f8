// Shared lab plumbing: a status flag tests wait for, and an empty-paragraph rule for read-backs.
export function publish(api) {
  window.__lab = { ...api, ready: true };
  document.body.setAttribute("data-lab-ready", "1");
}

export function app() {
  return document.getElementById("app");
}

/** Lines from paragraph texts, where a lone NBSP (an editor's empty-paragraph filler) counts as empty. */
export function joinLines(lines) {
  return lines.map((l) => (l.replace(/\u00a0/g, " ").trim() === "" ? "" : l)).join("\n");
}
