"""Optional LLM engine through an OpenAI-compatible chat-completions endpoint (Ollama, llama.cpp, vLLM...).

Its draft passes the same grounding verifier and safety checks as the embedded engine's. When the backend is
unreachable or answers nonsense, the embedded engine drafts instead and the note says so in `engine_note`.
"""

import json
import re
from dataclasses import dataclass

from companion.context.model import PatientContext
from companion.notes.engine import EmbeddedEngine, species_of
from companion.notes.errors import BackendError
from companion.notes.http import post
from companion.notes.lexicon import lexicon
from companion.notes.model import MedicationOrder, Note, NoteItem, Provenance, Segment, Vital
from companion.notes.template import KNOWN_SYSTEMS, Template
from companion.notes.text import sentences

SYSTEM_PROMPT = """You are a veterinary scribe. Draft a SOAP note ONLY from the numbered transcript segments and \
the chart. Never add anything that was not said. Cite the segment ids that support every item. A drug the client \
mentions is not a prescription unless the vet prescribes it. Answer with one JSON object and nothing else:
{"subjective": [{"text": str, "segment_ids": [str]}], "assessment": [...same...], "plan": [...same...],
 "exam": {"<system>": [{"text": str, "segment_ids": [str]}]},
 "vitals": [{"name": "temperature|heart_rate|respiratory_rate|weight", "value": number, "unit": str,
             "segment_ids": [str]}],
 "medications": [{"drug": str, "dose": number|null, "unit": str|null, "route": str|null, "frequency": str|null,
                  "duration": str|null, "status": "new|continued|changed|discontinued", "segment_ids": [str]}]}
Body systems: """ + ", ".join(KNOWN_SYSTEMS)
_VITAL_NAMES = {"temperature", "heart_rate", "respiratory_rate", "weight"}
_JSON_BLOCK = re.compile(r"\{.*\}", re.DOTALL)


@dataclass
class LLMConfig:
    """Where and how to reach the chat endpoint."""

    url: str
    model: str
    api_key: str | None = None
    timeout: float = 30.0
    retries: int = 2
    backoff: float = 0.5


class LLMEngine:
    """Drafts with a chat model; falls back to the embedded engine when the backend fails."""

    def __init__(self, config: LLMConfig, fallback: EmbeddedEngine | None = None):
        self.config = config
        self.fallback = fallback or EmbeddedEngine()
        self.name = f"llm:{config.model}"

    def draft(self, segments: list[Segment], context: PatientContext | None, template: Template) -> Note:
        """A note from the model, or the embedded engine's note with the reason it answered instead."""
        try:
            answer = self._ask(segments, context)
            note = self._to_note(answer, segments)
        except BackendError as exc:
            return self._fall_back(segments, context, template, exc)
        note.species = species_of(context, sentences(segments))
        return note

    def _fall_back(self, segments, context, template, exc: BackendError) -> Note:
        """The embedded engine's draft, saying why it answered."""
        note = self.fallback.draft(segments, context, template)
        note.engine = f"{self.fallback.name} (fallback)"
        note.engine_note = f"LLM backend failed, the embedded engine answered: {exc}"
        return note

    def _ask(self, segments: list[Segment], context: PatientContext | None) -> dict:
        lines = [f"[{s.id}] ({s.speaker.value}) {s.text}" for s in segments]
        chart = context.model_dump_json(exclude_none=True) if context else "{}"
        body = {"model": self.config.model, "temperature": 0, "response_format": {"type": "json_object"},
                "messages": [{"role": "system", "content": SYSTEM_PROMPT},
                             {"role": "user", "content": f"Chart: {chart}\n\nTranscript:\n" + "\n".join(lines)}]}
        headers = {"Content-Type": "application/json"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        url = self.config.url.rstrip("/") + "/chat/completions"
        reply = post(url, json.dumps(body).encode(), headers, self.config.timeout, self.config.retries,
                     self.config.backoff)
        try:
            content = reply["choices"][0]["message"]["content"]
            match = _JSON_BLOCK.search(content)
            parsed = json.loads(match.group(0) if match else content)
        except (KeyError, IndexError, TypeError, json.JSONDecodeError, AttributeError):
            raise BackendError("the LLM answer was not a chat completion holding a JSON note") from None
        if not isinstance(parsed, dict):
            raise BackendError("the LLM answer was not a JSON object")
        return parsed

    def _to_note(self, answer: dict, segments: list[Segment]) -> Note:
        spans = {s.id: Provenance(segment_id=s.id, start=0, end=len(s.text)) for s in segments}
        note = Note(engine=self.name, segments_used=len(segments))

        def cite(entry) -> list[Provenance]:
            ids = entry.get("segment_ids") if isinstance(entry, dict) else None
            return [spans.get(str(i)) or Provenance(segment_id=str(i), start=0, end=1) for i in ids or []]

        for section, kind in (("subjective", "history"), ("assessment", "diagnosis"), ("plan", "instruction")):
            getattr(note, section).extend(NoteItem(kind=kind, text=str(e.get("text", "")), provenance=cite(e))
                                          for e in _entries(answer.get(section)))
        for system, entries in (answer.get("exam") or {}).items():
            if system in KNOWN_SYSTEMS:
                note.exam[system] = [NoteItem(kind="finding", system=system, text=str(e.get("text", "")),
                                              provenance=cite(e)) for e in _entries(entries)]
        for entry in _entries(answer.get("vitals")):
            if entry.get("name") in _VITAL_NAMES and isinstance(entry.get("value"), (int, float)):
                note.vitals.append(Vital(name=entry["name"], value=float(entry["value"]), unit=_unit(entry),
                                         said=f"{entry['value']} {entry.get('unit') or ''}".strip(),
                                         provenance=cite(entry)))
        for entry in _entries(answer.get("medications")):
            order = _order(entry, cite(entry))
            if order is not None:
                (note.mentioned_medications if order.status == "mentioned" else note.medications).append(order)
        return note


_UNITS = {"f": "°F", "°f": "°F", "fahrenheit": "°F", "c": "°C", "°c": "°C", "celsius": "°C", "kg": "kg",
          "kgs": "kg", "lb": "lb", "lbs": "lb", "pounds": "lb", "g": "g", "grams": "g", "bpm": "/min", "/min": "/min",
          "breaths/min": "/min", "beats/min": "/min"}


def _unit(entry: dict) -> str | None:
    unit = str(entry.get("unit") or "").strip().lower()
    if entry.get("name") in ("heart_rate", "respiratory_rate"):
        return "/min"
    return _UNITS.get(unit)


def _entries(value) -> list[dict]:
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def _order(entry: dict, provenance: list[Provenance]) -> MedicationOrder | None:
    said = str(entry.get("drug") or "").strip()
    if not said:
        return None
    drug = lexicon().lookup(said)
    status = entry.get("status") if entry.get("status") in ("new", "continued", "changed", "discontinued") \
        else "mentioned"
    dose = entry.get("dose") if isinstance(entry.get("dose"), (int, float)) else None
    return MedicationOrder(drug=drug.generic if drug else said.lower(), said_as=said,
                           drug_class=drug.drug_class if drug else None, dose=dose, unit=entry.get("unit"),
                           route=entry.get("route"), frequency=entry.get("frequency"),
                           duration=entry.get("duration"), status=status, in_lexicon=drug is not None,
                           provenance=provenance)
