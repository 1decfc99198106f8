"""Plain-text rendering of a `Note`: per-section text for the panel and the fill plan, and the whole note."""

from companion.notes.errors import NoteEngineError
from companion.notes.model import Note, NoteItem, Vital
from companion.notes.template import Template, default_template, load_template

_VITAL_LABEL = {"temperature": "T", "heart_rate": "HR", "respiratory_rate": "RR", "weight": "Weight",
                "body_condition_score": "BCS", "mucous_membranes": "MM", "crt": "CRT", "pain_score": "Pain score"}


def _template(note: Note) -> Template:
    """The template the note was drafted with; after a JSON round trip, the one its id names, if still there."""
    if getattr(note, "_template", None) is None and note.template_id not in (None, "default"):
        try:
            note._template = load_template(note.template_id)
        except NoteEngineError:
            note._template = default_template()
    return note._template or default_template()


def vital_text(vital: Vital) -> str:
    """'T 101.5 °F', 'BCS 5/9', 'Weight 22.4 kg'."""
    if vital.name == "temperature" and vital.environmental:
        return f"Enclosure temperature (as stated) {vital.value:g} {vital.unit}"
    value = f"{vital.value:g}" if isinstance(vital.value, float) else vital.value
    if vital.scale:
        value += f"/{vital.scale}"
    if vital.name == "crt":
        value = ("<" if "less" in (vital.unit or "") else "") + value + " s"
    elif vital.name == "weight" and vital.unit is None:
        value += " (unit not stated)"
    elif vital.unit and vital.name not in ("body_condition_score", "pain_score"):
        value += f" {vital.unit}" if vital.unit != "/min" else "/min"
    return f"{_VITAL_LABEL[vital.name]} {value}"


def _lines(items: list[NoteItem]) -> list[str]:
    return [item.text for item in items]


def exam_texts(note: Note, template: Template) -> dict[str, str]:
    """exam_<system> → text, in the template's body-system order."""
    out = {}
    for system in template.body_systems:
        items = note.exam.get(system)
        if items:
            out[f"exam_{system}"] = " ".join(_exam_line(item, template) for item in items)
        elif template.undiscussed_systems == "not_examined":
            out[f"exam_{system}"] = template.not_examined_phrase
    return out


def _exam_line(item: NoteItem, template: Template) -> str:
    # a bare "ears normal" / "NSF" becomes the practice's normal phrase; it was examined and stated normal
    if item.kind == "normal" and item.system and len(item.text.split()) <= 4 and \
            template.normal_phrases.get(item.system):
        return template.normal_phrases[item.system] + "."
    return item.text


def text_sections(note: Note) -> dict[str, str]:
    """subjective / objective / assessment / plan (and exam_<system>) → plain text."""
    template = _template(note)
    exams = exam_texts(note, template)
    objective = []
    if note.vitals:
        objective.append("Vitals: " + "; ".join(vital_text(v) for v in note.vitals) + ".")
    objective += _lines(note.objective)
    if template.exam_in_objective:
        objective += [f"{template.label(k.removeprefix('exam_'))}: {v}" for k, v in exams.items()]
    for entry in note.structured.lameness:
        limb = f" {entry['limb']}" if entry.get("limb") else ""
        objective.append(f"Lameness (AAEP): grade {entry['grade']}/5{limb}.")
    for entry in note.structured.teeth:
        objective.append(f"Tooth {entry['tooth']} (Triadan): {entry['finding']}")
    plan = [f"- {order.describe()}" for order in note.medications]
    plan += [f"- {item.text}" for item in note.plan]
    subjective = [f"Owner reports: {i.text}" if i.kind == "client_report" else i.text for i in note.subjective]
    sections = {
        "subjective": "\n".join(subjective),
        "objective": "\n".join(objective),
        "assessment": "\n".join(_lines(note.assessment)),
        "plan": "\n".join(plan),
    }
    return {**sections, **exams}


def full_text(note: Note) -> str:
    """The note as text with the template's headings, followed by flags and grounding."""
    template = _template(note)
    sections = text_sections(note)
    parts = []
    for key in ("subjective", "objective", "assessment", "plan"):
        parts.append(f"{template.headings[key].upper()}\n{sections[key] or '(nothing recorded)'}")
    if note.flags:
        parts.append("FLAGS\n" + "\n".join(f"[{f.severity}] {f.message}" for f in note.flags))
    if note.missing:
        parts.append("NOT COVERED\n" + ", ".join(note.missing))
    verdict = note.grounding.verdict
    removed = len(note.grounding.ungrounded)
    parts.append(f"Engine: {note.engine}" + (f" ({note.engine_note})" if note.engine_note else "") +
                 f" · grounding: {verdict}" + (f", {removed} item(s) removed" if removed else ""))
    return "\n\n".join(parts)


__all__ = ["text_sections", "full_text", "vital_text", "load_template"]
