// Invented patients for the Shepherd-like replica (no real animals or owners).
export const PATIENTS = [
  {
    id: "sh-71", name: "Noodle", species: "Ferret", breed: "Sable", sex: "Male (neutered)", dob: "2022-03-08",
    weight: "2.9 lb", lastVisit: "2026-09-18",
    medications: ["Deslorelin implant 4.7 mg", "Prednisolone 1 mg PO q24h"],
    allergies: ["Ketamine (prolonged recovery)"], problems: ["Adrenal gland disease"],
  },
  {
    id: "sh-72", name: "Maple", species: "Canine", breed: "Golden Retriever", sex: "Female (spayed)", dob: "2016-11-27",
    weight: "68 lb", lastVisit: "2026-11-11",
    medications: ["Levothyroxine 0.5 mg PO q12h", "Fish oil 1000 mg PO q24h", "Trazodone 100 mg PO PRN"],
    allergies: [], problems: ["Hypothyroidism", "Noise phobia"],
  },
  {
    id: "sh-73", name: "Pip", species: "Caprine", breed: "Nigerian Dwarf", sex: "Female", dob: "2021-04-15",
    weight: "31 kg", lastVisit: "2026-08-02",
    medications: ["Fenbendazole 10 mg/kg PO once"],
    allergies: ["Penicillin"], problems: ["Mild lameness, right hind"],
  },
];

/** The patient with this id, or undefined. */
export function findPatient(id) {
  return PATIENTS.find((p) => p.id === id);
}
