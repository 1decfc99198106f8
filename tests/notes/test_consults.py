"""The team-written veterinary consult set: coverage of consult kinds, and each answer key met."""

from pathlib import Path

import pytest

from companion.notes import draft_note
from companion.notes.evaluate import consult_inputs, load_consults, score_consult, ungrounded_medications

CONSULTS = load_consults(Path(__file__).parents[1] / "data" / "consults")
REQUIRED_KINDS = ["wellness", "complex multi-problem", "noisy room", "weight-based dosing",
                  "recheck with existing medications", "avian", "reptile", "rabbit", "equine", "production animal"]


def test_set_has_at_least_twelve_consults_covering_every_kind():
    assert len(CONSULTS) >= 12
    kinds = " | ".join(c["kind"] for c in CONSULTS)
    assert [k for k in REQUIRED_KINDS if k not in kinds] == []


@pytest.mark.parametrize("consult", CONSULTS, ids=[c["id"] for c in CONSULTS])
def test_answer_key(consult):
    segments, context = consult_inputs(consult)
    note = draft_note(segments, context)
    score = score_consult(consult, note)
    assert score["med_misses"] == []
    assert score["wrongly_prescribed"] == []
    assert score["extra_meds"] == []
    assert score["vital_errors"] == {}
    assert score["flags_missing"] == [] and score["flags_forbidden"] == []
    assert score["exam_missing"] == []
    assert score["lameness_ok"] and score["teeth_ok"]
    assert ungrounded_medications(note, segments) == []
    assert note.grounding.verdict == "grounded"
