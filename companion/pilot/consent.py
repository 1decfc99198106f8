"""Recording-consent rules: the shipped state table, and the clinic's policy that may tighten but never loosen it."""

import json
from enum import StrEnum
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field


class ConsentRule(StrEnum):
    """Who must agree before the exam room is recorded; ordered from loose to strict."""

    one_party = "one_party"
    all_party = "all_party"


_STRICTNESS = {ConsentRule.one_party: 0, ConsentRule.all_party: 1}


class ConsentLoosenError(ValueError):
    """The clinic asked for a looser rule than its state requires."""


class StateRule(BaseModel):
    """One row of the shipped table."""

    model_config = ConfigDict(extra="forbid")

    name: str
    rule: ConsentRule
    status: str
    citation: str
    note: str | None = None
    sources: list[str]


class ConsentPolicy(BaseModel):
    """The practice's consent settings as stored: its state and an optional stricter clinic rule."""

    model_config = ConfigDict(extra="forbid")

    state: str = Field(default="other", description="Two-letter US state code, or 'other'.")
    clinic_rule: ConsentRule | None = Field(default=None, description="A stricter rule chosen by the clinic.")


class ConsentDecision(BaseModel):
    """The rule in force and why."""

    state: str
    state_rule: ConsentRule
    state_status: str
    clinic_rule: ConsentRule | None
    effective_rule: ConsentRule
    requires_client_consent: bool
    citation: str | None
    note: str | None
    sources: list[str]


@lru_cache(maxsize=1)
def rules_table() -> dict:
    """The shipped consent table (companion/pilot/consent_rules.json) as a dict."""
    text = resources.files("companion.pilot").joinpath("consent_rules.json").read_text(encoding="utf-8")
    return json.loads(text)


def state_rule(state: str) -> StateRule | None:
    """The table's row for a state code, or None when the code is unknown (including 'other')."""
    row = rules_table()["states"].get((state or "").strip().upper())
    return StateRule.model_validate(row) if row else None


def stricter(a: ConsentRule, b: ConsentRule) -> ConsentRule:
    """The stricter of two rules."""
    return a if _STRICTNESS[a] >= _STRICTNESS[b] else b


def validate_policy(policy: ConsentPolicy) -> ConsentPolicy:
    """Reject a clinic rule looser than the state's; unknown states count as all-party."""
    base = _base_rule(policy.state)
    if policy.clinic_rule is not None and _STRICTNESS[policy.clinic_rule] < _STRICTNESS[base]:
        raise ConsentLoosenError(
            f"state {policy.state!r} requires {base.value} consent; a clinic may tighten the rule, never loosen it"
        )
    return policy


def decide(policy: ConsentPolicy) -> ConsentDecision:
    """The effective rule for a policy: the stricter of the state's rule and the clinic's own."""
    row = state_rule(policy.state)
    base = _base_rule(policy.state)
    effective = stricter(base, policy.clinic_rule) if policy.clinic_rule else base
    table = rules_table()
    return ConsentDecision(
        state=policy.state.upper() if row else policy.state,
        state_rule=base,
        state_status=row.status if row else "unknown",
        clinic_rule=policy.clinic_rule,
        effective_rule=effective,
        requires_client_consent=effective is ConsentRule.all_party,
        citation=row.citation if row else None,
        note=row.note if row else "Unknown jurisdiction: treated as all-party (safe default).",
        sources=row.sources if row else table["general_sources"],
    )


def _base_rule(state: str) -> ConsentRule:
    row = state_rule(state)
    return row.rule if row else ConsentRule(rules_table()["default_for_unknown"])
