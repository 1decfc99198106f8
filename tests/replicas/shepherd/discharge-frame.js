// Inside the Shepherd-like discharge page's same-origin iframe: TinyMCE 8 (self-hosted, GPL key) on a textarea.
// The drift variant renames the textarea's id and name; the label text stays.
const drift = new URLSearchParams(location.search).get("drift") === "1";
const editorId = drift ? "dc-body" : "discharge-instructions";
const box = document.querySelector("textarea");
box.id = editorId;
box.name = drift ? "dc_body" : "discharge_instructions";
const label = document.getElementById("discharge-label");
label.htmlFor = editorId;
label.textContent = "Discharge instructions";
window.__dischargeEditorId = editorId;
// never submits (was an inline onsubmit; moved here so the strict-CSP variant has no inline script)
document.getElementById("discharge-form").addEventListener("submit", (event) => event.preventDefault());

window.tinymce.init({
  target: box,
  license_key: "gpl",
  base_url: "/_replica/assets/tinymce",
  suffix: ".min",
  plugins: "lists",
  menubar: false,
  toolbar: "bold italic bullist",
  promotion: false,
  branding: false,
  height: 260,
});
