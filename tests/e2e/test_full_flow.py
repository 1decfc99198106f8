"""The clinician's whole flow on every replica page and its drift variant, through the real extension, companion
and editors: pair → context read matches the patient → transcript → draft → edit → approve → every field's
editor holds exactly the approved text → audit rows and per-field results in the companion match the page →
undo restores what each field held. A field a drift variant makes the map refuse is reported, offered for
copying under its own name, and its text lands nowhere else."""

import json

import pytest

from tests.e2e.flows import (
    OK_OUTCOMES, REFUSED_ON_DRIFT, actions, approve, assert_context_matches, audit_rows, clipboard_via_paste, draft,
    edit_section, encounter, expected_fill, label, open_record, panel_context, read_all, section_names, write_fields,
    writeback,
)

pytestmark = pytest.mark.browser

PAGES = [  # (replica, record path) — patients charted in kg, lb and g between them
    ("ezyvet", "/patient/10232"),
    ("pulse", "/patients/p-503/visit"),
    ("shepherd", "/patients/sh-72/chart"),
    ("shepherd", "/patients/sh-73/discharge"),  # TinyMCE in an iframe; only Plan has a field here
]
CASES = [pytest.param(pims, path, drift,
                      id=f"{pims}{'-discharge' if 'discharge' in path else ''}-{'drift' if drift else 'plain'}")
         for pims, path in PAGES for drift in (False, True)]


@pytest.mark.parametrize(("pims", "path", "drift"), CASES)
def test_full_flow(paired, companion, replicas, pims, path, drift):
    page, panel = open_record(paired, replicas, pims, path, drift)
    try:
        assert_context_matches(panel_context(panel), page.evaluate("() => window.__replica.patient()"))
        snap = draft(panel)
        enc_id, map_id = snap["encounterId"], snap["mapId"]
        fields = write_fields(companion, snap)
        before = read_all(page, fields)
        shown = section_names(snap)
        edited = "plan" if "plan" in shown else shown[0]
        edited_text = edit_section(panel, edited)

        status = approve(panel)

        enc = encounter(companion, enc_id)
        approved = enc["latest_revision"]["sections"]
        assert enc["latest_revision"]["kind"] == "edit" and approved[edited] == edited_text
        assert [a["revision_id"] for a in enc["approvals"]] == [enc["latest_revision"]["revision_id"]]
        expected, no_field = expected_fill(approved, fields)
        refused = REFUSED_ON_DRIFT.get(map_id, set()) & set(expected) if drift else set()
        on_page = read_all(page, fields)
        results = {r["field"]: r for r in writeback(companion, enc_id)}

        for field, text in expected.items():
            if field in refused:
                continue
            assert results[field]["outcome"] == "written", (field, results[field], status)
            assert on_page[field] == text, f"{field}: the editor does not hold exactly the approved text"
        for field in set(fields) - set(expected):  # a field no section went to is untouched
            assert on_page[field] == before[field], field
        for section in no_field:  # e.g. the discharge page has only Plan: the rest is offered for copying
            assert results[section]["outcome"] == "missing", results[section]
            assert panel.text(f"scribe-copy-{section}") == f"Copy {label(section)}", f"no copy button for {section}"
        for field in refused:
            assert_refused_and_offered(page, panel, companion, map_id, field, expected, on_page, results)
        assert set(results) == set(expected) | set(no_field)
        if not refused and not no_field:
            assert status.startswith("Filled and verified"), status
        assert page.evaluate("() => window.__replica.saveClicks()") == 0

        rows = audit_rows(companion, enc_id)
        assert {"encounter.created", "transcript.appended", "note.drafted", "note.revised"} <= set(actions(rows))
        assert actions(rows).count("note.approved") == 1 and actions(rows).count("writeback.reported") == 1
        assert actions(rows)[-2:] == ["note.approved", "writeback.reported"]
        reported = json.loads(rows[-1]["details_json"])
        assert reported["approval_id"] == enc["approvals"][0]["approval_id"]
        assert reported["outcomes"] == sorted(r["outcome"] for r in results.values())
        assert enc["state"] == ("written" if all(r["outcome"] in OK_OUTCOMES for r in results.values())
                                else "partially_written")

        panel.click("scribe-undo")
        panel.wait_for("scribe-status", lambda i: i["text"].startswith("Undo"), message="undo")
        assert panel.status() == f"Undo: restored {sum(f not in refused for f in expected)} field(s)."
        assert read_all(page, fields) == before
    finally:
        page.close()


def assert_refused_and_offered(page, panel, companion, map_id, field, expected, on_page, results):
    """A refused field: reported as such, nothing written into it or elsewhere, copy button with its text."""
    text = expected[field]
    assert results[field]["outcome"] in ("missing", "ambiguous"), results[field]
    assert on_page[field] == "", f"{field} was refused but its editor holds text"
    assert not [f for f, held in on_page.items() if f != field and text in held], "refused text landed elsewhere"
    assert f'PIMS field "{field}"' in panel.text(f"scribe-result-{field}")
    assert panel.text(f"scribe-copy-{field}") == f"Copy {field.capitalize()}"  # the button names the section
    panel.click(f"scribe-copy-{field}")
    panel.wait_for("scribe-status", lambda i: i["text"].startswith("Copied"), message="copied")
    assert panel.status().startswith(f"Copied {field.capitalize()}")
    assert clipboard_via_paste(page) == text
    drift = companion.api("GET", "/v1/admin/drift")["items"]
    assert any((r["map_id"], r["field"]) == (map_id, field) and r["outcome"] in ("missing", "ambiguous")
               for r in drift), drift
