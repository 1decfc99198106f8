"""Spoken numbers → digits without moving any character ("twenty-five" → "25" padded to the same length).

Keeping the length lets every span found in the normalised text point at the same characters of what was said.
"""

import math
import re

_ONES = {"zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
         "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000}
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_ONES_ALT = "|".join(sorted((w for w in _ONES if w != "oh"), key=len, reverse=True))
_TENS_ALT = "|".join(_TENS)
_WORD = rf"(?:{_ONES_ALT}|{_TENS_ALT}|hundred|thousand)"
_START = rf"(?:{_WORD}|half|\d+(?:\.\d+)?)"
_NEXT = rf"(?:{_WORD}|oh|half|\d+(?:\.\d+)?)"
# A transcriber may write the spoken "point" as a lone "." ("ninety eight . seven").
_JOIN = (rf"(?:a(?=[ \t-]+(?:half|hundred|thousand)\b)|and(?=[ \t-]+(?:{_WORD}|a[ \t-]+half)\b)"
         rf"|point(?=[ \t-]+(?:{_ONES_ALT}|oh|\d))|\.(?=[ \t]+(?:{_ONES_ALT})\b))")
# One regex for a whole spoken-number run: C speed, linear in the text.
_RUN = re.compile(rf"(?<![\w.])(?:a[ \t-]+(?=half|hundred|thousand)|point[ \t-]+(?={_ONES_ALT}|\d))?{_START}\b"
                  rf"(?:[ \t-]{{1,3}}(?:{_NEXT}\b|{_JOIN}))*", re.IGNORECASE)
_LETTERS = re.compile(r"[a-z]+")
_NUMBER_TOKENS = frozenset(_ONES) | frozenset(_TENS) | {"hundred", "thousand", "half", "point"}


MAX_TOKENS = 12


def normalise(text: str) -> str:
    """Return `text` with spoken numbers replaced by digits, padded with spaces to the same length."""
    if _NUMBER_TOKENS.isdisjoint(_LETTERS.findall(text.lower())):
        return text
    return _RUN.sub(_replace, text)


def _replace(match: re.Match) -> str:
    said = match.group(0)
    if _DIGITS.fullmatch(said):
        return said
    value = words_to_number(said)
    if value is None or not math.isfinite(value) or value >= 1e12:
        return said
    digits = f"{value:g}" if value != int(value) else str(int(value))
    if len(digits) > len(said) or "e" in digits:
        return said
    return digits + " " * (len(said) - len(digits))


def words_to_number(said: str) -> float | None:
    """Value of a spoken number phrase ("two point five", "one and a half", "a hundred"), or None."""
    tokens = ["point" if t == "." else t for t in re.split(r"[\s-]+", said.lower().strip()) if t]
    if len(tokens) > MAX_TOKENS:
        return None  # nobody says a dose or a vital in more words; a longer run is noise
    if not tokens or all(_DIGITS.fullmatch(t) for t in tokens) and len(tokens) == 1:
        return None
    if tokens in (["a"], ["and"], ["point"]):
        return None
    if "oh" in tokens and "point" not in tokens[:tokens.index("oh")]:
        return _digit_by_digit(tokens)
    if "point" in tokens:
        at = tokens.index("point")
        head = tokens[:at]
        whole = (_digit_by_digit(head) if "oh" in head else _integer(head)) if at else 0
        decimals = tokens[at + 1:]
        if whole is None or not decimals:
            return None
        digits = "".join(str(_ONES.get(t, t)) if (_ONES.get(t, 99) < 10 or t.isdigit()) else "x" for t in decimals)
        if "x" in digits or not digits.isdigit():
            return None
        return float(f"{whole}.{digits}")
    half = 0.0
    if tokens[-2:] == ["a", "half"] or tokens[-1:] == ["half"]:
        half = 0.5
        tokens = tokens[:-3] if tokens[-3:-2] == ["and"] else tokens[:-2] if tokens[-2:-1] in (["a"], ["one"]) \
            else tokens[:-1]
        if not tokens:
            return half
    whole = _integer(tokens)
    return None if whole is None else whole + half


def _integer(tokens: list[str]) -> int | None:
    total, current, previous = 0, 0, ""
    for token in tokens:
        if token in ("and", "a"):
            continue
        value = int(token) if token.isdigit() else _ONES.get(token, _TENS.get(token))
        if value is not None:
            # "one twenty" (a heart rate) is 120 and "one twelve" 112, not 21 and 13
            spoken_hundreds = value >= 10 and 0 < current < 10 and previous in _ONES
            current = current * 100 + value if spoken_hundreds else current + value
        elif token == "hundred":
            current = max(current, 1) * 100
        elif token == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
        previous = token
    return total + current


def _digit_by_digit(tokens: list[str]) -> float | None:
    """'one oh one point five' is said digit by digit: 101.5."""
    digits = ""
    for index, token in enumerate(tokens):
        if token == "point":
            rest = _digit_by_digit(tokens[index + 1:])
            return None if rest is None else float(f"{digits}.{str(int(rest))}")
        value = _ONES.get(token)
        if value is None or value > 9:
            return None
        digits += str(value)
    return float(digits) if digits else None
