"""Hypothesis fuzz of the context parser with page-shaped input: nested and broken tags, attributes, entities,
chart-like dates, weights and drug lines, control and bidi characters, non-string fragments, unknown fields and
the shipped maps' extract patterns. It never raises, always returns a PatientContext that re-validates, every
warning names a field, every field it was given either has a value or a warning, and no warning quotes the page."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.context.model import PatientContext
from companion.context.parser import LIST_FIELDS, SCALAR_FIELDS, parse_context

TODAY = date(2026, 12, 4)
CANARY = "Qzx7Canary"  # stands for patient text: it must never surface in a warning
FIELDS = SCALAR_FIELDS + LIST_FIELDS
RESULT_FIELD = {"age": "age_years"}  # the model field a context field fills, where the names differ
MAX_EXAMPLES = 400  # about 4 s on 2 cores

words = st.sampled_from([
    CANARY, "Biscuit", "Canine", "Feline", "DSH", "MN", "FS", "32.5 kg", "71 lbs", "850g", "12 lb 6 oz", "4,2 Kg",
    "2024-03-04", "03/04/2024", "31/02/2024", "4 Mar 2024", "2099-01-01", "1850-01-01", "3y 2m", "14 weeks", "age:",
    "Weight:", "Meloxicam 1.5 mg/ml 0.1 ml/kg PO SID", "None", "N/A", "-", "&amp;", "&lt;script&gt;", "&#0;",
    "&#x110000;", "&bogus;", "\x00", "\u202e", "\u200b", "\ufeff", "\ud7ff", "😀", "١٢٣", "Ⅻ", "½", "1e309",
    "NaN",
    "-0", "9" * 40, "\n", "\t", " ",
])
tags = st.sampled_from(["span", "td", "li", "ul", "ol", "div", "input", "br", "b", "table", "tr", "dd", "script",
                        "style", "template", "svg", "math", "textarea", "select", "option", "!--", "![CDATA["])
attributes = st.sampled_from(["", " value='3.2 kg'", ' class="x"', " hidden", " onload=alert(1)", ' title="&quot;',
                              " value", " value=" + CANARY, " data-x='<li>'"])


@st.composite
def fragment(draw) -> str:
    """A piece of page HTML: text runs and tags, balanced or not."""
    parts = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            parts.append(draw(words))
        elif kind == 1:
            parts.append(f"<{draw(tags)}{draw(attributes)}>")
        elif kind == 2:
            parts.append(f"</{draw(tags)}>")
        else:
            parts.append(draw(st.text(max_size=30)))
    return "".join(parts)


fragment_lists = st.one_of(
    st.lists(fragment(), max_size=4),
    st.lists(st.one_of(fragment(), st.none(), st.integers(), st.just(["nested"])), max_size=3),  # not strings
    st.none(),
)
fragment_maps = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.sampled_from(["favourite_toy", ""])),
                                fragment_lists, max_size=len(FIELDS) + 2)


@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragments=fragment_maps, map_id=st.sampled_from(["none", "ezyvet", "covetrus-pulse", "shepherd"]),
       dayfirst=st.sampled_from([None, True, False]))
def test_parser_never_raises_and_warnings_name_fields(fragments, map_id, dayfirst):
    ctx = parse_context(map_id, fragments, today=TODAY, dayfirst=dayfirst)
    assert isinstance(ctx, PatientContext)
    assert PatientContext.model_validate(ctx.model_dump(mode="json")) == ctx  # valid, and it survives JSON
    named = set(FIELDS) | set(fragments)
    for warning in ctx.warnings:
        field, sep, reason = warning.partition(": ")
        assert sep and field in named and reason, warning
        assert CANARY not in warning and CANARY.lower() not in warning.lower()
    warned = {w.partition(": ")[0] for w in ctx.warnings}
    for field in SCALAR_FIELDS:
        if field in fragments and getattr(ctx, RESULT_FIELD.get(field, field)) is None:
            assert field in warned, (field, ctx.warnings)
    if ctx.date_of_birth is not None:
        assert ctx.age_years is not None and ctx.date_of_birth <= TODAY
    if ctx.last_visit is not None:
        assert date(1900, 1, 1) <= ctx.last_visit <= TODAY
    if ctx.weight is not None:
        assert ctx.weight.kg >= 0


@settings(max_examples=40, deadline=None)
@given(fragments=st.dictionaries(st.sampled_from(FIELDS), st.lists(fragment(), min_size=1, max_size=2), max_size=4),
       size=st.sampled_from([10_000, 200_000]))
def test_huge_fragments_are_refused_or_read_not_crashed(fragments, size):
    padded = {name: [f"<div>{'x ' * (size // 2)}</div>", *values] for name, values in fragments.items()}
    ctx = parse_context("none", padded, today=TODAY)
    for field in ("name", "breed", "patient_id"):
        if field in padded:
            assert getattr(ctx, field) is None  # a panel-sized value is a mis-aimed locator, never a name
