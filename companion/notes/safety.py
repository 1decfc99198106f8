"""Medication and vital-sign safety flags: dose ranges, weight changes, lb/kg mix-ups, duplicates, allergies."""

import re

from companion.context.model import PatientContext
from companion.notes.lexicon import Drug, lexicon, species_table
from companion.notes.model import Flag, MedicationOrder, Note, Vital
from companion.notes.vitals import TO_KG, weight_kg

DOSE_TOLERANCE = 0.15  # tablets are rounded: allow 15% either side of the cited range before flagging
WEIGHT_CHANGE = 0.10
LB_PER_KG = 2.20462
_ACTIVE = ("new", "continued", "changed")


def safety_flags(note: Note, context: PatientContext | None, species: str | None) -> list[Flag]:
    """Every safety finding for a drafted, verified note."""
    flags: list[Flag] = []
    today_kg, weight_flags = _weight_flags(note.vitals, context)
    flags += weight_flags
    flags += _vital_flags(note.vitals, species)
    for order in note.medications:
        if order.status in ("new", "changed") and order.dose is None and order.drug_class != "vaccine":
            flags.append(Flag(code="dose_not_stated", severity="info", drug=order.drug, provenance=order.provenance,
                              message=f"{order.said_as}: no dose was said; add it before approving."))
        if order.status in ("new", "changed"):
            flags += _dose_flags(order, species, today_kg or _chart_kg(context))
            flags += _species_flags(order, species)
            flags += _allergy_flags(order, context)
        elif order.status == "continued":
            flags += _allergy_flags(order, context)
    flags += _duplicate_flags(note.medications, context)
    return flags


def _chart_kg(context: PatientContext | None) -> float | None:
    return context.weight.kg if context and context.weight else None


def _weight_flags(vitals: list[Vital], context: PatientContext | None) -> tuple[float | None, list[Flag]]:
    weight = next((v for v in vitals if v.name == "weight"), None)
    if weight is None:
        return None, []
    chart = _chart_kg(context)
    if weight.unit is None:
        flags = [Flag(code="weight_unit_ambiguous", severity="warning", provenance=weight.provenance,
                      message=f"Weight '{weight.said}' was said without a unit: pounds or kilograms? "
                              "No mg/kg dose check used it.")]
        return None, flags
    today = weight_kg(weight)
    if not chart or not today:
        return today, []
    change = (today - chart) / chart
    if abs(change) <= WEIGHT_CHANGE:
        return today, []
    other_unit = {"kg": "lb", "lb": "kg"}.get(weight.unit)
    if other_unit and abs(weight.value * TO_KG[other_unit] - chart) / chart <= WEIGHT_CHANGE:
        return None, [Flag(code="weight_unit_ambiguous", severity="critical", provenance=weight.provenance,
                           message=f"Weight today {weight.value:g} {weight.unit} matches the chart weight only if "
                                   f"it was in {other_unit} (chart {chart:.3g} kg): check lb/kg before dosing.")]
    return today, [Flag(code="weight_change", severity="warning", provenance=weight.provenance,
                        message=f"Weight today {today:.3g} kg differs from the chart ({chart:.3g} kg) by "
                                f"{change:+.0%}.")]


def _vital_flags(vitals: list[Vital], species: str | None) -> list[Flag]:
    ranges = species_table()["species"].get(species or "")
    if not ranges:
        return []
    flags = []
    for vital in vitals:
        if vital.name == "temperature" and ranges.get("ectotherm"):
            vital.environmental = True
            flags.append(Flag(code="reptile_temperature", severity="info", provenance=vital.provenance,
                              message=f"A temperature ({vital.said}) in an ectotherm consult is recorded as the "
                                      "enclosure's; no body temperature range applies."))
            continue
        bounds, value, unit = _bounds(vital, ranges)
        if bounds and not bounds[0] <= value <= bounds[1]:
            where = "above" if value > bounds[1] else "below"
            flags.append(Flag(code="vital_out_of_range", severity="warning", provenance=vital.provenance,
                              message=f"{vital.name.replace('_', ' ').capitalize()} {vital.value:g} {vital.unit} is "
                                      f"{where} the {species} reference range ({bounds[0]:g}–{bounds[1]:g} {unit})."))
    return flags


def _bounds(vital: Vital, ranges: dict):
    if vital.name == "temperature":
        value = vital.value * 9 / 5 + 32 if vital.unit == "°C" else vital.value
        return ranges.get("temperature_f"), value, "°F"
    if vital.name in ("heart_rate", "respiratory_rate"):
        return ranges.get(vital.name), vital.value, "/min"
    return None, None, None


def _dose_flags(order: MedicationOrder, species: str | None, kg: float | None) -> list[Flag]:
    drug = lexicon().lookup(order.drug)
    if drug is None or order.dose is None:
        return []
    per_kg = _mg_per_kg(order, kg)
    order.mg_per_kg = round(per_kg, 4) if per_kg is not None else None
    cited = drug.range_for(species)
    if not cited or per_kg is None:
        if cited and order.unit in ("mg", "mcg") and kg is None:
            return [Flag(code="dose_unchecked_no_weight", severity="info", drug=order.drug,
                         provenance=order.provenance,
                         message=f"{order.drug}: no weight today or in the chart, so the mg/kg dose was not checked.")]
        return []
    low, high = cited["min_mg_per_kg"], cited["max_mg_per_kg"]
    source = lexicon().sources.get(cited["source"], cited["source"])
    label = f" ({cited['label']})" if cited.get("label") else ""
    said = f"{order.drug} {order.dose:g} {order.unit}"
    if per_kg >= high * 10 or per_kg <= low / 10:
        return [Flag(code="dose_tenfold", severity="critical", drug=order.drug, provenance=order.provenance,
                     message=f"{said} = {per_kg:.3g} mg/kg, about ten times {'the usual' if per_kg > high else 'below'}"
                             f" range {low:g}–{high:g} mg/kg for {species}. Source: {source}{label}")]
    if per_kg > high * (1 + DOSE_TOLERANCE) or per_kg < low * (1 - DOSE_TOLERANCE):
        return [Flag(code="dose_out_of_range", severity="warning", drug=order.drug, provenance=order.provenance,
                     message=f"{said} = {per_kg:.3g} mg/kg, outside {low:g}–{high:g} mg/kg for {species}. "
                             f"Source: {source}{label}")]
    return []


def _mg_per_kg(order: MedicationOrder, kg: float | None) -> float | None:
    if order.unit == "mg/kg":
        return order.dose
    if order.unit == "mcg/kg":
        return order.dose / 1000
    if kg and order.unit == "mg":
        return order.dose / kg
    if kg and order.unit == "mcg":
        return order.dose / 1000 / kg
    return None


def _species_flags(order: MedicationOrder, species: str | None) -> list[Flag]:
    drug = lexicon().lookup(order.drug)
    warning = drug.species_warnings.get(species or "") if drug else None
    if not warning:
        return []
    return [Flag(code="species_contraindication", severity="critical", drug=order.drug, provenance=order.provenance,
                 message=f"{order.drug} for a {species} patient: {warning}")]


def _allergy_flags(order: MedicationOrder, context: PatientContext | None) -> list[Flag]:
    if not context or not context.allergies:
        return []
    drug = lexicon().lookup(order.drug)
    for allergy in context.allergies:
        if _allergy_matches(allergy, order, drug):
            return [Flag(code="allergy_conflict", severity="critical", drug=order.drug, provenance=order.provenance,
                         message=f"{order.said_as} conflicts with the recorded allergy '{allergy}'.")]
    return []


def _allergy_matches(allergy: str, order: MedicationOrder, drug: Drug | None) -> bool:
    text = allergy.lower()
    lex = lexicon()
    for _, _, named in lex.find(text):
        if named and (named.generic == order.drug or drug and named.drug_class == drug.drug_class
                      and drug.drug_class.startswith("antibiotic_penicillin")):
            return True
    if drug is None:
        return order.drug in text
    for word in re.findall(r"[a-z][a-z\-]+", text):
        if drug.drug_class in lex.allergy_groups.get(word, []):
            return True
    return False


def _duplicate_flags(orders: list[MedicationOrder], context: PatientContext | None) -> list[Flag]:
    stopped = {o.drug for o in orders if o.status == "discontinued"}
    active = [(o.drug, o.drug_class, o) for o in orders if o.status in _ACTIVE]
    planned = {o.drug for o in orders}
    for med in context.medications if context else []:
        drug = lexicon().lookup(med.name or "") or _drug_in_text(med.text)
        if drug and drug.generic not in stopped and drug.generic not in planned:
            active.append((drug.generic, drug.drug_class, None))
    flags, seen = [], set()
    for rule in lexicon().duplicate_rules:
        first, second = rule["classes"]
        for i, (drug_a, class_a, order_a) in enumerate(active):
            for drug_b, class_b, order_b in active[i + 1:]:
                pair = {class_a, class_b}
                if drug_a == drug_b or pair != {first, second} or (first == second and class_a != first):
                    continue
                if order_a is None and order_b is None:
                    continue  # both already in the chart: not a decision made in this consult
                key = frozenset((drug_a, drug_b))
                if key in seen:
                    continue
                seen.add(key)
                provenance = [p for o in (order_a, order_b) if o for p in o.provenance]
                flags.append(Flag(code="duplicate_therapy", severity=rule["severity"], drug=drug_a,
                                  provenance=provenance, message=f"{drug_a} + {drug_b}: {rule['message']}"))
    return flags


def _drug_in_text(text: str) -> Drug | None:
    found = lexicon().find(text or "")
    return found[0][2] if found else None
