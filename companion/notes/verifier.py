"""Grounding verifier, independent of any engine: every medication, dose, vital and diagnosis must be traceable.

It re-reads the transcript and the chart for each item's provenance; an item that cannot be traced is removed and
listed in the verdict. Engines are never trusted to have done this themselves.
"""

import re

from companion.context.model import PatientContext
from companion.notes.lexicon import lexicon
from companion.notes.model import (Grounding, MedicationOrder, Note, NoteItem, Provenance, Segment, Speaker,
                                   UngroundedItem, Vital)
from companion.notes.numbers import normalise

_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?|(?<![\w\d])\.\d+")
_WORD = re.compile(r"[a-z][a-z']{3,}")
_STOP = frozenset("""this that with have been were they there their what when will would could should about
which into your just also than then them from some very really more much only over like okay well know think
going make sure said says here does doing done good today""".split())
_NORMAL_MARK = re.compile(r"\b(?:normal|nsf|wnl|unremarkable|within normal limits|clear|good|fine|healthy|no)\b")
MIN_OVERLAP = 0.5


class Evidence:
    """The transcript and chart, indexed for look-ups by provenance."""

    def __init__(self, segments: list[Segment], context: PatientContext | None):
        self.segments = {s.id: (s.text, normalise(s.text).lower()) for s in segments}
        self.clinician_ids = {s.id for s in segments if s.speaker in (Speaker.vet, Speaker.tech)}
        self.context = context

    def text(self, provenance: list[Provenance]) -> str | None:
        """Lower-case, number-normalised text the provenance points at; None if any pointer is invalid."""
        parts = []
        for item in provenance:
            if item.context_field:
                value = self._context_value(item.context_field)
                if value is None:
                    return None
                parts.append(normalise(value).lower())
                continue
            segment = self.segments.get(item.segment_id or "")
            if segment is None or item.start is None or item.end is None or \
                    not 0 <= item.start < item.end <= len(segment[1]):
                return None
            parts.append(segment[1][item.start:item.end])
        return " \n ".join(parts) if parts else None

    def _context_value(self, field: str) -> str | None:
        if self.context is None:
            return None
        match = re.fullmatch(r"(\w+)(?:\[(\d+)\])?", field)
        if not match or match.group(1) not in type(self.context).model_fields:
            return None
        value = getattr(self.context, match.group(1))
        if match.group(2) is not None:
            index = int(match.group(2))
            if not isinstance(value, list) or index >= len(value):
                return None
            value = value[index]
        if value is None or value == []:
            return None
        if hasattr(value, "text"):
            return value.text
        if hasattr(value, "kg"):
            return f"{value.kg:g} kg {value.source_value or ''} {value.source_unit or ''}"
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def numbers_in(text: str) -> set[float]:
    """Every number in a (normalised) text."""
    return {float(n) for n in _NUMBER.findall(text)}


def drugs_in(text: str) -> set[str]:
    """Generic names of every lexicon drug named in a text."""
    return {drug.generic for _, _, drug in lexicon().find(text)}


def verify(note: Note, segments: list[Segment], context: PatientContext | None) -> Note:
    """Check and prune `note` in place; set `note.grounding`; return the note."""
    evidence = Evidence(segments, context)
    grounding = Grounding()
    orders = _keep_orders(note.medications + note.mentioned_medications, evidence, grounding)
    note.medications = [o for o in orders if o.status != "mentioned"]
    note.mentioned_medications = [o for o in orders if o.status == "mentioned"]
    note.vitals = [v for v in note.vitals if _vital_ok(v, evidence, grounding)]
    for section in ("subjective", "objective", "assessment", "plan"):
        setattr(note, section, [i for i in getattr(note, section) if _item_ok(i, evidence, grounding)])
    note.exam = {system: kept for system, items in note.exam.items()
                 if (kept := [i for i in items if _item_ok(i, evidence, grounding)])}
    note.structured.lameness = [x for x in note.structured.lameness if _structured_ok(x, "grade", evidence, grounding)]
    note.structured.teeth = [x for x in note.structured.teeth if _structured_ok(x, "tooth", evidence, grounding)]
    if any(u.action == "removed" for u in grounding.ungrounded):
        grounding.verdict = "ungrounded_removed"
    elif grounding.ungrounded:
        grounding.verdict = "ungrounded_marked"
    note.grounding = grounding
    return note


def _reject(grounding: Grounding, kind: str, text: str, reason: str) -> bool:
    grounding.ungrounded.append(UngroundedItem(kind=kind, text=text[:300], reason=reason))
    return False


def _prescribed_by_clinician(order: MedicationOrder, evidence: Evidence) -> bool:
    clinician = [p for p in order.provenance if p.segment_id in evidence.clinician_ids]
    text = evidence.text(clinician) if clinician else None
    return text is not None and (order.drug in drugs_in(text) or order.said_as.lower() in text)


def _keep_orders(orders: list[MedicationOrder], evidence: Evidence, grounding: Grounding) -> list[MedicationOrder]:
    kept = []
    for order in orders:
        grounding.checked += 1
        text = evidence.text(order.provenance)
        if text is None:
            _reject(grounding, "medication", order.said_as, "no valid provenance")
            continue
        named = drugs_in(text)
        if order.drug not in named and not (not order.in_lexicon and order.said_as.lower() in text):
            _reject(grounding, "medication", order.said_as, "drug not named in the cited evidence")
            continue
        if order.dose is not None and order.dose not in numbers_in(text):
            _reject(grounding, "dose", f"{order.said_as} {order.dose:g} {order.unit}", "dose not in the evidence")
            order.dose, order.unit, order.mg_per_kg = None, None, None
        if order.duration and not (numbers_in(order.duration) <= numbers_in(text)):
            _reject(grounding, "duration", f"{order.said_as} for {order.duration}", "duration not in the evidence")
            order.duration = None
        if order.status != "mentioned" and not _prescribed_by_clinician(order, evidence):
            grounding.ungrounded.append(UngroundedItem(
                kind="prescription", text=order.said_as, action="marked",
                reason="no clinician statement names this drug: kept as mentioned, not prescribed"))
            order.status = "mentioned"
        kept.append(order)
    return kept


def _vital_ok(vital: Vital, evidence: Evidence, grounding: Grounding) -> bool:
    grounding.checked += 1
    text = evidence.text(vital.provenance)
    if text is None:
        return _reject(grounding, "vital", vital.said, "no valid provenance")
    if isinstance(vital.value, float) and vital.value not in numbers_in(text):
        return _reject(grounding, "vital", f"{vital.name} {vital.value:g}", "value not in the evidence")
    if isinstance(vital.value, str) and not all(w in text for w in vital.value.lower().replace(",", " ").split()):
        return _reject(grounding, "vital", f"{vital.name} {vital.value}", "description not in the evidence")
    return True


def _item_ok(item: NoteItem, evidence: Evidence, grounding: Grounding) -> bool:
    grounding.checked += 1
    text = evidence.text(item.provenance)
    if text is None:
        return _reject(grounding, item.kind, item.text, "no valid provenance")
    claim = normalise(item.text).lower()
    extra_drugs = drugs_in(claim) - drugs_in(text)
    if extra_drugs:
        return _reject(grounding, item.kind, item.text, f"names {sorted(extra_drugs)} not in the evidence")
    extra_numbers = numbers_in(claim) - numbers_in(text)
    if extra_numbers:
        return _reject(grounding, item.kind, item.text, f"numbers {sorted(extra_numbers)} not in the evidence")
    if item.kind == "normal" and item.system and _NORMAL_MARK.search(text):
        return True
    if all(p.context_field for p in item.provenance):
        return True  # chart-derived lines: names and numbers were checked above
    words = {w for w in _WORD.findall(claim) if w not in _STOP}
    if words and len(words & set(_WORD.findall(text))) / len(words) < MIN_OVERLAP:
        return _reject(grounding, item.kind, item.text, "wording not supported by the evidence")
    return True


def _structured_ok(entry: dict, key: str, evidence: Evidence, grounding: Grounding) -> bool:
    grounding.checked += 1
    text = evidence.text([Provenance.model_validate(entry["provenance"])])
    if text is None or float(entry[key]) not in numbers_in(text):
        return _reject(grounding, key, str(entry[key]), "not in the evidence")
    return True
