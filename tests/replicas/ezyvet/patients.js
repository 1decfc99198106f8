// Invented patients for the ezyVet-like replica (no real animals or owners).
export const PATIENTS = [
  {
    id: "10231", name: "Biscuit", species: "Canine", breed: "Labrador Retriever", sex: "Male (Neutered)",
    dob: "2018-03-14", weight: "32.4 kg", owner: "Harriet Quill", phone: "555-0141",
    medications: [
      { name: "Carprofen 75 mg tablet", dose: "1 tablet", frequency: "q12h PO", start: "2026-09-02" },
      { name: "Omeprazole 20 mg capsule", dose: "1 capsule", frequency: "q24h PO", start: "2026-09-02" },
    ],
    alerts: ["ALLERGY: Penicillin (hives)"], problems: ["Osteoarthritis, left elbow", "Obesity"],
    history: [{ date: "2026-09-02", summary: "Lameness recheck" }],
  },
  {
    id: "10232", name: "Mochi", species: "Feline", breed: "Domestic Shorthair", sex: "Female (Spayed)",
    dob: "2013-07-02", weight: "9.8 lb", owner: "Tomas Ferreira", phone: "555-0177",
    medications: [{ name: "Methimazole 2.5 mg tablet", dose: "1 tablet", frequency: "q12h PO", start: "2026-06-20" }],
    alerts: ["ALLERGY: Chlorhexidine (contact dermatitis)"], problems: ["Hyperthyroidism"],
    history: [{ date: "2026-06-20", summary: "T4 recheck" }, { date: "2025-11-04", summary: "Dental" }],
  },
  {
    id: "10233", name: "Clover", species: "Rabbit", breed: "Netherland Dwarf", sex: "Female (Entire)",
    dob: "2022-01-19", weight: "2.6 lb", owner: "Priya Anand", phone: "555-0102",
    medications: [],
    alerts: ["No known allergies"], problems: ["Dental malocclusion"],
    history: [{ date: "2026-08-15", summary: "Incisor trim" }],
  },
  {
    id: "10234", name: "Juniper", species: "Equine", breed: "Quarter Horse", sex: "Mare",
    dob: "2011-05-30", weight: "1120 lb", owner: "Dale Whitcombe", phone: "555-0190",
    medications: [{ name: "Phenylbutazone 1 g paste", dose: "2 g", frequency: "q24h PO", start: "2026-10-28" }],
    alerts: ["ALLERGY: Trimethoprim-sulfa"], problems: ["Navicular syndrome"],
    history: [{ date: "2026-10-28", summary: "Lameness exam" }],
  },
];

/** The patient with this id, or undefined. */
export function findPatient(id) {
  return PATIENTS.find((p) => p.id === String(id));
}
