// Invented patients for the Covetrus Pulse-like replica (no real animals or owners).
export const PATIENTS = [
  {
    id: "p-501", name: "Rosie", species: "Dog", breed: "Border Collie", sex: "Female spayed", dob: "2019-04-11",
    weight: "41.2 lb", lastVisit: "2026-10-14",
    medications: ["Apoquel 16 mg PO q24h", "Simparica Trio 20-40 kg monthly"],
    allergies: ["Cephalexin"], problems: ["Atopic dermatitis"],
  },
  {
    id: "p-502", name: "Tiberius", species: "Cat", breed: "Maine Coon", sex: "Male neutered", dob: "2012-09-23",
    weight: "6.1 kg", lastVisit: "2026-11-02",
    medications: ["Amlodipine 0.625 mg PO q24h", "Renal diet"],
    allergies: [], problems: ["Chronic kidney disease stage 2", "Hypertension"],
  },
  {
    id: "p-503", name: "Kiwi", species: "Bird", breed: "Cockatiel", sex: "Male", dob: "2020-02-02",
    weight: "92 g", lastVisit: "2026-07-30",
    medications: [],
    allergies: ["Enrofloxacin (regurgitation)"], problems: ["Feather plucking"],
  },
  {
    id: "p-504", name: "Bruno", species: "Dog", breed: "French Bulldog", sex: "Male intact", dob: "2023-06-05",
    weight: "27.5 lb", lastVisit: "2026-11-20",
    medications: ["Gabapentin 100 mg PO q12h"],
    allergies: ["Chicken protein"], problems: ["Brachycephalic obstructive airway syndrome"],
  },
];

/** The patient with this id, or undefined. */
export function findPatient(id) {
  return PATIENTS.find((p) => p.id === id);
}
