"""Practice templates: headings, body-system order, undiscussed systems, clear errors on bad files."""

import json

import pytest

from companion.notes import TemplateError, draft_note, load_template

TRANSCRIPT = "Dr: The dog presents for a cough for a week. Lungs have mild crackles. Heart is normal, no murmur."


def test_custom_headings_order_and_not_examined(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"id": "clinic", "name": "Clinic", "headings": {
        "subjective": "History", "objective": "Exam", "assessment": "Dx", "plan": "Tx"},
        "body_systems": ["respiratory", "cardiovascular", "eyes"], "undiscussed_systems": "not_examined",
        "not_examined_phrase": "Not examined"}))
    note = draft_note(TRANSCRIPT, template=path)
    sections = note.text_sections()
    assert sections["exam_eyes"] == "Not examined"
    objective = sections["objective"]
    assert objective.index("Respiratory") < objective.index("Cardiovascular") < objective.index("Eyes")
    assert note.to_text().startswith("HISTORY")
    assert note.template_id == "clinic"


@pytest.mark.parametrize("content, message", [
    ("{not json", "not valid JSON"),
    ('{"id": "x", "body_systems": ["spleen"]}', "unknown body system"),
    ('{"id": "x", "undiscussed_systems": "maybe"}', "undiscussed_systems"),
    ("[1, 2]", "must be a JSON object"),
])
def test_bad_template_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(TemplateError, match=message):
        load_template(path)


def test_missing_template_file(tmp_path):
    with pytest.raises(TemplateError, match="does not exist"):
        draft_note(TRANSCRIPT, template=tmp_path / "nope.json")


def test_template_by_name_from_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("VETSCRIBE_DATA_DIR", str(tmp_path))
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "equine.json").write_text(json.dumps(
        {"id": "equine", "name": "Equine", "body_systems": ["musculoskeletal", "oral"]}))
    template = load_template("equine")
    assert template.body_systems == ["musculoskeletal", "oral"] and template.headings["plan"] == "Plan"
    assert load_template("default").id == "default"
    with pytest.raises(TemplateError, match="No template of that name") as caught:
        load_template("nope")
    assert "nope" not in str(caught.value)


def test_note_serialises_its_sections_for_the_api():
    data = draft_note(TRANSCRIPT).model_dump(mode="json")
    assert set(data["sections"]) >= {"subjective", "objective", "assessment", "plan", "exam_respiratory"}
    assert "crackles" in data["sections"]["exam_respiratory"]


def test_a_template_string_is_a_name_never_a_path():
    with pytest.raises(TemplateError, match="only letters, digits"):
        load_template("../../etc/passwd")


def test_note_json_round_trips():
    from companion.notes import Note

    note = draft_note(TRANSCRIPT)
    again = Note.model_validate_json(note.model_dump_json())
    assert again.text_sections() == note.text_sections()
