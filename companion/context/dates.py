"""Chart dates in the formats PIMS pages show them, and ages ('4y 3m', '8 weeks') in years."""

from __future__ import annotations

import re
from datetime import date

from dateutil import parser as dateutil_parser

_DATE_PATTERNS = [
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),                                  # 2019-03-12
    re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"),                        # 12/03/2019, 3.12.19
    re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?[ -]+[A-Za-z]{3,9}\.?,?[ -]+\d{2,4}\b"),  # 12 Mar 2019, 1st March 19
    re.compile(r"\b[A-Za-z]{3,9}\.? +\d{1,2}(?:st|nd|rd|th)?,? +\d{4}\b"),       # March 12th, 2019
    re.compile(r"\b\d{4}/\d{1,2}/\d{1,2}\b"),                                  # 2019/03/12
]
_AMBIGUOUS = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}$")
_AGE_PART = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(years?|yrs?|y/?o|y|months?|mos?|mths?|m|weeks?|wks?|w|days?|d)(?![a-z])", re.IGNORECASE
)
_YEARS_PER_UNIT = {"y": 1.0, "m": 1 / 12, "w": 7 / 365.25, "d": 1 / 365.25}


class DateError(ValueError):
    """Why a date could not be read (message holds no patient data)."""


def parse_chart_date(text: str, *, dayfirst: bool | None = None, notes: list[str] | None = None) -> date:
    """The first date in `text`. Ambiguous 03/04/2019 is read day-first only when `dayfirst` says so."""
    for pattern in _DATE_PATTERNS:
        found = pattern.search(text)
        if not found:
            continue
        raw = found.group(0)
        ambiguous = _AMBIGUOUS.match(raw)
        first = dayfirst
        if ambiguous and dayfirst is None:
            a, b = int(ambiguous.group(1)), int(ambiguous.group(2))
            first = a > 12  # 25/12/2019 can only be day-first
            if a <= 12 and b <= 12 and a != b and notes is not None:
                notes.append("ambiguous day/month order; read month first (set the clinic's date order)")
        try:
            return dateutil_parser.parse(raw, dayfirst=bool(first), yearfirst=raw[:4].isdigit()).date()
        except (ValueError, OverflowError) as exc:
            raise DateError("is not a valid date") from exc
    raise DateError("has no recognisable date")


def age_in_years(born: date, today: date) -> float:
    """Age in years (two decimals) on `today`."""
    return round((today - born).days / 365.25, 2)


def parse_age(text: str) -> float:
    """'4 years 3 months', '4y 3m', '8 wks', '2.5 yrs', '4 yo' -> years."""
    parts = _AGE_PART.findall(text)
    if not parts:
        raise DateError("has no age with a unit")
    years = 0.0
    for number, unit in parts:
        key = unit.lower()[0]  # y(ears), m(onths), w(eeks), d(ays)
        years += float(number.replace(",", ".")) * _YEARS_PER_UNIT[key]
    return round(years, 2)
