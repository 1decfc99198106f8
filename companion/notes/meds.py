"""Medications from sentences: drug, dose, unit, route, frequency, duration and status.

Only a clinician's statement with a prescribing verb makes a prescription; a drug the client names, or one the vet
asks about, is recorded as 'mentioned' and never enters the plan.
"""

import re

from companion.notes.lexicon import lexicon
from companion.notes.model import MedicationOrder
from companion.notes.text import Sentence

_UNITS = {"mg/kg": "mg/kg", "mg per kg": "mg/kg", "milligrams per kilo": "mg/kg", "milligrams per kilogram": "mg/kg",
          "mcg/kg": "mcg/kg", "micrograms per kilo": "mcg/kg", "mg": "mg", "mgs": "mg", "milligram": "mg",
          "milligrams": "mg", "mcg": "mcg", "microgram": "mcg", "micrograms": "mcg", "ug": "mcg", "µg": "mcg",
          "ml": "mL", "mls": "mL", "mil": "mL", "mils": "mL", "milliliter": "mL", "milliliters": "mL",
          "millilitre": "mL", "millilitres": "mL", "cc": "mL", "ccs": "mL", "units": "units", "unit": "units",
          "iu": "units", "tablet": "tablet", "tablets": "tablet", "tab": "tablet", "tabs": "tablet",
          "pill": "tablet", "pills": "tablet", "capsule": "capsule", "capsules": "capsule", "cap": "capsule",
          "caps": "capsule", "drop": "drop", "drops": "drop", "pump": "pump", "pumps": "pump", "g": "g",
          "gram": "g", "grams": "g", "chew": "chew", "chews": "chew"}
_UNIT_ALT = "|".join(re.escape(u).replace(r"\ ", r"\s+") for u in sorted(_UNITS, key=len, reverse=True))
_DOSE = re.compile(rf"(?<![\w.])(\d+(?:\.\d+)?|\.\d+)\s*({_UNIT_ALT})(?![\w/])", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?!\w|\.\d|%)")
_CORRECTION = re.compile(r"\bno\s*[,—–-]+\s*(?=\d)|\b(?:no,?\s+(?:no,?\s+)?(?:make (?:that|it)|sorry|wait|actually)|sorry|actually|i mean|"
                         r"make (?:that|it)|correction|scratch that|let me correct|rather)\b", re.IGNORECASE)
_TIME_AFTER = re.compile(r"\s*(?:-\s*)?(?:days?|weeks?|months?|hours?|hrs?|h|times?|x|years?|yrs?|%|percent|"
                         r"minutes?|mins?|kg|kilos?|pounds?|lbs?|o'?clock|am|pm)\b", re.IGNORECASE)
_ROUTES = [(r"\b(?:po|p\.o\.|by mouth|orally|oral)\b", "PO"),
           (r"\b(?:sq|sc|subq|sub-q|subcutaneous(?:ly)?|under the skin)\b", "SC"),
           (r"\b(?:im|intramuscular(?:ly)?|in the muscle)\b", "IM"), (r"\b(?:iv|intravenous(?:ly)?)\b", "IV"),
           (r"\b(?:in (?:the|both|his|her|each) ears?|otic|aural)\b", "otic"),
           (r"\b(?:in (?:the|both|his|her|each) eyes?|ophthalmic)\b", "ophthalmic"),
           (r"\b(?:topical(?:ly)?|on the skin|apply)\b", "topical"), (r"\btransdermal(?:ly)?\b", "transdermal"),
           (r"\bintra-?articular(?:ly)?\b", "intra-articular")]
_FREQUENCIES = [
                (r"\b(?:bid|twice (?:a|per) day|twice daily|two times (?:a|per) day|q\s?12\s?h(?:ours|rs)?|"
                 r"every 12 hours|morning and night|morning and evening)\b", "BID"),
                (r"\b(?:tid|three times (?:a|per) day|q\s?8\s?h(?:ours|rs)?|every 8 hours)\b", "TID"),
                (r"\b(?:qid|four times (?:a|per) day|q\s?6\s?h(?:ours|rs)?|every 6 hours)\b", "QID"),
                (r"\b(?:every other day|eod|q\s?48\s?h)\b", "EOD"), (r"\b(?:as needed|prn|if needed)\b", "PRN"),
                (r"\b(?:once a week|weekly|every week)\b", "weekly"),
                (r"\b(?:once a month|monthly|every month|every 30 days)\b", "monthly"),
                (r"\b(?:every 3 months|every three months|quarterly)\b", "every 3 months"),
                (r"\bevery (\d+) hours\b", "q{0}h"),
                (r"\b(?:sid|once (?:a|per) day|once daily|daily|every day|q\s?24\s?h(?:ours|rs)?|every 24 hours|"
                 r"every morning|every evening|every night|once a day)\b", "SID"),
                (r"\b(?:once|one time|single (?:dose|injection)|today)\b", "once")]
_ROUTES = [(re.compile(p, re.IGNORECASE), v) for p, v in _ROUTES]
_FREQUENCIES = [(re.compile(p, re.IGNORECASE), v) for p, v in _FREQUENCIES]
_DURATION = re.compile(r"\b(?:for|x|times)\s+(?:the next\s+|another\s+|a total of\s+)?(\d+|a|one)\s+"
                       r"(days?|weeks?|months?)\b|\b(\d+)[- ](day|week|month)\s+course\b", re.IGNORECASE)
_DISCONTINUE = re.compile(r"\b(?:stop(?:ping)?|discontinue|d/c|hold off (?:on)?|come off|coming off|taper (?:him |her "
                          r"|them )?off|no longer|no more|quit|take (?:him|her|them) off|pull (?:him|her) off)\b",
                          re.IGNORECASE)
_CHANGE = re.compile(r"\b(?:increas(?:e|ing)|decreas(?:e|ing)|reduc(?:e|ing)|lower(?:ing)?|rais(?:e|ing)|bump(?:ing)?|"
                     r"chang(?:e|ing)|adjust(?:ing)?|switch(?:ing)?|taper(?:ing)?|up (?:the|his|her) dose|go up|"
                     r"go down|cut (?:it|the dose|back))\b", re.IGNORECASE)
_CONTINUE = re.compile(r"\b(?:continu(?:e|ing)|keep up|finish(?:ing)?|keep(?:ing)? (?:him |her |them |it |the dose )?(?:on|going|at|the "
                       r"same)|stay(?:ing)? on|remain(?:ing)? on|carry on|same dose|refill(?:ed)?)\b", re.IGNORECASE)
_NEW = re.compile(r"\b(?:start(?:ing)?|prescrib(?:e|ing)|send(?:ing)? (?:you |him |her |them )?home with|dispens"
                  r"(?:e|ing)|giv(?:e|ing)|gave|given|put (?:him|her|them|it) on|administer(?:ed|ing)?|"
                  r"inject(?:ed|ing)?|begin|add(?:ing)?|we'll use|going to use|use|try(?:ing)?|recommend(?:ing)?|"
                  r"order(?:ing)?|initiate|vaccinat(?:e|ed|ing)|booster|boost|due for|got (?:his|her|their) "
                  r"(?:shots?|vaccines?)|apply|applying|dose (?:him|her|them)|load(?:ing)? dose)\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:don't|do not|won't|will not|not going to|shouldn't|should not|avoid|never|"
                       r"not (?:give|use|start|prescribe)|no need for|rather not|instead of)\b", re.IGNORECASE)
_GENERIC_DOSE = re.compile(r"\b([a-z][a-z\-]{2,30}[a-z])\s+(?:\d+(?:\.\d+)?)\s*(?:mg|mcg|milligrams?|micrograms?)\b",
                           re.IGNORECASE)
_NOT_DRUG_WORDS = frozenset("""about around approximately give given gave take takes taking took with dose doses
dosage dosing the that this those these them then than from into onto have having been being were was what when where
which while your you your's their there here some more less much many just only also plus like maybe least most over
under each every another other same extra total daily twice once half full start started starting continue increase
increased increasing decrease decreased decreasing reduce reduced switch switched tablet tablets pill pills capsule
capsules bottle injection shot units said says think thought going want need needs needed okay about like know yeah
times every milligrams level levels label labeled prescribed prescription medication medications medicine dose
something anything nothing morning evening night daily weekly count counts blood sugar pressure about almost
initially currently previously already still even probably usually sometimes hour hours day days week weeks month
months year years grams gram kilo kilos pounds pound weighs weight weighed""".split())
_BOUNDARY = re.compile(r";|,\s*(?:and|then|but|plus|also)\b|\b(?:and then|and also)\b|\band\s+(?=(?:stop|start|"
                       r"continue|increase|decrease|give|send|keep|switch|add|discontinue|we|i|let's)\b)",
                       re.IGNORECASE)
_HISTORY_MED = re.compile(r"\b(?:ha(?:s|ve) been (?:on|taking|getting|given)|(?:was|were|is|are) on|(?:he|she|they|"
                          r"it)'s (?:on|been on)|been (?:taking|getting|giving)|takes|taking|currently|already|"
                          r"previously|last time|in the past|used to|was given|were given|had been|at home|"
                          r"the other (?:vet|clinic)|emergency (?:vet|clinic)|yesterday|last (?:night|week|month))\b",
                          re.IGNORECASE)
_ORDER_NOW = re.compile(r"\b(?:start|prescrib|send (?:you |him |her |them )?home|we'll|we will|i'll|i will|let's|"
                        r"going to|gonna|today|now|dispens|i want|i'd like|recommend)", re.IGNORECASE)
_STATUS_RANK = {"mentioned": 0, "continued": 1, "new": 2, "changed": 3, "discontinued": 4}


def find_medications(sentence: Sentence, context_drugs: set[str]) -> list[MedicationOrder]:
    """Every drug named in a sentence, with what the sentence says about dose, route, frequency and status."""
    mentions = _mentions(sentence)
    orders = []
    text = sentence.norm
    for index, (start, end, said, drug_class, generic, known) in enumerate(mentions):
        lead_from = mentions[index - 1][1] if index else 0
        tail_to = mentions[index + 1][0] if index + 1 < len(mentions) else len(text)
        boundaries = [m.end() for m in _BOUNDARY.finditer(text, lead_from, start)]
        clause_start = boundaries[-1] if boundaries else lead_from
        # a later drug's own clause starts at a boundary ("..., and stop the prednisone"); with no later drug,
        # the rest of the sentence still speaks of this one ("finish the cephalexin and then stop it")
        cut = _BOUNDARY.search(text, end, tail_to) if index + 1 < len(mentions) else None
        clause_end = cut.start() if cut else tail_to
        clause = text[clause_start:clause_end]
        status = _status(sentence, text[clause_start:end], clause, generic, context_drugs)
        if status == "mentioned" and orders and clause_start == lead_from and _joined_list(text[lead_from:start]):
            status = orders[-1].status  # "start X and Y": Y shares X's verb
        order = MedicationOrder(drug=generic, said_as=sentence.text[start:end], drug_class=drug_class,
                                in_lexicon=known, status=status)
        _fill_dose(order, clause, start - clause_start, end - clause_start)
        _fill_schedule(order, clause)
        # the whole clause is the evidence: it holds the dose, route, frequency and duration that were said
        stripped = clause.rstrip(" ,.;:!?-—")
        lead_space = len(clause) - len(clause.lstrip(" ,;:-—"))
        order.provenance = [sentence.provenance(clause_start + lead_space, clause_start + len(stripped))]
        orders.append(order)
    return orders


_LIST_JOIN = re.compile(r"^[^;.!?]*?(?:,|\band\b|\bplus\b|\bwith\b)\s*(?:the\s+|a\s+|some\s+)?$", re.IGNORECASE)


def _joined_list(between: str) -> bool:
    """True when two drug names are joined as a list ("X 5 mg once a month and Y")."""
    return len(between) <= 60 and bool(_LIST_JOIN.match(between)) and not _NEGATION.search(between)


def _mentions(sentence: Sentence) -> list[tuple]:
    lex = lexicon()
    found = []
    for start, end, drug in lex.find(sentence.norm):
        found.append((start, end, sentence.norm[start:end], drug.drug_class, drug.generic, True))
    taken = [(s, e) for s, e, *_ in found]
    for match in _GENERIC_DOSE.finditer(sentence.norm):
        word = match.group(1).lower()
        if word in _NOT_DRUG_WORDS or word.endswith(("ing", "ed", "ly")) or lex.lookup(word):
            continue
        if any(s <= match.start(1) < e for s, e in taken):
            continue
        found.append((match.start(1), match.end(1), match.group(1), None, word, False))
    return sorted(found)


def _status(sentence: Sentence, lead: str, clause: str, generic: str, context_drugs: set[str]) -> str:
    """new / continued / changed / discontinued when a clinician orders it; otherwise 'mentioned'."""
    if not sentence.by_clinician or sentence.is_question:
        return "mentioned"
    if _NEGATION.search(lead):
        return "discontinued" if generic in context_drugs else "mentioned"
    for pattern, status in ((_DISCONTINUE, "discontinued"), (_CHANGE, "changed"), (_CONTINUE, "continued")):
        if pattern.search(clause):
            if status == "changed" and not _DOSE.search(clause):
                continue
            return status
    if _HISTORY_MED.search(clause) and not _ORDER_NOW.search(clause):
        return "mentioned"  # "he has been on Rimadyl 75 mg for a year" is history, not an order
    if _NEW.search(clause):
        return "continued" if generic in context_drugs else "new"
    if _DOSE.search(clause) and sentence.speaker.value == "vet":
        return "continued" if generic in context_drugs else "new"
    return "mentioned"


def _fill_dose(order: MedicationOrder, clause: str, name_start: int, name_end: int) -> tuple[int, int] | None:
    """Set dose and unit, honouring self-corrections; return the clause-relative span of the dose said."""
    doses = list(_DOSE.finditer(clause))
    after_name = [m for m in doses if m.start() >= name_end] or doses
    corrections = list(_CORRECTION.finditer(clause))
    chosen = after_name[0] if after_name else None
    first_start = chosen.start() if chosen else None
    if corrections:
        replacement = _first_number_after(clause, corrections[-1].end())
        if replacement is not None and (chosen is not None or _DOSE.match(clause, replacement.start())):
            first_start = min(x for x in (first_start, _first_number_before(clause, corrections[-1].start()),
                                          replacement.start()) if x is not None)
            with_unit = _DOSE.match(clause, replacement.start())
            if with_unit:
                chosen = with_unit
            else:
                order.dose, order.unit = float(replacement.group(1)), _UNITS[_unit_key(chosen.group(2))]
                return min(first_start, name_start), replacement.end()
    if chosen is None:
        return None
    order.dose, order.unit = float(chosen.group(1)), _UNITS[_unit_key(chosen.group(2))]
    return min(first_start, chosen.start()), chosen.end()


def _first_number_before(clause: str, position: int) -> int | None:
    found = [m.start() for m in _BARE_NUMBER.finditer(clause, 0, position)]
    return found[-1] if found else None


def _first_number_after(clause: str, position: int) -> re.Match | None:
    for match in _BARE_NUMBER.finditer(clause, position):
        if not _TIME_AFTER.match(clause, match.end()):
            return match
    return None


def _unit_key(unit: str) -> str:
    return re.sub(r"\s+", " ", unit.lower())


def _fill_schedule(order: MedicationOrder, clause: str) -> None:
    for pattern, route in _ROUTES:
        if pattern.search(clause):
            order.route = route
            break
    for pattern, frequency in _FREQUENCIES:
        match = pattern.search(clause)
        if match:
            order.frequency = frequency.format(*match.groups()) if match.groups() else frequency
            break
    duration = _DURATION.search(clause)
    if duration:
        count = duration.group(1) or duration.group(3)
        unit = (duration.group(2) or duration.group(4)).lower()
        count = "1" if count in ("a", "one") else count
        order.duration = f"{count} {unit if unit.endswith('s') or count == '1' else unit + 's'}"


def merge_orders(orders: list[MedicationOrder]) -> list[MedicationOrder]:
    """One order per drug: later details fill gaps, the strongest status wins, provenance accumulates."""
    merged: dict[str, MedicationOrder] = {}
    for order in orders:
        current = merged.get(order.drug)
        if current is None:
            merged[order.drug] = order.model_copy(deep=True)
            continue
        if _STATUS_RANK[order.status] > _STATUS_RANK[current.status]:
            current.status = order.status
            if order.dose is not None:
                current.dose, current.unit = order.dose, order.unit
        for name in ("dose", "unit", "route", "frequency", "duration"):
            if getattr(current, name) is None and getattr(order, name) is not None:
                if name == "unit" and current.dose is not None and order.dose != current.dose:
                    continue
                setattr(current, name, getattr(order, name))
        current.provenance += order.provenance
    return list(merged.values())
