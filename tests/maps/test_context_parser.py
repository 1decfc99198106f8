"""The context parser on messy fragments: units, odd date formats, species synonyms, medications, broken HTML."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.context.model import Species
from companion.context.parser import parse_context
from companion.maps.schema import SelectorMap
from tests.maps.conftest import load_test_map

TODAY = date(2026, 12, 4)


def parse(**fields) -> object:
    return parse_context("none", {k: v if isinstance(v, list) else [v] for k, v in fields.items()}, today=TODAY)


@pytest.mark.parametrize(
    ("html", "kg", "value", "unit"),
    [
        ("<span>32.5kg</span>", 32.5, 32.5, "kg"),
        ("<td>71 lbs</td>", 32.205, 71.0, "lb"),
        ("<td>Weight: 4.2 Kg (2026-11-02)</td>", 4.2, 4.2, "kg"),
        ("<span>850 g</span>", 0.85, 850.0, "g"),
        ("<span>850g</span>", 0.85, 850.0, "g"),
        ("<div>12 lb 6 oz</div>", 5.613, 12.375, "lb"),
        ("<input value='32,5 kg'>", 32.5, 32.5, "kg"),
        ("<span>1.2 kilograms</span>", 1.2, 1.2, "kg"),
        ("<span>45#</span>", 20.412, 45.0, "lb"),
    ],
)
def test_weight_normalised_to_kg_keeping_the_source(html, kg, value, unit):
    weight = parse(weight=html).weight
    assert (weight.kg, weight.source_value, weight.source_unit) == (kg, value, unit)


@pytest.mark.parametrize(
    ("html", "warning"),
    [
        ("<span>32.5</span>", "no unit"),  # kg or lb? dosing depends on it: never guess
        ("<span>not weighed</span>", "no number with a unit"),
        ("<span></span>", "empty"),
        ("<span>0 kg</span>", "above zero"),
    ],
)
def test_unreadable_weight_is_null_with_a_warning(html, warning):
    ctx = parse(weight=html)
    assert ctx.weight is None
    assert any(w.startswith("weight:") and warning in w for w in ctx.warnings), ctx.warnings


@pytest.mark.parametrize(
    ("html", "born"),
    [
        ("<dd>2019-03-12</dd>", date(2019, 3, 12)),
        ("<dd>DOB: 12 Mar 2019 (7y)</dd>", date(2019, 3, 12)),
        ("<dd>March 12th, 2019</dd>", date(2019, 3, 12)),
        ("<dd>1st Mar 19</dd>", date(2019, 3, 1)),
        ("<dd>25/12/2019</dd>", date(2019, 12, 25)),  # only day-first makes sense
        ("<dd>12-Mar-2019</dd>", date(2019, 3, 12)),
        ("<dd>2019/03/12</dd>", date(2019, 3, 12)),
        ("<input value='03/12/2019'>", date(2019, 3, 12)),  # ambiguous: month first, with a warning
    ],
)
def test_dates_in_odd_formats_and_age(html, born):
    ctx = parse(date_of_birth=html)
    assert ctx.date_of_birth == born
    assert ctx.age_years == round((TODAY - born).days / 365.25, 2)


def test_ambiguous_date_warns_and_dayfirst_resolves_it():
    ctx = parse(date_of_birth="<dd>03/04/2019</dd>")
    assert ctx.date_of_birth == date(2019, 3, 4)
    assert any("ambiguous" in w for w in ctx.warnings)
    nz = parse_context("none", {"date_of_birth": ["<dd>03/04/2019</dd>"]}, today=TODAY, dayfirst=True)
    assert nz.date_of_birth == date(2019, 4, 3)


@pytest.mark.parametrize(("html", "warning"), [("<dd>31/02/2019</dd>", "not a valid date"),
                                              ("<dd>unknown</dd>", "no recognisable date"),
                                              ("<dd>2031-01-01</dd>", "in the future")])
def test_bad_dates_are_null_with_warnings(html, warning):
    ctx = parse(date_of_birth=html, last_visit=html)
    assert ctx.date_of_birth is None and ctx.last_visit is None and ctx.age_years is None
    assert {w.split(":")[0] for w in ctx.warnings if warning in w} == {"date_of_birth", "last_visit"}


@pytest.mark.parametrize(("text", "years"), [("4 years 3 months", 4.25), ("4y 3m", 4.25), ("8 wks", 0.15),
                                             ("2.5 yrs", 2.5), ("6 months", 0.5), ("Age: 11 yo", 11.0)])
def test_age_text_when_there_is_no_date_of_birth(text, years):
    assert parse(age=f"<span>{text}</span>").age_years == years


@pytest.mark.parametrize(
    ("text", "species"),
    [("Dog", Species.canine), ("K9", Species.canine), ("Canine", Species.canine), ("cat", Species.feline),
     ("DSH", Species.feline), ("Domestic Shorthair", Species.feline), ("Feline", Species.feline),
     ("Horse", Species.equine), ("Equine - Pony", Species.equine), ("Rabbit", Species.lagomorph),
     ("Lagomorph", Species.lagomorph), ("Budgie", Species.avian), ("African Grey Parrot", Species.avian),
     ("Bearded Dragon", Species.reptile), ("Ball python (snake)", Species.reptile), ("Cow", Species.bovine),
     ("Sheep", Species.ovine), ("Goat", Species.caprine), ("Pig", Species.porcine), ("Guinea Pig", Species.rodent),
     ("Ferret", Species.ferret), ("Hamster", Species.rodent), ("Axolotl", Species.amphibian),
     ("Koi", Species.fish)],
)
def test_species_synonyms(text, species):
    ctx = parse(species=f"<td> {text} </td>")
    assert ctx.species is species and ctx.species_text == text


def test_unknown_species_is_other_with_warning():
    ctx = parse(species="<td>Wombat</td>")
    assert ctx.species is Species.other
    assert "species: not in the vocabulary; recorded as other" in ctx.warnings


@pytest.mark.parametrize(("code", "sex"), [("MN", "male neutered"), ("FS", "female spayed"),
                                          ("Female (Spayed)", "female spayed"), ("ME", "male intact"),
                                          ("F", "female"), ("Gelding", "male neutered"), ("Hermaphrodite", "Hermaphrodite")])
def test_sex_codes(code, sex):
    assert parse(sex=f"<dd>{code}</dd>").sex == sex


def test_medications_from_list_table_and_lines():
    ctx = parse(medications=[
        "<ul><li>Carprofen 75 mg PO BID</li><li>Apoquel (oclacitinib) 16mg tablet - 1 tab q24h</li></ul>",
        "<table><tr><th>Drug</th><th>Dose</th><th>How often</th></tr>"
        "<tr><td>Meloxicam 1.5mg/ml oral suspension</td><td>0.1 mg/kg</td><td>once daily</td></tr></table>",
        "<div>Current medications:<br>Gabapentin 100mg caps, 1 cap every 12 hours<br>Insulin glargine 2 IU SC BID"
        "<br>Cerenia</div>",
    ])
    got = [(m.name, m.dose, m.unit, m.frequency, m.route) for m in ctx.medications]
    assert got == [
        ("Carprofen", 75.0, "mg", "BID", "PO"),
        ("Apoquel (oclacitinib)", 16.0, "mg", "SID", None),
        ("Meloxicam", 0.1, "mg/kg", "SID", "PO"),
        ("Gabapentin", 100.0, "mg", "BID", None),
        ("Insulin glargine", 2.0, "IU", "BID", "SC"),
        ("Cerenia", None, None, None, None),
    ]
    assert ctx.medications[0].text == "Carprofen 75 mg PO BID"


def test_lists_split_and_none_markers_dropped():
    ctx = parse(problems="<div>Problems: OA; CKD stage 2 • Dental disease</div>", allergies="<div>NKDA</div>")
    assert ctx.problems == ["OA", "CKD stage 2", "Dental disease"]
    assert ctx.allergies == [] and not ctx.warnings


def test_extract_pattern_from_the_map():
    smap = SelectorMap.model_validate(load_test_map("acme.json"))
    frag = {"patient_id": ['<div id="patientSideBar-1">Patient ID: 88231-QX <span>Biscuit</span></div>']}
    assert parse_context("acme", frag, selector_map=smap).patient_id == "88231-QX"
    miss = parse_context("acme", {"patient_id": ["<div>No id here</div>"]}, selector_map=smap)
    assert miss.patient_id is None and miss.warnings == ["patient_id: the map's extract pattern did not match"]


def test_missing_and_unknown_fields_are_warnings_not_errors():
    ctx = parse_context("none", {"name": [], "weight": [""], "favourite_toy": ["<b>ball</b>"]}, today=TODAY)
    assert ctx.warnings == ["name: not found on the page", "weight: not found on the page",
                            "favourite_toy: not a context field; ignored"]


def test_malformed_html_never_fails():
    ctx = parse(name="<span><<b>Bis</i>cuit", weight="<td>3<b>2</td>.5 kg</div>", medications="<li><li><li>",
                species="<!-- -->", date_of_birth="<dd>\x00\ufffd</dd>")
    assert ctx.name is not None  # some text, never an exception
    assert ctx.species is None


def test_a_panel_instead_of_a_value_is_refused():
    ctx = parse(name="<div>" + "Biscuit lorem ipsum " * 20 + "</div>")
    assert ctx.name is None and any("longer than" in w for w in ctx.warnings)


def test_warnings_never_quote_page_text():
    secret = "Rosalind-Fairweather-0199"
    ctx = parse(weight=f"<span>{secret}</span>", date_of_birth=f"<dd>{secret}</dd>", species=f"<td>{secret}</td>",
                age=f"<td>{secret}</td>")
    assert ctx.warnings and not any("Rosalind" in w or "0199" in w for w in ctx.warnings)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["patient_id", "name", "species", "breed", "sex", "date_of_birth", "age",
                                         "weight", "medications", "problems", "allergies", "last_visit"]),
                       st.lists(st.text(max_size=80), max_size=3), max_size=12))
def test_any_input_yields_a_context(fragments):
    parse_context("none", fragments, today=TODAY)


def test_the_maps_date_order_decides_ambiguous_dates():
    data = load_test_map("acme.json")
    data["date_order"] = "day_first"
    smap = SelectorMap.model_validate(data)
    ctx = parse_context("acme", {"last_visit": ["<td>03/04/2024</td>"]}, selector_map=smap, today=TODAY)
    assert ctx.last_visit == date(2024, 4, 3) and not ctx.warnings
