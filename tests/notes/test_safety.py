"""Safety flags: dose ranges, tenfold doses, weight change, lb/kg, duplicates, allergies, species, vitals."""

from companion.context.model import PatientContext
from companion.notes import draft_note

DOG = "Dr: This dog is here for a sore leg and has been limping for three days.\n"


def _codes(note):
    return {f.code: f for f in note.flags}


def test_dose_out_of_range_uses_todays_weight_and_cites_a_source():
    note = draft_note(DOG + "Tech: He weighs 10 kg.\nDr: Start carprofen 100 mg twice daily.",
                      PatientContext(species="canine"))
    flag = _codes(note)["dose_out_of_range"]
    assert flag.severity == "warning" and "10 mg/kg" in flag.message and "Rimadyl" in flag.message
    assert note.medications[0].mg_per_kg == 10


def test_dose_within_range_is_not_flagged():
    note = draft_note(DOG + "Tech: He weighs 20 kg.\nDr: Start carprofen 75 mg twice daily.",
                      PatientContext(species="canine"))
    assert "dose_out_of_range" not in _codes(note)


def test_tenfold_dose_is_critical():
    note = draft_note(DOG + "Dr: Start meloxicam 2 mg/kg once daily.", PatientContext(species="canine"))
    assert _codes(note)["dose_tenfold"].severity == "critical"


def test_weight_change_over_ten_percent_against_chart():
    note = draft_note(DOG + "Tech: Weight today is 17 kg.", PatientContext(species="canine", weight={"kg": 20}))
    assert "-15%" in _codes(note)["weight_change"].message


def test_pounds_recorded_as_kilograms_is_critical_and_not_used_for_dosing():
    note = draft_note(DOG + "Tech: Weight is forty-four kilos.\nDr: Start carprofen 88 mg once daily.",
                      PatientContext(species="canine", weight={"kg": 20}))
    codes = _codes(note)
    assert codes["weight_unit_ambiguous"].severity == "critical"
    assert note.medications[0].mg_per_kg == 4.4  # dosed on the chart's 20 kg, not on 44 kg


def test_weight_without_unit_is_ambiguous():
    note = draft_note(DOG + "Tech: Weight today is 22.", PatientContext(species="canine"))
    assert "without a unit" in _codes(note)["weight_unit_ambiguous"].message


def test_duplicate_nsaid_and_nsaid_with_steroid():
    context = PatientContext(species="canine", weight={"kg": 20}, medications=[{"text": "Meloxicam 1.5 mg SID"}])
    note = draft_note(DOG + "Dr: Start carprofen 75 mg twice daily and prednisone 10 mg once daily.", context)
    messages = [f.message for f in note.flags if f.code == "duplicate_therapy"]
    assert any("Two NSAIDs" in m for m in messages)
    assert any("corticosteroid" in m for m in messages)


def test_discontinued_chart_drug_is_not_a_duplicate():
    context = PatientContext(species="canine", weight={"kg": 20}, medications=[{"text": "Meloxicam 1.5 mg SID"}])
    note = draft_note(DOG + "Dr: Stop the meloxicam. Start carprofen 75 mg twice daily.", context)
    assert "duplicate_therapy" not in _codes(note)


def test_allergy_conflict_by_drug_class():
    context = PatientContext(species="feline", weight={"kg": 5}, allergies=["Penicillin (hives)"])
    note = draft_note("Dr: This cat has an abscess on the cheek after a fight.\n"
                      "Dr: Start Clavamox 62.5 mg twice daily for ten days.", context)
    assert _codes(note)["allergy_conflict"].severity == "critical"


def test_species_contraindication():
    note = draft_note("Dr: The rabbit has an abscess on the jaw for a week.\nDr: Start amoxicillin 20 mg/kg "
                      "twice daily.", PatientContext(species="lagomorph"))
    assert "enterotoxaemia" in _codes(note)["species_contraindication"].message


def test_out_of_range_vitals_per_species():
    note = draft_note("Dr: The horse has colic since this morning. Heart rate 64, temp 101.0, resp rate 12.",
                      PatientContext(species="equine"))
    flags = [f for f in note.flags if f.code == "vital_out_of_range"]
    assert len(flags) == 1 and "Heart rate 64" in flags[0].message


def test_no_species_means_no_range_check_and_says_so():
    note = draft_note("Dr: Patient presenting for itching for a week. Start cephalexin 500 mg twice daily.")
    assert "species_unknown" in _codes(note)


def test_new_drug_without_a_dose_is_flagged_for_completion():
    note = draft_note(DOG + "Dr: We'll start gabapentin twice daily.", PatientContext(species="canine"))
    assert _codes(note)["dose_not_stated"].severity == "info"
