"""Property tests: random and hostile transcripts never crash the engine nor yield an ungrounded medication."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.context.model import PatientContext
from companion.notes import EmptyTranscriptError, NoteEngineError, draft_note
from companion.notes.evaluate import ungrounded_medications
from companion.notes.transcript import coerce_segments
from companion.notes.verifier import Evidence, drugs_in, numbers_in

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TAGS = ["Dr:", "Owner:", "[doctor]", "[patient]", "[vet]", "[client]", "[patient_guest]", "Tech:", "", "Dr.:",
        "[", "]:", ":"]
WORDS = ["carprofen", "Rimadyl", "Cerenia", "mg", "mg/kg", "mL", "twice", "daily", "start", "stop", "continue",
         "give", "no,", "make", "that", "twenty-five", "point", "five", "one", "oh", "hundred", "half", "a", "and",
         "temp", "heart", "rate", "weighs", "kg", "lb", "grade", "lameness", "tooth", "106", "murmur", "no",
         "lungs", "clear", "I", "think", "recheck", "in", "2", "weeks", "75", "0.5", "1e9", "-3", "10000000000",
         "prednisone", "amoxicillin", "don't", "?", ".", ",", ";", "—", "\u202e", "💊", "<script>", "NaN", "∞",
         "99999999999999999999", "BCS", "CRT", "pain", "score", "out", "of", "9", "degrees", "F", "C"]
line = st.builds(lambda tag, words: f"{tag} {' '.join(words)}", st.sampled_from(TAGS),
                 st.lists(st.sampled_from(WORDS), min_size=0, max_size=30))
transcripts = st.one_of(st.lists(line, min_size=0, max_size=25).map("\n".join),
                        st.text(max_size=600),
                        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
contexts = st.one_of(st.none(), st.builds(
    PatientContext, species=st.sampled_from(["canine", "feline", "reptile", "equine", "lagomorph", "other"]),
    weight=st.one_of(st.none(), st.builds(dict, kg=st.floats(min_value=0.01, max_value=900))),
    medications=st.lists(st.builds(dict, text=st.sampled_from(["Meloxicam 1 mg SID", "Prednisone 5 mg",
                                                                "???", "Rimadyl 75 mg BID"])), max_size=3),
    allergies=st.lists(st.sampled_from(["penicillin", "NSAIDs", "sulfa", ""]), max_size=2)))


def _draft(transcript, context):
    try:
        return draft_note(transcript, context)
    except EmptyTranscriptError:
        return None


@SETTINGS
@given(transcripts, contexts)
def test_never_crashes_and_never_ungrounded(transcript, context):
    note = _draft(transcript, context)
    if note is None:
        return
    segments = coerce_segments(transcript)
    assert ungrounded_medications(note, segments) == []
    evidence = Evidence(segments, context)
    for order in note.medications:
        cited = evidence.text(order.provenance)
        assert cited is not None and (order.drug in drugs_in(cited) or not order.in_lexicon)
        assert order.dose is None or order.dose in numbers_in(cited)
        assert order.status != "mentioned"
    note.text_sections()
    note.to_text()
    note.model_dump_json()


@SETTINGS
@given(st.lists(st.sampled_from(WORDS), min_size=3, max_size=40))
def test_client_words_never_become_prescriptions(words):
    transcript = "Dr: The dog presents for a limp since Monday.\nOwner: " + " ".join(words)
    note = _draft(transcript, None)
    if note is not None:
        assert note.medications == []


@SETTINGS
@given(st.lists(st.fixed_dictionaries({"speaker": st.sampled_from(["vet", "client", "tech", "other", "robot", None]),
                                       "text": st.text(max_size=120)}), max_size=8))
def test_structured_segments_never_crash(segments):
    try:
        note = draft_note(segments)
    except NoteEngineError:
        return
    assert re.search(r"grounded", note.grounding.verdict)


def test_pathological_number_runs_and_unpunctuated_text_do_not_crash():
    for transcript in ["Dr: " + " ".join(["one hundred"] * 3000) + " point five mg of carprofen",
                       "Dr: " + " . ".join(["nine"] * 3000), "Dr: " + "-".join(["twenty"] * 3000),
                       "Dr: start carprofen " + " ".join(["75 mg"] * 3000)]:
        note = draft_note(transcript)
        assert all(o.dose is None or o.dose < 1e12 for o in note.medications)
