"""A medication line ('Carprofen 75 mg PO BID', 'Apoquel 16mg tab q24h') -> name, dose, unit, frequency, route."""

from __future__ import annotations

import re

from companion.context.model import Medication

_DOSE = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(mg/kg|mcg/kg|µg/kg|ug/kg|mg/ml|mg/mL|mg|mcg|µg|ug|g|ml|mL|iu|IU|units?|u|tabs?|tablets?|"
    r"caps?|capsules?|drops?|gtt|puffs?|sachets?|pumps?)(?![a-z])",
    re.IGNORECASE,
)
_FREQUENCIES = [
    (r"\bsid\b|\bq24h?\b|\bonce (a|per) day\b|\bonce daily\b|\bevery 24 ?h(ours|rs)?\b|\bdaily\b|\bq ?d\b", "SID"),
    (r"\bbid\b|\bq12h?\b|\btwice (a|per) day\b|\btwice daily\b|\bevery 12 ?h(ours|rs)?\b", "BID"),
    (r"\btid\b|\bq8h?\b|\bthree times (a|per) day\b|\bthree times daily\b|\bevery 8 ?h(ours|rs)?\b", "TID"),
    (r"\bqid\b|\bq6h?\b|\bfour times (a|per) day\b|\bevery 6 ?h(ours|rs)?\b", "QID"),
    (r"\beod\b|\bq48h?\b|\bevery other day\b|\balternate days\b", "EOD"),
    (r"\bweekly\b|\bonce a week\b|\bq7d\b", "weekly"),
    (r"\bmonthly\b|\bonce a month\b|\bq30d\b", "monthly"),
    (r"\bprn\b|\bas needed\b|\bwhen required\b", "PRN"),
]
_ROUTES = [
    (r"\bp\.?o\.?\b|\borally\b|\boral\b|\bby mouth\b", "PO"),
    (r"\bs\.?[cq]\.?\b|\bsubcut(aneous(ly)?)?\b", "SC"),
    (r"\bi\.?m\.?\b|\bintramuscular(ly)?\b", "IM"),
    (r"\bi\.?v\.?\b|\bintravenous(ly)?\b", "IV"),
    (r"\btopical(ly)?\b", "topical"),
    (r"\botic\b|\bin (the |both )?ears?\b", "otic"),
    (r"\bophthalmic\b|\bin (the |both )?eyes?\b|\bou\b", "ophthalmic"),
    (r"\btransdermal\b", "transdermal"),
    (r"\binhaled\b|\binhal(er|ation)\b", "inhaled"),
]
_FORM_WORDS = re.compile(r"\b(tablets?|tabs?|capsules?|caps?|oral suspension|suspension|solution|injection|"
                         r"inj|liquid|chewables?|ointment|cream|drops)\b.*$", re.IGNORECASE)
_UNIT_SPELLING = {"ug": "mcg", "µg": "mcg", "iu": "IU", "u": "units", "unit": "units", "ml": "mL", "mg/ml": "mg/mL",
                  "tab": "tablet", "tabs": "tablet", "tablets": "tablet", "cap": "capsule", "caps": "capsule",
                  "capsules": "capsule", "drop": "drop", "drops": "drop", "gtt": "drop", "ug/kg": "mcg/kg",
                  "µg/kg": "mcg/kg"}


def _first(patterns: list[tuple[str, str]], text: str) -> str | None:
    for pattern, value in patterns:
        if re.search(pattern, text, re.IGNORECASE):
            return value
    return None


def _name(text: str, dose_start: int | None) -> str | None:
    head = text[:dose_start] if dose_start is not None else text
    head = re.split(r"\s[-–:]\s|,|\s\d", head)[0]
    head = _FORM_WORDS.sub("", head)
    head = re.sub(r"\s+", " ", head).strip(" -–:,(")
    return head or None


def parse_medication(line: str) -> Medication:
    """Parse what the line allows; the original text is always kept."""
    text = re.sub(r"\s+", " ", line).strip()
    doses = list(_DOSE.finditer(text))
    # a concentration (1.5 mg/mL) describes the product; the dose is the next amount, when there is one
    dose_match = next((m for m in doses if "/ml" not in m.group(2).lower()), doses[0] if doses else None)
    medication = Medication(text=text, name=_name(text, doses[0].start() if doses else None))
    if dose_match:
        medication.dose = float(dose_match.group(1).replace(",", "."))
        unit = dose_match.group(2)
        medication.unit = _UNIT_SPELLING.get(unit.lower(), unit.lower() if unit.lower() != "mg/ml" else "mg/mL")
    medication.frequency = _first(_FREQUENCIES, text)
    medication.route = _first(_ROUTES, text)
    return medication
