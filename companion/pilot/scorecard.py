"""The seed's 30-day pilot decision rules applied to the metrics, with thresholds a practice can configure."""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from companion.pilot.metrics import GroupMetrics, PilotMetrics


class Thresholds(BaseModel):
    """Decision thresholds; defaults are the seed article's."""

    model_config = ConfigDict(extra="forbid")

    time_reduction_strong: float = Field(0.40, ge=0, le=1, description="Time down at least this much: strong signal.")
    time_reduction_high: float = Field(0.60, ge=0, le=1, description="Upper end of the expected range (informative).")
    edit_rate_acceptable: float = Field(0.15, gt=0, le=1, description="Edit rate below this: acceptable.")
    edit_rate_excellent: float = Field(0.10, gt=0, le=1, description="Edit rate below this: excellent.")
    med_error_stop: float = Field(
        0.02, ge=0, le=1, description="Clinically significant medication errors in MORE than this share of notes: STOP."
    )
    satisfaction_warning: float = Field(3.0, ge=1, le=5, description="Mean satisfaction below this: warning.")

    @model_validator(mode="after")
    def _ordered(self) -> "Thresholds":
        if self.edit_rate_excellent > self.edit_rate_acceptable:
            raise ValueError("edit_rate_excellent must not exceed edit_rate_acceptable")
        if self.time_reduction_strong > self.time_reduction_high:
            raise ValueError("time_reduction_strong must not exceed time_reduction_high")
        return self


class Level(StrEnum):
    """How a rule's result should be shown; `stop` outranks everything."""

    good = "good"
    ok = "ok"
    warning = "warning"
    stop = "stop"
    no_data = "no_data"


class RuleResult(BaseModel):
    """One decision rule's verdict."""

    rule: str
    level: Level
    verdict: str
    value: float | None
    message: str


class Scorecard(BaseModel):
    """All rule verdicts plus the overall decision."""

    overall: Level
    stop: bool
    rules: list[RuleResult]
    thresholds: Thresholds


def evaluate(metrics: PilotMetrics | GroupMetrics, thresholds: Thresholds | None = None) -> Scorecard:
    """Apply the decision rules to the clinic (or one clinician's) metrics."""
    t = thresholds or Thresholds()
    group = metrics.clinic if isinstance(metrics, PilotMetrics) else metrics
    rules = [_time_rule(group, t), _edit_rule(group, t), _med_rule(group, t), _satisfaction_rule(group, t)]
    levels = {r.level for r in rules}
    if Level.stop in levels:
        overall = Level.stop
    elif Level.warning in levels:
        overall = Level.warning
    elif levels <= {Level.no_data}:
        overall = Level.no_data
    else:
        overall = Level.good if Level.ok not in levels else Level.ok
    return Scorecard(overall=overall, stop=overall is Level.stop, rules=rules, thresholds=t)


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def _time_rule(g: GroupMetrics, t: Thresholds) -> RuleResult:
    value = g.time_reduction
    if value is None:
        msg = "Needs a baseline (enter one, or write some notes without the scribe) and AI notes with panel timings."
        return RuleResult(rule="documentation_time", level=Level.no_data, verdict="no_data", value=None, message=msg)
    if value >= t.time_reduction_strong:
        level, verdict = Level.good, "strong_signal"
        msg = f"Documentation time down {_pct(value)} (strong signal at ≥ {_pct(t.time_reduction_strong)})."
        if value > t.time_reduction_high:
            msg += f" Above the expected {_pct(t.time_reduction_high)}: check the baseline."
    elif value > 0:
        level, verdict = Level.ok, "weak_signal"
        msg = f"Documentation time down {_pct(value)}, below the {_pct(t.time_reduction_strong)} strong signal."
    else:
        level, verdict = Level.warning, "no_saving"
        msg = f"Documentation time not reduced ({_pct(value)})."
    return RuleResult(rule="documentation_time", level=level, verdict=verdict, value=value, message=msg)


def _edit_rule(g: GroupMetrics, t: Thresholds) -> RuleResult:
    value = g.edit_rate
    if value is None:
        return RuleResult(rule="edit_rate", level=Level.no_data, verdict="no_data", value=None,
                          message="No approved AI notes yet.")
    if value < t.edit_rate_excellent:
        level, verdict = Level.good, "excellent"
    elif value < t.edit_rate_acceptable:
        level, verdict = Level.ok, "acceptable"
    else:
        level, verdict = Level.warning, "too_high"
    msg = (f"Edit rate {_pct(value)} of AI text (excellent < {_pct(t.edit_rate_excellent)}, "
           f"acceptable < {_pct(t.edit_rate_acceptable)}).")
    return RuleResult(rule="edit_rate", level=level, verdict=verdict, value=value, message=msg)


def _med_rule(g: GroupMetrics, t: Thresholds) -> RuleResult:
    value = g.significant_med_error_rate
    if value is None:
        return RuleResult(rule="medication_errors", level=Level.no_data, verdict="no_data", value=None,
                          message="No approved AI notes yet.")
    counts = f"{g.significant_med_error_notes} of {g.ai_notes} AI notes ({_pct(value)})"
    if value > t.med_error_stop:
        return RuleResult(rule="medication_errors", level=Level.stop, verdict="stop", value=value,
                          message=f"STOP: clinically significant medication errors in {counts}, "
                                  f"above the {_pct(t.med_error_stop)} hard stop.")
    return RuleResult(rule="medication_errors", level=Level.good, verdict="within_limit", value=value,
                      message=f"Clinically significant medication errors in {counts}; "
                              f"hard stop above {_pct(t.med_error_stop)}.")


def _satisfaction_rule(g: GroupMetrics, t: Thresholds) -> RuleResult:
    value = g.satisfaction_mean
    if value is None:
        return RuleResult(rule="satisfaction", level=Level.no_data, verdict="no_data", value=None,
                          message="No satisfaction answers yet.")
    if value < t.satisfaction_warning:
        return RuleResult(rule="satisfaction", level=Level.warning, verdict="low", value=value,
                          message=f"Mean satisfaction {value:.2f}/5 is below {t.satisfaction_warning:g}: "
                                  "the disruption may outweigh the savings.")
    return RuleResult(rule="satisfaction", level=Level.good, verdict="ok", value=value,
                      message=f"Mean satisfaction {value:.2f}/5 from {g.satisfaction_n} answers.")
