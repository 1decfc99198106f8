"""Vital signs from clinician sentences: temperature, heart and respiratory rate, weight, BCS, MM, CRT, pain."""

import re

from companion.notes.model import Vital
from companion.notes.text import Sentence

_NUM = r"(\d+(?:\.\d+)?)"
_GAP = r"[^\d.?!]{0,30}?"
_TEMP = re.compile(rf"\b(?:temp(?:erature)?|rectal temp)\b(?:\s*(?:is|was|of|:|=|at|reads?|came back))?"
                   rf"{_GAP}{_NUM}\s*(?:°|degrees?|deg)?\s*(fahrenheit|celsius|f|c)?\b"
                   rf"|(?<!['’])\bt\s*[:=]?\s*{_NUM}\s*(?:°|degrees?)?\s*(fahrenheit|celsius|f|c)?\b"
                   rf"|(?<!over )(?<!above )(?<!below )(?<!under )(?<!than )\b{_NUM}\s*(?:°|degrees?)\s*"
                   rf"(fahrenheit|celsius|f|c)?\b", re.IGNORECASE)
_NOT_A_RATE = r"(?!\s*(?:%|percent|mg|mcg|ml|kg|lbs?|pounds|years?|days?|weeks?|months?))"
_HR = re.compile(rf"\b(?:heart\s*rate|hr|pulse(?: rate)?|heart (?:is|was) (?:beating|going|running) at)\b"
                 rf"(?! ?ox){_GAP}{_NUM}\b{_NOT_A_RATE}|\b{_NUM}\s*(?:bpm|beats(?: per| a)? min(?:ute)?)\b", re.IGNORECASE)
_RR = re.compile(rf"\b(?:resp(?:iratory)?(?:\s*rate)?|rr|resps|respirations?|breathing(?: rate)?|breaths)\b{_GAP}"
                 rf"{_NUM}\b{_NOT_A_RATE}|\b{_NUM}\s*(?:breaths(?: per| a)? min(?:ute)?|brpm)\b", re.IGNORECASE)
_WEIGHT_CUE = re.compile(r"\b(?:weigh(?:s|ed|ing|t)?|wt|scale|body weight)\b", re.IGNORECASE)
_MASS = re.compile(rf"{_NUM}\s*(kgs?|kilo(?:gram)?s?|lbs?|pounds?|grams?|g|oz|ounces?)\b", re.IGNORECASE)
_WEIGHT_BARE = re.compile(rf"\b(?:weighs|weight(?:\s+(?:is|was|today))?|weighed(?:\s+in)?(?:\s+at)?|wt)\b"
                          rf"[^\d]{{0,12}}?{_NUM}\b(?!\s*(?:%|percent|mg|mcg|ml|years?|months?|weeks?|days?))",
                          re.IGNORECASE)
_BCS = re.compile(rf"\b(?:bcs|body condition(?: score)?)\b{_GAP}{_NUM}(?:\s*(?:/|out of|over|of)\s*(5|9))?",
                  re.IGNORECASE)
_MM = re.compile(r"\b(?:mucous membranes?|mms?|gums?)\b(?:\s+(?:are|were|look|looked|is|:))?\s*"
                 r"((?:(?:nice|nicely|and|moist|tacky|dry|pale|pink|white|grey|gray|injected|cyanotic|blue|icteric|"
                 r"yellow|brick[- ]red|muddy|hyperaemic|hyperemic|bright|normal)[\s,]*){1,4})", re.IGNORECASE)
_CRT = re.compile(rf"\b(?:crt|capillary refill(?: time)?)\b[^\d]{{0,20}}?((?:less than|under|<)\s*)?{_NUM}"
                  rf"\s*(?:sec(?:ond)?s?|s)?\b", re.IGNORECASE)
_PAIN = re.compile(rf"\bpain (?:score|scale)\b(?:\s+(?:is|was|of|at|today))*\s*:?\s*{_NUM}(?:\s*(?:/|out of|over|of)\s*(\d{{1,2}}))?",
                   re.IGNORECASE)
_UNIT = {"f": "°F", "fahrenheit": "°F", "c": "°C", "celsius": "°C"}
_MASS_UNIT = {"kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "kilogram": "kg", "kilograms": "kg", "lb": "lb",
              "lbs": "lb", "pound": "lb", "pounds": "lb", "g": "g", "gram": "g", "grams": "g", "oz": "oz",
              "ounce": "oz", "ounces": "oz"}
TO_KG = {"kg": 1.0, "lb": 0.45359237, "g": 0.001, "oz": 0.028349523}


def extract_vitals(sentence: Sentence) -> list[Vital]:
    """All vitals stated in one sentence (clinician or client; the caller decides what to trust)."""
    if sentence.is_question:
        return []
    found: list[Vital] = []
    text = sentence.norm
    for extractor in (_temperature, _heart_rate, _resp_rate, _weight, _bcs, _mm, _crt, _pain):
        vital = extractor(text, sentence)
        if vital is not None:
            found.append(vital)
    return found


def _vital(sentence: Sentence, match: re.Match, **fields) -> Vital:
    start, end = match.span()
    return Vital(said=sentence.said(start, end), provenance=[sentence.provenance(start, end)], **fields)


_ENVIRONMENT = re.compile(r"\b(?:enclosure|basking|cage|tank|vivarium|terrarium|room|outside|house|barn|water|"
                          r"heat lamp|bulb|cool side|hot side|incubator|ambient|brooder|thermostat|weather)\b",
                          re.IGNORECASE)


def _temperature(text: str, sentence: Sentence) -> Vital | None:
    environmental = bool(_ENVIRONMENT.search(text))
    for match in _TEMP.finditer(text):
        value = float(match.group(1) or match.group(3) or match.group(5))
        unit = _UNIT.get((match.group(2) or match.group(4) or match.group(6) or "").lower())
        if unit is None:
            unit = "°F" if 80 <= value <= 115 else "°C" if 25 <= value <= 46 else None
        if unit is None or match.group(5) and not (match.group(6) or 80 <= value <= 115):
            continue
        return _vital(sentence, match, name="temperature", value=value, unit=unit, environmental=environmental)
    return None


def _rate(pattern: re.Pattern, name: str, low: int, high: int, text: str, sentence: Sentence) -> Vital | None:
    for match in pattern.finditer(text):
        value = float(match.group(1) or match.group(2))
        if low <= value <= high:
            return _vital(sentence, match, name=name, value=value, unit="/min")
    return None


def _heart_rate(text: str, sentence: Sentence) -> Vital | None:
    return _rate(_HR, "heart_rate", 10, 600, text, sentence)


def _resp_rate(text: str, sentence: Sentence) -> Vital | None:
    return _rate(_RR, "respiratory_rate", 2, 250, text, sentence)


_CHANGE_BEFORE = re.compile(r"\b(?:gain(?:s|ed)?|los(?:e|t|ing|es)|put on|dropped|down|up|more than|over|under|"
                            r"less than)\b[^\d]*$", re.IGNORECASE)
_SHE_IS_MASS = re.compile(rf"\b(?:he|she|it|they)(?:'s| is| are)\s+(?:about\s+|around\s+|now\s+|only\s+)?"
                         rf"{_NUM}\s*(kgs?|kilo(?:gram)?s?|lbs?|pounds?|grams?)\b", re.IGNORECASE)


def _weight(text: str, sentence: Sentence) -> Vital | None:
    cue = _WEIGHT_CUE.search(text)
    if not cue:
        stated = _SHE_IS_MASS.search(text)
        if stated:
            return _vital(sentence, stated, name="weight", value=float(stated.group(1)),
                          unit=_MASS_UNIT[stated.group(2).lower()])
        return None
    for match in _MASS.finditer(text, cue.start()):
        if _CHANGE_BEFORE.search(text, max(0, match.start() - 25), match.start()):
            continue  # "call me if you gain three pounds" is a threshold, not a weight
        unit = _MASS_UNIT[match.group(2).lower()]
        return _vital(sentence, match, name="weight", value=float(match.group(1)), unit=unit)
    bare = _WEIGHT_BARE.search(text)
    if bare and 0 < float(bare.group(1)) < 2000:
        return _vital(sentence, bare, name="weight", value=float(bare.group(1)), unit=None)
    return None


def _bcs(text: str, sentence: Sentence) -> Vital | None:
    match = _BCS.search(text)
    if not match:
        return None
    value = float(match.group(1))
    scale = int(match.group(2)) if match.group(2) else (9 if value > 5 else None)
    if value <= 0 or value > (scale or 9):
        return None
    return _vital(sentence, match, name="body_condition_score", value=value, scale=scale)


def _mm(text: str, sentence: Sentence) -> Vital | None:
    match = _MM.search(text)
    if not match:
        return None
    words = re.sub(r"\s+", " ", match.group(1)).strip(" ,").removesuffix(" and").strip()
    if not words or words in ("and", "nice", "normal") and "gum" in match.group(0).lower():
        return None
    return _vital(sentence, match, name="mucous_membranes", value=words.lower())


def _crt(text: str, sentence: Sentence) -> Vital | None:
    match = _CRT.search(text)
    if not match:
        return None
    value = float(match.group(2))
    if value > 10:
        return None
    return _vital(sentence, match, name="crt", value=value, unit="s" if not match.group(1) else "s (less than)")


def _pain(text: str, sentence: Sentence) -> Vital | None:
    match = _PAIN.search(text)
    if not match:
        return None
    return _vital(sentence, match, name="pain_score", value=float(match.group(1)),
                  scale=int(match.group(2)) if match.group(2) else None)


def weight_kg(vital: Vital) -> float | None:
    """Weight in kg, or None when the unit was not said."""
    if vital.unit in TO_KG and isinstance(vital.value, float):
        return vital.value * TO_KG[vital.unit]
    return None
