// React 19 controlled <input>, <textarea> and <select>; state is mirrored to window.__lab.state() on every render.
import { useState } from "react";
import { createRoot } from "react-dom/client";
import { publish, app } from "./common.js";

let latest = {};
function Form() {
  const [name, setName] = useState("");
  const [notes, setNotes] = useState("Existing clinician note");
  const [species, setSpecies] = useState("canine");
  const [renders, setRenders] = useState(0);
  latest = { name, notes, species, renders };
  return (
    <form onSubmit={(e) => e.preventDefault()}>
      <input id="name" value={name} onChange={(e) => setName(e.target.value)} />
      <textarea id="notes" rows={6} value={notes} onChange={(e) => setNotes(e.target.value)} />
      <select id="species" value={species} onChange={(e) => setSpecies(e.target.value)}>
        <option value="canine">Dog</option>
        <option value="feline">Cat</option>
      </select>
      <button type="button" id="rerender" onClick={() => setRenders((n) => n + 1)}>Re-render</button>
      <output id="renders">{renders}</output>
    </form>
  );
}

createRoot(app()).render(<Form />);
publish({ state: () => latest });
