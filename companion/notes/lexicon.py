"""The shipped drug lexicon and species table, loaded once and compiled into single regexes for speed."""

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Drug:
    """One lexicon entry."""

    generic: str
    drug_class: str
    ranges: dict = field(default_factory=dict)
    species_warnings: dict = field(default_factory=dict)

    def range_for(self, species: str | None) -> dict | None:
        """The cited mg/kg range for a species, or None."""
        return self.ranges.get(species) if species else None


_TOKEN = re.compile(r"[a-z0-9]+")


class PhraseMatcher:
    """Finds known (multi-word) phrases by token look-up: linear in the text, independent of vocabulary size.

    A regex alternation of hundreds of names costs time per name at every position; a dict look-up does not.
    """

    def __init__(self, phrases: dict[str, object]):
        self._first: dict[str, list[tuple[tuple[str, ...], object]]] = {}
        for phrase, value in phrases.items():
            tokens = tuple(_TOKEN.findall(phrase.lower()))
            if tokens:
                self._first.setdefault(tokens[0], []).append((tokens, value))
        for candidates in self._first.values():
            candidates.sort(key=lambda c: len(c[0]), reverse=True)

    def find(self, text: str) -> list[tuple[int, int, object]]:
        """(start, end, value) of every phrase in `text`, longest first at each position, not overlapping."""
        found = []
        tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text.lower())]
        i = 0
        while i < len(tokens):
            for phrase, value in self._first.get(tokens[i][2], ()):
                n = len(phrase)
                if i + n <= len(tokens) and all(tokens[i + k][2] == phrase[k] for k in range(1, n)) and \
                        _joined(text, tokens, i, n):
                    found.append((tokens[i][0], tokens[i + n - 1][1], value))
                    i += n - 1
                    break
            i += 1
        return found


def _joined(text: str, tokens: list, i: int, n: int) -> bool:
    """Tokens of one phrase must be separated by spaces or hyphens only, and not glued to other words."""
    for k in range(1, n):
        gap = text[tokens[i + k - 1][1]:tokens[i + k][0]]
        if len(gap) > 3 or gap.strip(" -"):
            return False
    start, end = tokens[i][0], tokens[i + n - 1][1]
    return not (start and text[start - 1] in "-_") and not (end < len(text) and text[end] in "-_")


@dataclass(frozen=True)
class Lexicon:
    """Name → drug lookup plus a phrase matcher for every known name."""

    by_name: dict
    matcher: PhraseMatcher
    sources: dict
    allergy_groups: dict
    duplicate_rules: list

    def lookup(self, said: str) -> Drug | None:
        """The drug a spoken name refers to, or None."""
        return self.by_name.get(_key(said))

    def find(self, text: str) -> list[tuple[int, int, Drug]]:
        """(start, end, drug) of every drug name in a text."""
        return self.matcher.find(text)


def _key(name: str) -> str:
    return " ".join(_TOKEN.findall(name.lower()))


def _load(name: str) -> dict:
    return json.loads(resources.files("companion.notes.data").joinpath(name).read_text("utf-8"))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The drug lexicon (cached)."""
    data = _load("drugs.json")
    by_name: dict[str, Drug] = {}
    for entry in data["drugs"]:
        drug = Drug(entry["generic"], entry["class"], entry.get("ranges", {}), entry.get("species_warnings", {}))
        for name in [entry["generic"], *entry.get("brands", [])]:
            by_name.setdefault(_key(name), drug)
    return Lexicon(by_name, PhraseMatcher(by_name), data["sources"], data["allergy_groups"],
                   data["duplicate_therapy"])


@lru_cache(maxsize=1)
def species_table() -> dict:
    """The species reference-range table (cached)."""
    return _load("species_ranges.json")


@lru_cache(maxsize=1)
def species_words() -> PhraseMatcher:
    """A matcher of species words ("dog", "mare", "bearded dragon") giving the species."""
    return PhraseMatcher({w: sp for sp, ws in species_table()["words"].items() for w in ws})
