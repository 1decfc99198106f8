"""Decision-rule boundaries with hand-built records (no store): each threshold is exclusive where the seed says so."""

import pytest
from pydantic import ValidationError

from companion.pilot.metrics import compute_metrics
from companion.pilot.records import EncounterRecord, ErrorTag, PilotData, SatisfactionRecord, SectionEdit, parse_error_tag
from companion.pilot.scorecard import Thresholds, evaluate
from datetime import date


def notes(n: int, sig_med: int = 0, draft: int = 100, distance: int = 0, panel_s: float = 300) -> list:
    out = []
    for i in range(n):
        tags = (ErrorTag("medication_error", True),) if i < sig_med else ()
        out.append(EncounterRecord(f"e{i}", "Dr A", "ezyvet", created_at=1000.0 * i, approved_at=1000.0 * i + panel_s,
                                   panel_opened_at=1000.0 * i, edits=(SectionEdit("plan", draft, distance),),
                                   error_tags=tags))
    return out


def rule(data: PilotData, name: str, thresholds: Thresholds | None = None, **kwargs):
    card = evaluate(compute_metrics(data, **kwargs), thresholds)
    return next(r for r in card.rules if r.rule == name), card


def test_medication_stop_is_strictly_above_two_percent():
    at, card = rule(PilotData(notes(100, sig_med=2)), "medication_errors")
    assert at.level == "good" and not card.stop
    above, card = rule(PilotData(notes(100, sig_med=3)), "medication_errors")
    assert above.level == "stop" and card.stop and card.overall == "stop"
    stricter, card = rule(PilotData(notes(100, sig_med=2)), "medication_errors", Thresholds(med_error_stop=0.01))
    assert card.stop


def test_non_significant_medication_errors_do_not_stop():
    data = notes(10)
    data[0].error_tags = (ErrorTag("medication_error", False),)
    _, card = rule(PilotData(data), "medication_errors")
    assert not card.stop


@pytest.mark.parametrize("distance,verdict", [(9, "excellent"), (10, "acceptable"), (14, "acceptable"),
                                              (15, "too_high")])
def test_edit_rate_bands(distance, verdict):
    result, _ = rule(PilotData(notes(4, distance=distance)), "edit_rate")
    assert result.verdict == verdict and result.value == pytest.approx(distance / 100)


@pytest.mark.parametrize("panel,verdict", [(300, "strong_signal"), (420, "weak_signal"), (700, "no_saving")])
def test_time_reduction_against_entered_baseline(panel, verdict):
    result, _ = rule(PilotData(notes(3, panel_s=panel)), "documentation_time", baseline_seconds=600)
    assert result.verdict == verdict


def test_satisfaction_warning_below_three():
    low = [SatisfactionRecord("Dr A", date(2026, 11, d), s) for d, s in ((1, 2), (2, 3), (3, 3))]
    result, card = rule(PilotData(notes(1), low), "satisfaction")
    assert result.level == "warning" and card.overall == "warning"
    ok = [SatisfactionRecord("Dr A", date(2026, 11, 1), 3)]
    assert rule(PilotData(notes(1), ok), "satisfaction")[0].level == "good"


def test_no_data_and_bad_thresholds():
    _, card = rule(PilotData([]), "edit_rate")
    assert card.overall == "no_data" and not card.stop
    with pytest.raises(ValidationError):
        Thresholds(edit_rate_excellent=0.2, edit_rate_acceptable=0.15)


@pytest.mark.parametrize("raw,expected", [("medication_error:significant", ("medication_error", True)),
                                          ("Medication error", ("medication_error", False)),
                                          ({"category": "omission", "clinically_significant": True}, ("omission", True)),
                                          ("speaker", ("speaker_misattribution", False)), ("typo", ("other", False))])
def test_error_tag_vocabulary(raw, expected):
    tag = parse_error_tag(raw)
    assert (tag.category, tag.clinically_significant) == expected
