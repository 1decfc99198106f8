"""The embedded engine's extraction: vitals, medications, status, negation, structured equine findings."""

from companion.context.model import PatientContext
from companion.notes import draft_note

BASE = "Dr: This is a dog presenting for a check. Owner: He has been limping since Monday on the left leg.\n"


def _meds(note):
    return {o.drug: o for o in note.medications}


def test_vitals_in_words_and_units():
    note = draft_note(BASE + "Dr: Temp is one oh one point five, heart rate one twenty, resp rate twenty-four. "
                             "He weighs 22.4 kilos. BCS five out of nine. Mucous membranes pink and moist, "
                             "CRT less than two seconds. Pain score 2 out of 4.")
    vitals = {v.name: v for v in note.vitals}
    assert vitals["temperature"].value == 101.5 and vitals["temperature"].unit == "°F"
    assert vitals["heart_rate"].value == 120 and vitals["respiratory_rate"].value == 24
    assert vitals["weight"].value == 22.4 and vitals["weight"].unit == "kg"
    assert (vitals["body_condition_score"].value, vitals["body_condition_score"].scale) == (5, 9)
    assert vitals["mucous_membranes"].value == "pink and moist"
    assert vitals["crt"].value == 2 and vitals["pain_score"].scale == 4
    assert vitals["temperature"].said == "Temp is one oh one point five"


def test_celsius_and_provenance_points_at_the_words():
    note = draft_note(BASE + "Tech: T 38.9 C and HR 110 bpm.")
    temperature = next(v for v in note.vitals if v.name == "temperature")
    assert (temperature.value, temperature.unit) == (38.9, "°C")
    prov = temperature.provenance[0]
    segment_text = "T 38.9 C and HR 110 bpm."
    assert segment_text[prov.start:prov.end] == "T 38.9 C"


def test_prescription_with_dose_route_frequency_duration_and_self_correction():
    note = draft_note(BASE + "Dr: We'll start carprofen fifty, no, make that twenty-five milligrams by mouth "
                             "twice daily for seven days.")
    order = _meds(note)["carprofen"]
    assert (order.dose, order.unit, order.route, order.frequency, order.duration, order.status) == \
        (25, "mg", "PO", "BID", "7 days", "new")


def test_client_mention_is_never_a_prescription():
    note = draft_note(BASE + "Owner: I gave him some Rimadyl last night and a baby aspirin.\n"
                             "Dr: Is he still on the Apoquel?\nDr: Please don't give aspirin.")
    assert note.medications == []
    assert {o.drug for o in note.mentioned_medications} == {"carprofen", "aspirin", "oclacitinib"}
    assert "Carprofen" not in note.text_sections()["plan"]


def test_status_continued_changed_discontinued_against_chart():
    context = PatientContext(species="canine", weight={"kg": 12},
                             medications=[{"text": "Apoquel 5.4 mg BID"}, {"text": "Prednisone 5 mg SID"},
                                          {"text": "Gabapentin 100 mg BID"}])
    note = draft_note(BASE + "Dr: Continue the gabapentin. Decrease the Apoquel to 5.4 mg once daily. "
                             "Stop the prednisone.", context)
    meds = _meds(note)
    assert meds["gabapentin"].status == "continued"
    assert (meds["oclacitinib"].status, meds["oclacitinib"].frequency) == ("changed", "SID")
    assert meds["prednisone"].status == "discontinued"


def test_brand_names_map_to_generics():
    note = draft_note(BASE + "Dr: Give Cerenia 2 mg/kg today, send home Lasix 20 mg twice daily and Metacam "
                             "0.1 mg/kg once daily.")
    assert set(_meds(note)) == {"maropitant", "furosemide", "meloxicam"}
    assert _meds(note)["maropitant"].said_as == "Cerenia"


def test_exam_findings_by_system_with_negation_and_normal():
    note = draft_note(BASE + "Dr: Heart sounds normal, no murmur. Lungs are clear. The left ear canal is red "
                             "with brown discharge. Abdomen NSF.")
    assert {"cardiovascular", "respiratory", "ears", "abdomen"} <= set(note.exam)
    assert note.exam["cardiovascular"][0].negated
    assert note.exam["ears"][0].kind == "finding"
    assert note.text_sections()["exam_ears"].startswith("The left ear canal is red")


def test_undiscussed_systems_are_never_written_as_normal():
    note = draft_note(BASE + "Dr: Heart sounds normal.")
    text = note.to_text().lower()
    assert "lungs" not in text and "exam_respiratory" not in note.text_sections()


def test_equine_lameness_grade_and_triadan_teeth():
    note = draft_note("Dr: The horse is a grade 3 out of 5 lameness on the left fore. There is a sharp hook on "
                      "106 and tooth 209 is loose.")
    assert note.structured.lameness[0]["grade"] == 3
    assert note.structured.lameness[0]["limb"] == "left fore"
    assert {t["tooth"] for t in note.structured.teeth} == {"106", "209"}
    assert note.species == "equine"


def test_reptile_temperature_is_the_enclosures():
    note = draft_note("Dr: This bearded dragon is lethargic. The basking spot temperature is 95 degrees.",
                      PatientContext(species="reptile"))
    temperature = next(v for v in note.vitals if v.name == "temperature")
    assert temperature.environmental
    assert "Enclosure temperature" in note.text_sections()["objective"]
    assert [f.code for f in note.flags] == ["reptile_temperature"]


def test_every_item_carries_provenance():
    note = draft_note(BASE + "Dr: Heart is normal. I think this is a cruciate tear. Start carprofen 75 mg twice "
                             "daily. Recheck in two weeks.")
    items = note.subjective + note.assessment + note.plan + [i for v in note.exam.values() for i in v]
    assert items and all(i.provenance for i in items)
    assert all(o.provenance for o in note.medications)
    sections = note.text_sections()
    assert set(sections) >= {"subjective", "objective", "assessment", "plan"}


def test_vet_narrating_history_is_not_an_order():
    note = draft_note(BASE + "Dr: He has been on Rimadyl 75 mg twice daily for a year. The emergency vet gave "
                             "Cerenia 20 mg yesterday. Today we'll give Cerenia 20 mg under the skin.")
    assert "carprofen" not in _meds(note)
    assert _meds(note)["maropitant"].status == "new"
    assert "carprofen" in {o.drug for o in note.mentioned_medications}


def test_pulse_oximetry_and_stray_letters_are_not_vitals():
    note = draft_note(BASE + "Dr: Pulse ox is 98 percent. I don't think 99 of them matter. It was over 90 degrees "
                             "outside.")
    assert note.vitals == []


def test_client_history_is_attributed_to_the_owner():
    note = draft_note(BASE)
    assert "\nOwner reports: He has been limping since Monday" in note.text_sections()["subjective"]
