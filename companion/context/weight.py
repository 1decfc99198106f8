"""Body weight text ('32.5kg', '71 lbs', '4 lb 6 oz', '850 g') -> kilograms, keeping the unit as written."""

from __future__ import annotations

import re

from companion.context.model import Weight

KG_PER_UNIT = {"kg": 1.0, "g": 0.001, "lb": 0.45359237, "oz": 0.028349523125}
_UNIT_WORDS = {
    "kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "kilogram": "kg", "kilograms": "kg",
    "g": "g", "gm": "g", "gms": "g", "gr": "g", "gram": "g", "grams": "g",
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb", "#": "lb",
    "oz": "oz", "ozs": "oz", "ounce": "oz", "ounces": "oz",
}
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_UNIT = r"(kilograms?|kilos?|kgs?|grams?|gms?|gr|g|pounds?|lbs?|#|ounces?|ozs?)"
_AMOUNT = re.compile(_NUMBER + r"\s*" + _UNIT + r"(?![a-z])", re.IGNORECASE)
_LB_OZ = re.compile(_NUMBER + r"\s*(?:lbs?|pounds?)\s*,?\s*" + _NUMBER + r"\s*(?:oz|ounces?)(?![a-z])", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\s*" + _NUMBER + r"\s*$")


class WeightError(ValueError):
    """Why a weight could not be read (message holds no patient data)."""


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def parse_weight(text: str) -> Weight:
    """The first weight in `text`; raises WeightError when there is no number with a unit."""
    combined = _LB_OZ.search(text)
    if combined:
        pounds, ounces = _num(combined.group(1)), _num(combined.group(2))
        kg = pounds * KG_PER_UNIT["lb"] + ounces * KG_PER_UNIT["oz"]
        return Weight(kg=round(kg, 3), source_value=round(pounds + ounces / 16, 4), source_unit="lb")
    found = _AMOUNT.search(text)
    if not found:
        if _BARE_NUMBER.match(text):
            raise WeightError("has a number but no unit (kg or lb?); not guessing")
        raise WeightError("no number with a unit")
    value = _num(found.group(1))
    unit = _UNIT_WORDS[found.group(2).lower()]
    if value <= 0:
        raise WeightError("is not above zero")
    return Weight(kg=round(value * KG_PER_UNIT[unit], 3), source_value=value, source_unit=unit)
