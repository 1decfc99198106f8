"""Every pilot number on the generated 30-day pilot, checked against a calculation made from the ground truth."""

import json
from collections import defaultdict
from statistics import fmean, median

import pytest
from click.testing import CliRunner

from companion.cli import main as cli_main
from companion.pilot.service import pilot_report
from tests.pilot.seed import CLINICIANS, SECTIONS

FAILED = {"missing", "ambiguous", "verify_failed", "refused", "error"}
CATEGORIES = ("omission", "hallucination", "medication_error", "speaker_misattribution")


def expected_group(notes, satisfaction, baseline_pool):
    """The metrics of one group, computed the plain way from what the generator did."""
    ai = [n for n in notes if n.scribe]
    manual = [n for n in notes if not n.scribe]
    panel = [n.approved_at - n.opened for n in ai]
    transcript = [n.approved_at - n.transcript_at for n in ai]
    base = [n.approved_at - n.opened for n in baseline_pool if not n.scribe]
    chars = sum(c for n in ai for c, _ in n.edits.values())
    dist = sum(d for n in ai for _, d in n.edits.values())
    by_section = {s: sum(n.edits[s][1] for n in ai) / sum(n.edits[s][0] for n in ai) for s in SECTIONS}
    errors = {}
    for cat in CATEGORIES:
        errors[cat] = {
            "tags": sum(1 for n in ai for c, _ in n.tags if c == cat),
            "notes": sum(1 for n in ai if any(c == cat for c, _ in n.tags)),
            "significant_notes": sum(1 for n in ai if any(c == cat and sig for c, sig in n.tags)),
        }
    sig_med = errors["medication_error"]["significant_notes"]
    scores = [score for _, _, score in satisfaction]
    return {
        "notes": len(notes), "ai_notes": len(ai), "manual_notes": len(manual),
        "panel_mean": fmean(panel), "panel_median": median(panel),
        "transcript_mean": fmean(transcript), "transcript_median": median(transcript),
        "baseline": fmean(base), "reduction": 1 - fmean(panel) / fmean(base),
        "edit_rate": dist / chars, "by_section": by_section, "errors": errors,
        "sig_med": sig_med, "sig_med_rate": sig_med / len(ai),
        "satisfaction": fmean(scores), "satisfaction_n": len(scores),
    }


def assert_group(actual, exp):
    assert (actual.notes, actual.ai_notes, actual.manual_notes) == (exp["notes"], exp["ai_notes"], exp["manual_notes"])
    assert actual.doc_time_panel.mean_s == pytest.approx(exp["panel_mean"], abs=0.01)
    assert actual.doc_time_panel.median_s == pytest.approx(exp["panel_median"], abs=0.01)
    assert actual.doc_time_transcript.mean_s == pytest.approx(exp["transcript_mean"], abs=0.01)
    assert actual.doc_time_transcript.median_s == pytest.approx(exp["transcript_median"], abs=0.01)
    assert actual.baseline.source == "measured"
    assert actual.baseline.seconds == pytest.approx(exp["baseline"], abs=0.01)
    assert actual.time_reduction == pytest.approx(exp["reduction"], abs=1e-4)
    assert actual.edit_rate == pytest.approx(exp["edit_rate"], rel=1e-9)
    assert actual.edit_rate_by_section == pytest.approx(exp["by_section"], rel=1e-9)
    for cat in CATEGORIES:
        assert actual.errors[cat].model_dump() == exp["errors"][cat], cat
    assert actual.significant_med_error_notes == exp["sig_med"]
    assert actual.significant_med_error_rate == pytest.approx(exp["sig_med_rate"])
    assert actual.satisfaction_mean == pytest.approx(exp["satisfaction"])
    assert actual.satisfaction_n == exp["satisfaction_n"]


@pytest.fixture(scope="module")
def report(pilot_db):
    db, _ = pilot_db
    return pilot_report(db)


def test_clinic_metrics_match_ground_truth(report, pilot_db):
    _, truth = pilot_db
    assert len(truth.notes) >= 250
    assert_group(report.metrics.clinic, expected_group(truth.notes, truth.satisfaction, truth.notes))


@pytest.mark.parametrize("clinician", CLINICIANS)
def test_per_clinician_metrics_match_ground_truth(report, pilot_db, clinician):
    _, truth = pilot_db
    mine = [n for n in truth.notes if n.clinician == clinician]
    answers = [s for s in truth.satisfaction if s[0] == clinician]
    actual = report.metrics.clinicians[clinician]
    exp = expected_group(mine, answers, mine)  # measured baseline: the clinician's own manual notes
    assert_group(actual, exp)


def test_writeback_failures_by_pims_map_version_and_field(report, pilot_db):
    _, truth = pilot_db
    expected = defaultdict(lambda: [0, 0])
    for note in truth.notes:
        for field, outcome in note.writeback:
            key = (note.pims, note.map_id, note.map_version, field)
            expected[key][0] += 1
            expected[key][1] += outcome in FAILED
    actual = {(r.pims, r.map_id, r.map_version, r.field): [r.attempts, r.failures]
              for r in report.metrics.writeback_failures}
    assert actual == dict(expected)
    assert any(r.failures for r in report.metrics.writeback_failures)
    assert {k[2] for k in actual if k[1] == "shepherd"} == {"1", "2"}


def test_daily_series_match_ground_truth(report, pilot_db):
    _, truth = pilot_db
    by_day = defaultdict(list)
    for note in truth.notes:
        if note.scribe:
            by_day[note.day].append(note)
    assert [p.day for p in report.metrics.daily] == sorted({n.day for n in truth.notes})
    for point in report.metrics.daily:
        notes = by_day[point.day]
        assert point.ai_notes == len(notes)
        assert point.mean_doc_time_panel_s == pytest.approx(fmean(n.approved_at - n.opened for n in notes), abs=0.01)
        chars = sum(c for n in notes for c, _ in n.edits.values())
        assert point.edit_rate == pytest.approx(sum(d for n in notes for _, d in n.edits.values()) / chars)
        assert point.significant_med_errors == sum(
            1 for n in notes if ("medication_error", True) in n.tags)


def test_scorecard_verdicts_follow_the_seed_rules(report, pilot_db):
    _, truth = pilot_db
    exp = expected_group(truth.notes, truth.satisfaction, truth.notes)
    rules = {r.rule: r for r in report.scorecard.rules}
    assert exp["sig_med_rate"] == pytest.approx(0.02)  # on the threshold: "more than 2 %" is not crossed
    assert rules["medication_errors"].level == "good" and not report.scorecard.stop
    assert rules["documentation_time"].verdict == ("strong_signal" if exp["reduction"] >= 0.4 else "weak_signal")
    assert rules["edit_rate"].verdict == (
        "excellent" if exp["edit_rate"] < 0.10 else "acceptable" if exp["edit_rate"] < 0.15 else "too_high")
    assert rules["satisfaction"].verdict == ("low" if exp["satisfaction"] < 3 else "ok")


def test_window_filters_by_clinic_day(pilot_db):
    db, truth = pilot_db
    first = truth.first_day
    from datetime import timedelta
    last = first + timedelta(days=9)
    windowed = pilot_report(db, first, last)
    notes = [n for n in truth.notes if first <= n.day <= last]
    answers = [s for s in truth.satisfaction if first <= s[1] <= last]
    exp = expected_group(notes, answers, truth.notes)  # the baseline pool is every manual note
    assert_group(windowed.metrics.clinic, exp)


def test_cli_report_prints_the_same_numbers(pilot_db, report):
    db, _ = pilot_db
    data_dir = str(db.path.parent)
    runner = CliRunner()
    as_json = runner.invoke(cli_main, ["pilot", "report", "--data-dir", data_dir, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    parsed = json.loads(as_json.output)
    assert parsed["metrics"]["clinic"] == json.loads(report.metrics.clinic.model_dump_json())
    as_csv = runner.invoke(cli_main, ["pilot", "report", "--data-dir", data_dir, "--format", "csv"])
    rows = {(r.split(",")[0], r.split(",")[1]): r.split(",", 2)[2] for r in as_csv.output.strip().splitlines()[1:]}
    assert float(rows[("clinic", "edit_rate")]) == pytest.approx(report.metrics.clinic.edit_rate)
    assert int(rows[("clinic", "ai_notes")]) == report.metrics.clinic.ai_notes
    as_html = runner.invoke(cli_main, ["pilot", "report", "--data-dir", data_dir, "--format", "html"])
    assert "<table>" in as_html.output and "STOP" not in as_html.output
    bad = runner.invoke(cli_main, ["pilot", "report", "--data-dir", data_dir, "--from", "2026-13-01"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output
