"""Helpers for the end-to-end flows: open a replica record with the panel, draft, approve, and read back what the
editors, the panel and the companion hold — through public interfaces only (editor API, panel test hook, HTTP API)."""

from __future__ import annotations

import re

from tests.extension.harness import Panel, generate_draft, poll, section_names  # noqa: F401 - re-exported

# An invented consult. Vet lines give the engine subjective, objective, assessment and plan material.
TRANSCRIPT = """Vet: He is here because he has been limping on the left front leg for three days.
Client: He has been eating normally.
Vet: Temperature 101.5, heart rate 100. Mild pain on flexion of the left elbow.
Vet: This looks like an osteoarthritis flare. Continue carprofen 75 mg twice daily and recheck in two weeks."""

# What the clinician adds in the panel before approving (it must be what lands in the PIMS).
EDIT_LINE = "Recheck sooner if the lameness worsens."
CLINICIAN_TEXT = "Owner phoned this morning: appetite slightly reduced."

# The replicas' species words and the companion's controlled vocabulary (companion/context/model.py Species).
SPECIES = {"dog": "canine", "canine": "canine", "cat": "feline", "feline": "feline", "bird": "avian",
           "rabbit": "lagomorph", "equine": "equine", "ferret": "ferret", "caprine": "caprine"}
KG_PER = {"kg": 1.0, "lb": 0.45359237, "g": 0.001}
CONTEXT_LABELS = ["Patient ID", "Name", "Species", "Breed", "Sex", "Age", "Weight", "Medications", "Problems",
                  "Allergies", "Last visit"]
SECTION_LABELS = {"subjective": "Subjective", "objective": "Objective", "assessment": "Assessment", "plan": "Plan"}
OK_OUTCOMES = {"written", "appended", "unchanged"}

try:  # the replica area's decision about which fields a drift variant must make the map refuse
    from tests.replicas.test_maps import REFUSED_ON_DRIFT
except ImportError:  # pragma: no cover - replica tests not present
    REFUSED_ON_DRIFT = {}


def open_record(paired, replicas, pims: str, path: str | None = None, drift: bool = False):
    """A new tab on a replica record; waits until the panel has read the chart. Returns (page, panel)."""
    page = paired.context.new_page()
    page.goto(replicas.url(pims, path, drift=drift))
    poll(lambda: page.evaluate("() => Boolean(window.__replica && window.__replica.isReady())"), timeout=20,
         message="replica ready")
    panel = Panel(paired, page)
    panel.wait_mounted()
    panel.wait_for("scribe-status", lambda i: i["text"].startswith(("Ready", "Confirm")), message="context read")
    return page, panel


def read(page, field: str) -> str:
    """What the field's editor holds, through the editor's own API ("" when empty or not on the page)."""
    return page.evaluate("(f) => window.__replica.read(f)", field) or ""


def read_all(page, fields) -> dict[str, str]:
    return {f: read(page, f) for f in fields}


def draft(panel: Panel, transcript: str = TRANSCRIPT) -> dict:
    """The shared harness flow with this suite's transcript."""
    return generate_draft(panel, transcript)


def edit_section(panel: Panel, name: str, line: str = EDIT_LINE) -> str:
    """Add a line to one section in the panel by typing; returns the section's new text."""
    text = panel.value(f"scribe-section-{name}") + "\n" + line
    panel.type(f"scribe-section-{name}", text)
    assert panel.value(f"scribe-section-{name}") == text
    return text


APPROVE_ENDS = ("Filled", "Nothing", "Not ", "Your edits", "Approval saved", "Companion is not")


def approve(panel: Panel, done=APPROVE_ENDS) -> str:
    """Click Approve and wait until the panel reports (a new status) how it ended; returns the status."""
    previous = panel.status()
    panel.click("scribe-approve")
    try:
        panel.wait_for("scribe-status", lambda i: i["text"] != previous and i["text"].startswith(done), timeout=30,
                       message="approve finished")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; panel status: {panel.status()!r}") from None
    return panel.status()


def panel_context(panel: Panel) -> dict[str, str]:
    """The patient context the panel shows, as {label: value} (labels as the panel prints them)."""
    text = panel.text("scribe-context").removeprefix("Patient").strip()
    text = text.split("Could not read:")[0]
    pattern = "".join(f"(?:{re.escape(label)}(?P<g{i}>.*?))?" for i, label in enumerate(CONTEXT_LABELS))
    match = re.fullmatch(pattern, text)
    assert match, f"cannot read the panel's context: {text!r}"
    return {label: match.group(f"g{i}").strip() for i, label in enumerate(CONTEXT_LABELS)
            if match.group(f"g{i}") is not None}


def assert_context_matches(shown: dict[str, str], patient: dict) -> None:
    """The panel shows the patient on the page: id, name, species (normalised) and weight (in kg, as charted)."""
    assert shown.get("Patient ID") == patient["id"], (shown, patient["id"])
    assert shown.get("Name") == patient["name"], (shown, patient["name"])
    assert shown.get("Species") == SPECIES[patient["species"].lower()], (shown, patient["species"])
    value, unit = patient["weight"].split()
    match = re.fullmatch(r"([\d.]+) kg(?: \(([\d.]+) (\w+)\))?", shown.get("Weight", ""))
    assert match, f"weight not shown as kg: {shown.get('Weight')!r}"
    assert abs(float(match.group(1)) - float(value) * KG_PER[unit]) < 0.01 * float(value) * KG_PER[unit] + 1e-9, \
        (shown["Weight"], patient["weight"])
    if unit != "kg":  # the chart's own unit is kept next to the kg figure
        assert (float(match.group(2)), match.group(3)) == (float(value), unit), (shown["Weight"], patient["weight"])


def write_fields(companion, snap: dict) -> dict:
    """The map's write fields for the page kind the panel detected (from the companion's active map)."""
    return companion.api("GET", f"/v1/maps/{snap['mapId']}")["page_kinds"][snap["pageKind"]]["write"]


def expected_fill(sections: dict[str, str], fields: dict) -> tuple[dict[str, str], list[str]]:
    """Where the approved sections must land, per DESIGN: {field: exact text}, and the sections with no field.

    A section with its own field goes there; an exam_<system> without a field is already in Objective; on a
    one-box PIMS (a `note` field) the rest are combined as "Label:\\ntext" blocks, one blank line apart."""
    by_field: dict[str, str] = {}
    leftover = []
    for name, text in sections.items():
        if name in fields:
            by_field[name] = text
        elif not (name.startswith("exam_") and "objective" in sections):
            leftover.append((name, text))
    if leftover and "note" in fields:
        by_field["note"] = "\n\n".join(f"{label(name)}:\n{text}" for name, text in leftover)
        return by_field, []
    return by_field, [name for name, _ in leftover]


def label(section: str) -> str:
    return SECTION_LABELS.get(section) or "Exam: " + section.removeprefix("exam_").replace("_", " ")


def encounter(companion, enc_id: str) -> dict:
    return companion.api("GET", f"/v1/encounters/{enc_id}")


def writeback(companion, enc_id: str) -> list[dict]:
    """The encounter's per-field write-back results, once the first report arrived."""
    return poll(lambda: (r := encounter(companion, enc_id)["writeback_results"]) and r, message="write-back recorded")


def audit_rows(companion, enc_id: str) -> list[dict]:
    """This encounter's rows of the companion's hash-chained audit log (admin API), oldest first; chain verified."""
    view = companion.api("GET", "/v1/admin/pilot/audit?limit=1000")
    assert view["ok"], f"audit chain broken: {view['problem']}"
    return sorted((r for r in view["recent"] if r["entity_id"] == enc_id), key=lambda r: r["seq"])


def actions(rows: list[dict]) -> list[str]:
    return [r["action"] for r in rows]


def clipboard_via_paste(page) -> str:
    """Paste the clipboard into a scratch textarea on the page (as the clinician would) and return what arrived."""
    page.evaluate("""() => { const t = document.createElement('textarea'); t.id = 'e2e-paste-here';
        document.body.append(t); }""")
    page.focus("#e2e-paste-here")
    page.keyboard.press("Control+V")
    text = page.input_value("#e2e-paste-here")
    page.evaluate("() => document.getElementById('e2e-paste-here').remove()")
    return text
