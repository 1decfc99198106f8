// Covetrus Pulse-like replica: a React 19 single-page app. The visit page loads its SOAP form late (simulated
// fetch), uses CKEditor 5 and Quill 2 for the SOAP sections, React-controlled textareas for the exam by body
// system (a visit timer re-renders the form twice a second, so writes that bypass React are lost), and one exam
// field inside an open shadow root. The drift variant renames ids and classes, reorders siblings and rewords a label.
import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { appPath, config, hiddenFields, hideFieldByName, installReplica, navigate, onHideField } from "../common/replica.js";
import { CkField, ControlledTextarea, EDITORS, QuillField, ShadowTextarea } from "./editors.jsx";
import { PATIENTS, findPatient } from "./patients.js";
import "./style.css";

const drift = config.drift;
const ID = drift ? "nf" : "soap"; // id prefix of the form's sections
const SECTION = drift ? "nf-block" : "soap-section";
const LABELS = {
  subjective: "Subjective", objective: "Objective", assessment: drift ? "Clinical impression" : "Assessment", plan: "Plan",
};
const EXAM = [
  ["exam_general", "General appearance"],
  ["exam_cardiovascular", "Cardiovascular"],
  ["exam_respiratory", "Respiratory"],
  ["exam_musculoskeletal", "Musculoskeletal"],
];
const FETCH_DELAY_MS = 600;

let shownPatient = null; // for window.__replica.patient()
let formReady = false;

function Link({ to, children, ...rest }) {
  return (
    <a href={config.base + to} onClick={(e) => { e.preventDefault(); navigate(to); }} {...rest}>{children}</a>
  );
}

function Fact({ label, value, slug }) {
  return (
    <div className="fact">
      <dt id={`fact-${slug}`}>{label}</dt>
      <dd aria-labelledby={`fact-${slug}`}>{value}</dd>
    </div>
  );
}

function ListSection({ title, slug, items, empty }) {
  return (
    <section aria-labelledby={`${slug}-heading`} className="chart-list">
      <h3 id={`${slug}-heading`}>{title}</h3>
      <ul aria-labelledby={`${slug}-heading`}>
        {items.length ? items.map((item) => <li key={item}>{item}</li>) : <li className="empty">{empty}</li>}
      </ul>
    </section>
  );
}

function PatientBanner({ patient }) {
  const facts = [
    <Fact key="name" slug="name" label="Patient" value={patient.name} />,
    <Fact key="id" slug="id" label="Patient ID" value={patient.id} />,
    <Fact key="species" slug="species" label="Species" value={patient.species} />,
    <Fact key="breed" slug="breed" label="Breed" value={patient.breed} />,
    <Fact key="sex" slug="sex" label="Sex" value={patient.sex} />,
    <Fact key="dob" slug="dob" label="Date of birth" value={patient.dob} />,
    <Fact key="weight" slug="weight" label="Weight" value={patient.weight} />,
    <Fact key="last" slug="last-visit" label="Last visit" value={patient.lastVisit} />,
  ];
  if (drift) facts.reverse();
  return (
    <section aria-label="Patient summary" className={drift ? "pt-card" : "patient-banner"}>
      <h2>{patient.name}</h2>
      <dl>{facts}</dl>
      <div className="chart-lists">
        <ListSection title="Current medications" slug="medications" items={patient.medications} empty="None recorded" />
        <ListSection title="Allergies" slug="allergies" items={patient.allergies} empty="No known allergies" />
        <ListSection title="Active problems" slug="problems" items={patient.problems} empty="None" />
      </div>
    </section>
  );
}

function useVisitTimer() {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setSeconds((s) => s + 0.5), 500);
    return () => clearInterval(timer);
  }, []);
  return seconds;
}

function SoapForm() {
  const seconds = useVisitTimer();
  const [exam, setExam] = useState({ exam_oral: "" });
  const [complaint, setComplaint] = useState("");
  const setField = (name, value) => setExam((prev) => ({ ...prev, [name]: value }));
  const [, setHiddenCount] = useState(hiddenFields.size);
  useEffect(() => onHideField(() => setHiddenCount(hiddenFields.size)), []);
  const shown = (name) => !hiddenFields.has(name);
  useEffect(() => { formReady = true; return () => { formReady = false; }; }, []);
  const examRows = EXAM.filter(([name]) => shown(name)).map(([name, label]) => (
    <ControlledTextarea key={name} name={name} label={label} id={`${ID}-${name}`} value={exam[name] || ""} onChange={setField} />
  ));
  if (drift) examRows.reverse();
  return (
    <form aria-label="SOAP note" className={drift ? "nf-form" : "soap-form"} onSubmit={(e) => e.preventDefault()}>
      <div className="visit-timer" role="timer" aria-label="Visit time">{Math.floor(seconds)} s</div>
      <div className="exam-row">
        <label htmlFor={`${ID}-complaint`}>Chief complaint</label>
        <input id={`${ID}-complaint`} name="chief_complaint" value={complaint} onChange={(e) => setComplaint(e.target.value)} />
      </div>
      {shown("subjective") && <CkField name="subjective" label={LABELS.subjective} id={`${ID}-subjective`} className={SECTION} />}
      {shown("objective") && <QuillField name="objective" label={LABELS.objective} id={`${ID}-objective`} className={SECTION} />}
      <fieldset className={drift ? "nf-exam" : "exam-by-system"}>
        <legend>Physical exam</legend>
        {examRows}
        {shown("exam_oral") && <ShadowTextarea name="exam_oral" label="Oral cavity" id="oral-notes" value={exam.exam_oral} onChange={setField} rows={2} />}
      </fieldset>
      {shown("assessment") && <CkField name="assessment" label={LABELS.assessment} id={`${ID}-assessment`} className={SECTION} />}
      {shown("plan") && <QuillField name="plan" label={LABELS.plan} id={`${ID}-plan`} className={SECTION} />}
      <div className="form-actions">
        <button type="button" data-replica-save="save-draft">Save draft</button>
        <button type="button" data-replica-save="sign">Sign and finalize</button>
      </div>
    </form>
  );
}

function VisitPage({ patient }) {
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setLoaded(true), FETCH_DELAY_MS); // the simulated visit fetch
    return () => clearTimeout(timer);
  }, []);
  return (
    <main>
      <PatientBanner patient={patient} />
      {loaded ? <SoapForm /> : <div role="status" className="loading">Loading visit…</div>}
    </main>
  );
}

function PatientList() {
  return (
    <main><h2>Patients</h2><p>Choose a patient in the list.</p></main>
  );
}

function currentRoute() {
  const match = appPath().match(/^\/patients\/([\w-]+)\/visit/);
  return match ? findPatient(match[1]) || null : null;
}

function App() {
  const [patient, setPatient] = useState(currentRoute);
  useEffect(() => {
    const onPop = () => setPatient(currentRoute());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  shownPatient = patient;
  return (
    <div className="app">
      <header className="topbar">Covetrus Pulse (replica for tests — invented data)</header>
      <div className="body">
        <nav aria-label="Patients" className="patient-nav">
          <ul>{PATIENTS.map((p) => <li key={p.id}><Link to={`/patients/${p.id}/visit`}>{p.name}</Link></li>)}</ul>
        </nav>
        {patient ? <VisitPage key={patient.id} patient={patient} /> : <PatientList />}
      </div>
    </div>
  );
}

installReplica({
  read: (name) => (EDITORS[name] ? EDITORS[name].read() : null),
  readHtml: (name) => (EDITORS[name] ? EDITORS[name].readHtml() : null),
  patient: () => (shownPatient ? { ...shownPatient } : null),
  fields: () => Object.keys(EDITORS).sort(),
  editor: (name) => (EDITORS[name] ? EDITORS[name].instance || null : null),
  kind: (name) => (EDITORS[name] ? EDITORS[name].kind : null),
  element: (name) => (EDITORS[name] ? EDITORS[name].element() : null),
  hideField: (name) => Boolean(EDITORS[name]) && hideFieldByName(name),
  isReady: () => formReady && ["subjective", "objective", "assessment", "plan", "exam_oral"].every((f) => hiddenFields.has(f) || EDITORS[f]),
});
createRoot(document.getElementById("root")).render(<App />);
