"""Scoring of drafted notes against answer keys and reference notes (used by bench/notes_eval.py and tests)."""

import json
import re
from pathlib import Path

from companion.context.model import PatientContext
from companion.notes.lexicon import lexicon
from companion.notes.model import Note, Segment
from companion.notes.numbers import normalise
from companion.notes.transcript import coerce_segments
from companion.notes.vitals import extract_vitals

NUMERIC_VITALS = ("temperature", "heart_rate", "respiratory_rate", "weight", "body_condition_score", "crt",
                  "pain_score")
_SENTENCE = re.compile(r"(?:[^.!?;\n]|(?<=\d)\.(?=\d))+")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")
_GENERIC_DOSE = re.compile(r"\b([a-z][a-z\-]{2,30}[a-z])\s+(\d+(?:\.\d+)?)\s*(?:mg|mcg|milligrams?)\b", re.IGNORECASE)


def load_consults(directory: Path) -> list[dict]:
    """Every consult JSON file in a directory, sorted by name."""
    return [json.loads(p.read_text("utf-8")) for p in sorted(Path(directory).glob("*.json"))]


def consult_inputs(consult: dict) -> tuple[list[Segment], PatientContext | None]:
    """Segments and context of a consult file."""
    context = PatientContext.model_validate(consult["context"]) if consult.get("context") else None
    return coerce_segments("\n".join(consult["transcript"])), context


def ungrounded_medications(note: Note, segments: list[Segment]) -> list[str]:
    """Plan medications or doses the transcript does not support, checked independently of the verifier.

    A medication is supported when one transcript sentence names it (any of its names); its dose when that
    sentence, or the chart, also holds the dose number.
    """
    lex = lexicon()
    sentences = [m.group(0).lower() for s in segments for m in _SENTENCE.finditer(normalise(s.text))]
    problems = []
    for order in note.medications + note.mentioned_medications:
        names = {order.said_as.lower(), order.drug}
        holding = [s for s in sentences if any(d.generic == order.drug for *_, d in lex.find(s))
                   or any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", s) for n in names)]
        if not holding:
            problems.append(f"{order.drug}: not named in the transcript")
        elif order.dose is not None and not any(order.dose in {float(n) for n in _NUMBER.findall(s)}
                                                for s in holding):
            problems.append(f"{order.drug} {order.dose:g} {order.unit}: dose not said with the drug")
    return problems


def score_consult(consult: dict, note: Note) -> dict:
    """Medication, vital and flag agreement of one note with a consult's answer key."""
    key = consult["expected"]
    meds = {o.drug: o for o in note.medications}
    med_hits, med_misses = [], []
    for want in key["medications"]:
        got = meds.get(want["drug"])
        ok = got is not None and all(_same(getattr(got, field), want[field]) for field in want if field != "drug")
        (med_hits if ok else med_misses).append(want["drug"] if ok else f"{want} got {got.describe() if got else None}")
    wrongly_prescribed = [d for d in key.get("not_prescribed", []) if d in meds]
    extra_meds = [d for d in meds if d not in {w["drug"] for w in key["medications"]}]
    vitals = {v.name: v.value for v in note.vitals if v.name in NUMERIC_VITALS and not v.environmental}
    expected_vitals = key.get("vitals", {})
    vital_tp = sum(1 for n, v in expected_vitals.items() if _same(vitals.get(n), v))
    codes = {f.code for f in note.flags}
    return {
        "id": consult["id"], "med_expected": len(key["medications"]), "med_hits": len(med_hits),
        "med_misses": med_misses, "wrongly_prescribed": wrongly_prescribed, "extra_meds": extra_meds,
        "vital_tp": vital_tp, "vital_expected": len(expected_vitals), "vital_extracted": len(vitals),
        "vital_errors": {n: (vitals.get(n), expected_vitals.get(n)) for n in set(vitals) | set(expected_vitals)
                         if not _same(vitals.get(n), expected_vitals.get(n))},
        "flags_missing": sorted(set(key.get("flags", [])) - codes),
        "flags_forbidden": sorted(set(key.get("forbidden_flags", [])) & codes),
        "lameness_ok": all(any(x["grade"] == w["grade"] for x in note.structured.lameness)
                           for w in key.get("lameness", [])),
        "teeth_ok": set(key.get("teeth", [])) <= {t["tooth"] for t in note.structured.teeth},
        "exam_missing": sorted(set(key.get("exam_systems", [])) - set(note.exam)),
    }


def _same(got, want) -> bool:
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return abs(float(got) - float(want)) < 1e-6
    return got == want


def reference_drugs(text: str) -> set[str]:
    """Drugs a reference note names: lexicon names plus 'word N mg' patterns."""
    lex = lexicon()
    found = {d.generic for *_, d in lex.find(text)}
    for match in _GENERIC_DOSE.finditer(text):
        word = match.group(1).lower()
        drug = lex.lookup(word)
        found.add(drug.generic if drug else word)
    return {d for d in found if d not in _NOT_DRUGS}


_NOT_DRUGS = frozenset("""about take takes taking dose given give with daily twice once total """.split())


def note_drugs(note: Note) -> set[str]:
    """Every drug a note names (plan and history)."""
    return {o.drug for o in note.medications + note.mentioned_medications}


def reference_vitals(text: str) -> dict[str, float]:
    """Numeric vitals a reference note states, read with the engine's own vital patterns."""
    from companion.notes.model import Speaker
    from companion.notes.text import sentences

    found: dict[str, float] = {}
    for sentence in sentences([Segment(id="ref", speaker=Speaker.vet, text=text)]):
        for vital in extract_vitals(sentence):
            if vital.name in NUMERIC_VITALS and isinstance(vital.value, float):
                found.setdefault(vital.name, vital.value)
    return found


def note_text(note: Note) -> str:
    """Headings and section text, without flags or engine lines (for ROUGE)."""
    sections = note.text_sections()
    return "\n".join(f"{note.headings.get(k, k).upper()}\n{sections[k]}" for k in
                     ("subjective", "objective", "assessment", "plan"))
