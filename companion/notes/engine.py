"""The embedded default engine (deterministic, offline) and `draft_note`, the note engine's entry point."""

from collections import Counter
from collections.abc import Iterable

from companion.context.model import PatientContext
from companion.notes.errors import EmptyTranscriptError
from companion.notes.lexicon import lexicon, species_table, species_words
from companion.notes.meds import find_medications, merge_orders
from companion.notes.model import Note, NoteItem, Provenance, Segment, Speaker
from companion.notes.safety import safety_flags
from companion.notes.sections import classify, structured_findings
from companion.notes.template import Template, load_template
from companion.notes.text import Sentence, sentences
from companion.notes.transcript import coerce_segments, require_content
from companion.notes.verifier import verify
from companion.notes.vitals import extract_vitals

ENGINE_NAME = "embedded-rules-1"


def draft_note(transcript: "str | Iterable", context: PatientContext | None = None, template=None,
               engine=None) -> Note:
    """Draft a grounded SOAP note from a transcript (tagged text or segments), the chart context and a template.

    Raises `EmptyTranscriptError` for empty, silent or near-empty input, `TemplateError` for a bad template.
    `engine` may be an object with `draft(segments, context, template) -> Note` (e.g. the LLM backend); whatever
    engine drafts, the grounding verifier and the safety checks run on its output.
    """
    segments = coerce_segments(transcript)
    require_content(segments)
    chosen_template = load_template(template)
    note = (engine or EmbeddedEngine()).draft(segments, context, chosen_template)
    return finish(note, segments, context, chosen_template)


def finish(note: Note, segments: list[Segment], context: PatientContext | None, template: Template) -> Note:
    """Verify grounding, then add safety flags and missing items: the steps every engine's draft goes through."""
    note._template = template
    note.template_id = template.id
    note.headings = dict(template.headings)
    verify(note, segments, context)
    species = note.species
    note.flags = safety_flags(note, context, species)
    if species is None and any(o.dose is not None for o in note.medications):
        note.flags.append(_flag_no_species())
    note.missing = missing_items(note, template)
    return note


def _flag_no_species():
    from companion.notes.model import Flag

    return Flag(code="species_unknown", severity="info",
                message="Species unknown (not in the chart or transcript): doses and vitals were not range-checked.")


def missing_items(note: Note, template: Template) -> list[str]:
    """Template items the consult did not cover."""
    present = {"history": bool(note.subjective), "exam": bool(note.exam), "assessment": bool(note.assessment),
               "plan": bool(note.plan or note.medications)}
    present.update({f"vitals.{v.name}": True for v in note.vitals})
    return [item for item in template.required if not present.get(item, False)]


class EmbeddedEngine:
    """Deterministic extraction from what was said: no network, no model, milliseconds per consult."""

    name = ENGINE_NAME

    def draft(self, segments: list[Segment], context: PatientContext | None, template: Template) -> Note:
        """Build an unverified note from the segments and context."""
        all_sentences = sentences(segments)
        if not all_sentences:
            raise EmptyTranscriptError("The transcript has no sentences: no note was drafted.")
        species = species_of(context, all_sentences)
        note = Note(engine=self.name, species=species, segments_used=len(segments))
        context_drugs = _context_drugs(context)
        orders = []
        for sentence in all_sentences:
            found = find_medications(sentence, context_drugs)
            orders += found
            self._add_vitals(note, sentence)
            self._add_items(note, sentence, has_medication=any(o.status != "mentioned" for o in found))
            lameness, teeth = structured_findings(sentence)
            note.structured.lameness += lameness
            note.structured.teeth += teeth
        merged = merge_orders(orders)
        note.medications = [o for o in merged if o.status != "mentioned"]
        note.mentioned_medications = [o for o in merged if o.status == "mentioned"]
        _add_context(note, context)
        return note

    @staticmethod
    def _add_vitals(note: Note, sentence: Sentence) -> None:
        if not sentence.by_clinician and sentence.speaker != Speaker.other:
            return
        ectotherm = bool((species_table()["species"].get(note.species or "") or {}).get("ectotherm"))
        for vital in extract_vitals(sentence):
            if vital.environmental and not ectotherm:
                continue  # "keep the cage at 85 degrees" is husbandry, not the patient's temperature
            if not any(v.name == vital.name for v in note.vitals):
                note.vitals.append(vital)

    @staticmethod
    def _add_items(note: Note, sentence: Sentence, has_medication: bool) -> None:
        for section, item in classify(sentence, has_medication):
            if section.startswith("exam:"):
                note.exam.setdefault(section[5:], []).append(item)
            else:
                getattr(note, section).append(item)


def species_of(context: PatientContext | None, all_sentences: list[Sentence]) -> str | None:
    """The chart's species, else the one the transcript names most often."""
    if context and context.species and context.species.value != "other":
        return context.species.value
    matcher = species_words()
    counts = Counter()
    for sentence in all_sentences:
        for _, _, species in matcher.find(sentence.text):
            counts[species] += 1
    return counts.most_common(1)[0][0] if counts else None


def _context_drugs(context: PatientContext | None) -> set[str]:
    if not context:
        return set()
    found = set()
    for med in context.medications:
        for text in (med.name or "", med.text):
            found |= {drug.generic for _, _, drug in lexicon().find(text)}
    return found


def _add_context(note: Note, context: PatientContext | None) -> None:
    """Chart facts the clinician should see in the note, each cited to its context field."""
    if not context:
        return
    if context.medications:
        listed = "; ".join(m.text for m in context.medications)
        note.subjective.append(NoteItem(kind="context", text=f"Current medications (chart): {listed}.",
                                        provenance=[Provenance(context_field=f"medications[{i}]")
                                                    for i in range(len(context.medications))]))
    if context.allergies:
        note.subjective.append(NoteItem(kind="context", text=f"Allergies (chart): {', '.join(context.allergies)}.",
                                        provenance=[Provenance(context_field="allergies")]))
    if context.problems:
        note.assessment.append(NoteItem(kind="problem", text=f"Chart problems: {'; '.join(context.problems)}.",
                                        provenance=[Provenance(context_field="problems")]))
