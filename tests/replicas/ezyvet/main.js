// ezyVet-like replica: a jQuery page with generated numeric id suffixes, patient/owner sidebars, clinical tabs,
// a medications table and the "Add History" popup whose plain textarea receives the note. The drift variant
// renames ids, classes and test ids, reorders siblings and rewords labels (see NAMES below).
import $ from "jquery";
import { appPath, config, installReplica, navigate, randomSuffix } from "../common/replica.js";
import { PATIENTS, findPatient } from "./patients.js";
import "./style.css";

// ezyVet pages carry jQuery as a global; so does the replica.
window.jQuery = window.$ = $;

// Every id/class/test id/label the drift variant changes, in one place.
const NAMES = config.drift
  ? {
      patientSide: "animalSummaryPanel", ownerSide: "clientSummaryPanel", medNotes: "clinicalAlerts",
      meds: "activeDrugs", problems: "conditionsList", history: "visitLog", sideClass: "summaryBox",
      tabClass: "tabPane", addHistory: "add-history-entry", popup: "dialogForm", comments: "historyentry_notes",
      summary: "historyentry_summary", save: "commitRecord", cancel: "dismissRecord",
      commentsLabel: "History notes", weightLabel: "Body weight:", speciesLabel: "Species:",
    }
  : {
      patientSide: "patientSideBar", ownerSide: "ownerSideBar", medNotes: "medicalnotesNotes",
      meds: "currentMedications", problems: "problemListing", history: "historyList", sideClass: "sideBar",
      tabClass: "rtabdetails", addHistory: "AddHistory", popup: "popupForm", comments: "visithistorydata_comments",
      summary: "visithistorydata_summary", save: "saveRecord", cancel: "cancelRecord",
      commentsLabel: "Comments", weightLabel: "Weight:", speciesLabel: "Species:",
    };

let current = null; // the patient on screen
let popupOpen = false;

function esc(text) {
  return $("<div>").text(text).html();
}

function row(label, value) {
  return `<div class="sideBarRow"><span class="sideBarLabel">${esc(label)}</span> <span class="sideBarValue">${esc(value)}</span></div>`;
}

function patientSidebar(p, n) {
  const rows = [
    row("Patient ID:", p.id), row("Name:", p.name), row(NAMES.speciesLabel, p.species), row("Breed:", p.breed),
    row("Sex:", p.sex), row("Date of Birth:", p.dob), row(NAMES.weightLabel, p.weight),
  ];
  if (config.drift) rows.reverse(); // siblings reordered
  return `<div id="${NAMES.patientSide}-${n}" class="${NAMES.sideClass} patient"><h4>Animal</h4>${rows.join("")}</div>`;
}

function ownerSidebar(p, n) {
  return `<div id="${NAMES.ownerSide}-${n}" class="${NAMES.sideClass} owner"><h4>Client</h4>${row("Owner:", p.owner)}${row("Phone:", p.phone)}</div>`;
}

function medicationsTable(p, n) {
  const rows = p.medications.length
    ? p.medications.map((m) => `<tr><td>${esc(m.name)}</td><td>${esc(m.dose)}</td><td>${esc(m.frequency)}</td><td>${esc(m.start)}</td></tr>`).join("")
    : `<tr class="emptyRow"><td colspan="4">No current medications</td></tr>`;
  return `<table id="${NAMES.meds}-${n}" class="medicationsTable"><caption>Current Medications</caption>
    <thead><tr><th>Product</th><th>Dose</th><th>Frequency</th><th>Started</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function clinicalTab(p, n) {
  const alerts = p.alerts.map((a) => `<li>${esc(a)}</li>`).join("");
  const problems = p.problems.map((a) => `<li>${esc(a)}</li>`).join("");
  const history = p.history.map((h) => `<li><span class="historyDate">${esc(h.date)}</span> ${esc(h.summary)}</li>`).join("");
  const parts = [
    `<div id="${NAMES.medNotes}-${n}" class="medicalNotes"><h5>Medical Notes</h5><ul>${alerts}</ul></div>`,
    `<div id="${NAMES.problems}-${n}" class="problems"><h5>Problems</h5><ul>${problems}</ul></div>`,
    medicationsTable(p, n),
    `<div id="${NAMES.history}-${n}" class="history"><h5>History</h5><ul>${history}</ul></div>`,
  ];
  if (config.drift) parts.reverse();
  return `<div class="${NAMES.tabClass} clinical active" id="clinicalTab-${n}">
    <div class="toolbar"><button type="button" class="button" data-testid="${NAMES.addHistory}" id="addHistoryButton-${n}">Add History</button></div>
    ${parts.join("")}</div>`;
}

function renderRecord(p) {
  const n = randomSuffix();
  const sidebars = [patientSidebar(p, n), ownerSidebar(p, n)];
  if (config.drift) sidebars.reverse();
  $("#recordArea").html(`<div class="recordView" id="animalRecord-${n}">
    <div class="sideBars">${sidebars.join("")}</div>
    <div class="rtabs"><ul class="rtablist"><li class="rtab clinical active">Clinical</li><li class="rtab financial">Financial</li></ul>
      ${clinicalTab(p, n)}
      <div class="${NAMES.tabClass} financial" id="financialTab-${n}"><p>No invoices.</p></div>
    </div></div>`);
}

function renderHome() {
  $("#recordArea").html(`<div class="dashboard"><h2>Dashboard</h2><p>Select an animal from Recent Records.</p></div>`);
}

function field(label, id, control) {
  return `<div class="formRow"><label for="${id}">${esc(label)}</label>${control}</div>`;
}

function popupHtml(p) {
  const m = randomSuffix();
  const summaryId = `${NAMES.summary}-${m}`;
  const commentsId = `${NAMES.comments}-${m}`;
  const rows = [
    field("Summary", summaryId, `<input type="text" id="${summaryId}" name="${NAMES.summary}" class="formInput">`),
    field(NAMES.commentsLabel, commentsId, `<textarea id="${commentsId}" name="${NAMES.comments}" rows="12" class="formInput"></textarea>`),
  ];
  if (config.drift) rows.reverse();
  return `<div id="${NAMES.popup}-${m}" class="popupForm" role="dialog" aria-labelledby="popupTitle-${m}">
    <div class="popupTitle" id="popupTitle-${m}">New History for ${esc(p.name)} (${esc(p.id)})</div>
    <form id="historyForm-${m}" onsubmit="return false">
      ${field("Date", `historyDate-${m}`, `<input type="text" id="historyDate-${m}" name="historydate" value="2026-12-04" class="formInput">`)}
      ${rows.join("")}
      <div class="popupButtons">
        <button type="button" id="${NAMES.save}-${m}" class="button save" data-replica-save="history-save">Save</button>
        <button type="button" id="${NAMES.cancel}-${m}" class="button cancel">Cancel</button>
      </div>
    </form></div>`;
}

function closePopup() {
  $(".popupForm").remove();
  popupOpen = false;
}

// The popup arrives after a simulated server round trip, like ezyVet's ajax-loaded forms.
function openHistoryPopup() {
  if (!current || popupOpen) return;
  const patient = current;
  setTimeout(() => {
    if (current !== patient) return;
    closePopup();
    $("body").append(popupHtml(patient));
    popupOpen = true;
  }, 250);
}

function route() {
  closePopup();
  const match = appPath().match(/^\/patient\/(\d+)/);
  current = match ? findPatient(match[1]) || null : null;
  if (current) renderRecord(current);
  else renderHome();
}

function commentsBox() {
  const box = $(`.popupForm textarea[name="${NAMES.comments}"]`);
  return box.length === 1 ? box[0] : null;
}

function read(fieldName) {
  if (fieldName === "note") return commentsBox() ? commentsBox().value : null;
  if (fieldName === "summary") {
    const input = $(`.popupForm input[name="${NAMES.summary}"]`);
    return input.length ? input.val() : null;
  }
  return null;
}

function boot() {
  const links = PATIENTS.map((p) => `<li><a class="recentRecord" href="${config.base}/patient/${p.id}" data-record="${p.id}">${esc(p.name)}</a></li>`).join("");
  $("#recentRecords").html(`<h3>Recent Records</h3><ul>${links}</ul>`);
  $(document).on("click", "a.recentRecord", function (event) {
    event.preventDefault();
    navigate(`/patient/${$(this).data("record")}`);
  });
  $(document).on("click", "[data-testid]", function () {
    if ($(this).text().trim() === "Add History") openHistoryPopup();
  });
  $(document).on("click", ".popupForm .cancel", closePopup);
  window.addEventListener("popstate", route);
  installReplica({
    read,
    readHtml: read,
    patient: () => (current ? { ...current } : null),
    fields: () => (commentsBox() ? ["note", "summary"] : []),
    editor: (name) => (name === "note" ? commentsBox() : null),
    hideField: (name) => {
      const box = name === "note" ? commentsBox() : null;
      if (box) $(box).closest(".formRow").remove();
      return Boolean(box);
    },
    kind: (name) => (name === "note" && commentsBox() ? "textarea" : null),
    element: (name) => (name === "note" ? commentsBox() : null),
    isReady: () => true,
  });
  route();
}

$(boot);
