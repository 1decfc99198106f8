"""The grounding verifier removes anything an engine cannot trace to the transcript or chart."""

from companion.context.model import PatientContext
from companion.notes import draft_note
from companion.notes.engine import EmbeddedEngine
from companion.notes.model import MedicationOrder, NoteItem, Provenance, Vital

TRANSCRIPT = ("Dr: This dog presents for vomiting since yesterday.\n"
              "Dr: Temp 102.1, heart rate 100.\n"
              "Dr: I think this is gastroenteritis. Give Cerenia 1 mg/kg under the skin today.")


class InventingEngine(EmbeddedEngine):
    """An engine that adds things nobody said, as a careless LLM might."""

    name = "inventing"

    def draft(self, segments, context, template):
        note = super().draft(segments, context, template)
        real = note.medications[0].provenance
        note.medications.append(MedicationOrder(drug="carprofen", said_as="Rimadyl", dose=75, unit="mg",
                                                provenance=real))
        note.medications[0].dose = 2.0  # said 1 mg/kg
        note.vitals.append(Vital(name="respiratory_rate", value=30.0, unit="/min", said="RR 30",
                                 provenance=[Provenance(segment_id="s2", start=0, end=9)]))
        note.assessment.append(NoteItem(kind="diagnosis", text="Pancreatitis with diabetes mellitus.",
                                        provenance=[Provenance(segment_id="s3", start=0, end=30)]))
        note.plan.append(NoteItem(kind="diagnostic", text="Run an ultrasound.",
                                  provenance=[Provenance(segment_id="s99", start=0, end=5)]))
        return note


def test_invented_items_are_removed_and_reported():
    note = draft_note(TRANSCRIPT, engine=InventingEngine())
    assert [o.drug for o in note.medications] == ["maropitant"]
    assert note.medications[0].dose is None  # the wrong dose is stripped, the drug kept
    assert {v.name for v in note.vitals} == {"temperature", "heart_rate"}
    assert not any("Pancreatitis" in i.text for i in note.assessment)
    assert not any("ultrasound" in i.text for i in note.plan)
    assert note.grounding.verdict == "ungrounded_removed"
    reasons = {(u.kind, u.reason) for u in note.grounding.ungrounded}
    assert ("medication", "drug not named in the cited evidence") in reasons
    assert ("dose", "dose not in the evidence") in reasons
    assert ("diagnostic", "no valid provenance") in reasons
    assert "Rimadyl" not in note.to_text().split("Engine:")[0]


def test_clean_draft_is_grounded_and_counts_checks():
    note = draft_note(TRANSCRIPT)
    assert note.grounding.verdict == "grounded" and note.grounding.checked >= 4


def test_context_items_are_checked_against_the_chart():
    context = PatientContext(species="canine", medications=[{"text": "Phenobarbital 30 mg BID"}])
    note = draft_note(TRANSCRIPT, context)
    chart_line = next(i for i in note.subjective if i.kind == "context")
    assert chart_line.provenance[0].context_field == "medications[0]"
    assert "Phenobarbital 30 mg BID" in note.text_sections()["subjective"]
