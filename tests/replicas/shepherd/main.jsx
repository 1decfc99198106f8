// Shepherd-like replica: a React app with data-test-id attributes everywhere, a single rich Patient Note on
// TipTap/ProseMirror, an addendum on Lexical inside a react-modal dialog, and a discharge page whose TinyMCE
// lives in a same-origin iframe. The drift variant renames test ids, ids and classes, reorders the header facts
// and rewords the note's heading and label.
import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import Modal from "react-modal";
import { appPath, config, hiddenFields, hideFieldByName, installReplica, navigate, onHideField } from "../common/replica.js";
import { EDITORS, LexicalField, TinyMceFrame, TipTapNote } from "./editors.jsx";
import { PATIENTS, findPatient } from "./patients.js";
import "./style.css";

const drift = config.drift;
// test id → drifted test id (prefix "pt-" and a few renames)
const RENAMED = {
  "note-content": "patient-note-editor", "patient-note": "medical-note-card", "discharge-frame": "dc-frame",
  "add-addendum-button": "addendum-open", "addendum-content": "addendum-editor", "save-note-button": "note-save",
};
const tid = (id) => (drift ? RENAMED[id] || `pt-${id}` : id);
const NOTE_LABEL = drift ? "Medical Note" : "Patient Note";

let shown = null; // {patient, page} for window.__replica.patient()
let ready = false;

function Link({ to, children, ...rest }) {
  return <a href={config.base + to} onClick={(e) => { e.preventDefault(); navigate(to); }} {...rest}>{children}</a>;
}

function Fact({ id, label, value }) {
  return (
    <div className={drift ? "hdr-fact" : "patient-fact"}>
      <span className="fact-label">{label}</span> <span data-test-id={tid(id)}>{value}</span>
    </div>
  );
}

function ChartList({ id, title, items, empty }) {
  return (
    <div className="chart-list" data-test-id={tid(id)}>
      <h4>{title}</h4>
      <ul>{items.length ? items.map((i) => <li key={i} data-test-id={tid(`${id}-item`)}>{i}</li>) : <li>{empty}</li>}</ul>
    </div>
  );
}

function PatientHeader({ patient }) {
  const facts = [
    <Fact key="name" id="patient-name" label="Name" value={patient.name} />,
    <Fact key="id" id="patient-id" label="ID" value={patient.id} />,
    <Fact key="species" id="patient-species" label="Species" value={patient.species} />,
    <Fact key="breed" id="patient-breed" label="Breed" value={patient.breed} />,
    <Fact key="sex" id="patient-sex" label="Sex" value={patient.sex} />,
    <Fact key="dob" id="patient-dob" label="DOB" value={patient.dob} />,
    <Fact key="weight" id="patient-weight" label="Weight" value={patient.weight} />,
    <Fact key="last" id="last-visit" label="Last visit" value={patient.lastVisit} />,
  ];
  if (drift) facts.reverse();
  return (
    <section data-test-id={tid("patient-header")} className={drift ? "hdr" : "patient-header"}>
      <div className="facts">{facts}</div>
      <div className="chart-lists">
        <ChartList id="patient-medications" title="Medications" items={patient.medications} empty="None" />
        <ChartList id="patient-allergies" title="Allergies" items={patient.allergies} empty="NKA" />
        <ChartList id="patient-problems" title="Problems" items={patient.problems} empty="None" />
      </div>
    </section>
  );
}

function AddendumDialog({ open, onClose }) {
  return (
    <Modal isOpen={open} onRequestClose={onClose} contentLabel="Addendum" data={{ "test-id": tid("addendum-modal") }}
      className="modal" overlayClassName="modal-overlay" ariaHideApp={false}>
      <h3>Addendum</h3>
      <LexicalField name="addendum" attributes={{ "data-test-id": tid("addendum-content"), "aria-label": "Addendum" }} />
      <div className="actions">
        <button type="button" data-test-id={tid("save-addendum-button")} data-replica-save="save-addendum">Save addendum</button>
        <button type="button" data-test-id={tid("close-addendum-button")} onClick={onClose}>Close</button>
      </div>
    </Modal>
  );
}

function ChartPage({ patient }) {
  const [addendum, setAddendum] = useState(false);
  const [, setHiddenCount] = useState(hiddenFields.size);
  useEffect(() => onHideField(() => setHiddenCount(hiddenFields.size)), []);
  useEffect(() => { ready = true; return () => { ready = false; }; }, []);
  return (
    <>
      <section className={drift ? "card-note" : "patient-note-card"} data-test-id={tid("patient-note")}>
        <h3 id="patient-note-heading">{NOTE_LABEL}</h3>
        {!hiddenFields.has("note") && <TipTapNote name="note" attributes={{ "data-test-id": tid("note-content"), "aria-label": NOTE_LABEL }} />}
        <div className="actions">
          <button type="button" data-test-id={tid("save-note-button")} data-replica-save="save-note">Save note</button>
          <button type="button" data-test-id={tid("sign-note-button")} data-replica-save="sign-note">Sign</button>
          <button type="button" data-test-id={tid("add-addendum-button")} onClick={() => setAddendum(true)}>Add addendum</button>
        </div>
      </section>
      <AddendumDialog open={addendum} onClose={() => setAddendum(false)} />
    </>
  );
}

function DischargePage() {
  useEffect(() => { ready = true; return () => { ready = false; }; }, []);
  return (
    <section className="discharge" data-test-id={tid("discharge-page")}>
      <h3>Discharge instructions</h3>
      <TinyMceFrame name="plan" frameTestId={tid("discharge-frame")} drift={drift} />
      <button type="button" data-test-id={tid("send-discharge-button")} data-replica-save="send-discharge">Send to client</button>
    </section>
  );
}

function currentRoute() {
  const match = appPath().match(/^\/patients\/([\w-]+)\/(chart|discharge)/);
  const patient = match ? findPatient(match[1]) : null;
  return patient ? { patient, page: match[2] } : null;
}

function App() {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const onPop = () => setRoute(currentRoute());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  shown = route;
  const patient = route && route.patient;
  return (
    <div className="shell">
      <aside className="patients" data-test-id={tid("patient-list")}>
        <h3>Today</h3>
        <ul>{PATIENTS.map((p) => (
          <li key={p.id}><Link to={`/patients/${p.id}/chart`} data-test-id={tid("patient-list-item")}>{p.name}</Link></li>
        ))}</ul>
      </aside>
      {patient ? (
        <main key={`${patient.id}/${route.page}`}>
          <PatientHeader patient={patient} />
          <nav className="tabs">
            <Link to={`/patients/${patient.id}/chart`} data-test-id={tid("tab-chart")}>Chart</Link>
            <Link to={`/patients/${patient.id}/discharge`} data-test-id={tid("tab-discharge")}>Discharge</Link>
          </nav>
          {route.page === "chart" ? <ChartPage patient={patient} /> : <DischargePage />}
        </main>
      ) : <main><p>Pick a patient.</p></main>}
    </div>
  );
}

installReplica({
  read: (name) => (EDITORS[name] ? EDITORS[name].read() : null),
  readHtml: (name) => (EDITORS[name] ? EDITORS[name].readHtml() : null),
  patient: () => (shown ? { ...shown.patient, page: shown.page } : null),
  fields: () => Object.keys(EDITORS).sort(),
  editor: (name) => (EDITORS[name] ? EDITORS[name].instance || null : null),
  kind: (name) => (EDITORS[name] ? EDITORS[name].kind : null),
  element: (name) => (EDITORS[name] ? EDITORS[name].element() : null),
  hideField: (name) => name === "note" && Boolean(EDITORS.note) && hideFieldByName(name),
  isReady: () => ready && (shown && shown.page === "discharge" ? Boolean(EDITORS.plan && EDITORS.plan.instance) : Boolean(EDITORS.note) || hiddenFields.has("note")),
});
Modal.setAppElement("#root");
createRoot(document.getElementById("root")).render(<App />);
