"""Transcript parsing: speaker tags, continuation lines, structured segments, empty input."""

import pytest

from companion.notes import EmptyTranscriptError, Speaker, draft_note, parse_transcript
from companion.notes.errors import TranscriptFormatError
from companion.notes.transcript import coerce_segments


def test_colon_and_bracket_tags_map_to_roles():
    text = ("Dr: Hello there.\nOwner: He is limping.\n[doctor] Let me look.\n[patient] Okay.\n[vet] Fine.\n"
            "[client] Thanks.\n[patient_guest] Me too.\nTech: Temp is normal.\nNurse: Weight done.")
    roles = [s.speaker for s in parse_transcript(text)]
    assert roles == [Speaker.vet, Speaker.client, Speaker.vet, Speaker.client, Speaker.vet, Speaker.client,
                     Speaker.client, Speaker.tech, Speaker.tech]


def test_untagged_line_continues_previous_turn_and_ids_are_sequential():
    segments = parse_transcript("Dr: First part\nsecond part.\n\nOwner: Reply.")
    assert [(s.id, s.text) for s in segments] == [("s1", "First part second part."), ("s2", "Reply.")]


def test_text_before_any_tag_is_other():
    assert parse_transcript("just words here")[0].speaker == Speaker.other


def test_structured_segments_accept_api_roles_and_keep_ids():
    segments = coerce_segments([{"speaker": "vet", "text": "Hi.", "id": "a"},
                                {"speaker": "client", "text": "Hello.", "start_ms": 5}])
    assert [(s.id, s.speaker) for s in segments] == [("a", Speaker.vet), ("s2", Speaker.client)]
    assert segments[1].start_ms == 5


def test_bad_segments_are_a_clear_error():
    with pytest.raises(TranscriptFormatError, match="segment 1"):
        coerce_segments([{"speaker": "vet"}])
    with pytest.raises(TranscriptFormatError, match="share one id"):
        coerce_segments([{"id": "x", "text": "a"}, {"id": "x", "text": "b"}])


@pytest.mark.parametrize("transcript", ["", "   \n\n", "Dr:\nOwner:", "[inaudible] [silence]",
                                        "Dr: um\nOwner: uh okay yeah", "Dr: Hi.", [], [{"speaker": "vet", "text": " "}]])
def test_empty_silent_or_near_empty_input_drafts_nothing(transcript):
    with pytest.raises(EmptyTranscriptError) as caught:
        draft_note(transcript)
    assert isinstance(caught.value, ValueError)
    assert "no note was drafted" in str(caught.value)


def test_tags_inside_a_line_start_new_turns():
    segments = parse_transcript("Dr: This is a dog. Owner: He limps. [doctor] ok [patient] fine")
    assert [(s.speaker, s.text) for s in segments] == [
        (Speaker.vet, "This is a dog."), (Speaker.client, "He limps."), (Speaker.vet, "ok"), (Speaker.client, "fine")]
    assert parse_transcript("Owner: I asked my vet: what now?")[0].text == "I asked my vet: what now?"
