"""Spoken numbers become digits without moving any character."""

import pytest

from companion.notes.numbers import normalise


@pytest.mark.parametrize("said, value", [
    ("twenty-five milligrams", "25"), ("point five mils", "0.5"), ("two point five mg", "2.5"),
    ("one and a half tablets", "1.5"), ("a hundred and ten", "110"), ("one oh one point five", "101.5"),
    ("one twenty", "120"), ("eight hundred eighty", "880"), ("ninety-eight point six", "98.6"),
    ("three hundred grams", "300"), ("1 point 5 ml", "1.5")])
def test_spoken_numbers(said, value):
    out = normalise(said)
    assert len(out) == len(said)
    assert out.split()[0] == value


@pytest.mark.parametrize("text", ["I want to say a lot", "HR 120 and RR 30", "at one point", "point of care",
                                  "no numbers here"])
def test_text_without_spoken_numbers_keeps_its_words(text):
    out = normalise(text)
    assert len(out) == len(text)
    assert [w for w in out.split() if w.isalpha()] == [w for w in text.split() if w.isalpha() and
                                                       w not in ("one",)]
