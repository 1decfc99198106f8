"""Pilot metrics per clinician and for the clinic, computed in one pass over plain records.

Definitions (also shown on the dashboard):
- a *note* is an approved encounter in the window (by the approval's local day); *AI notes* had a scribe draft;
- documentation time = first transcript → approval, and panel open → approval (seconds, AI notes);
- edit rate = Σ edit distance(AI draft, approved) / Σ draft characters, per section and overall (AI notes);
- baseline = the practice's entered seconds per note, else the mean panel-open → approval of manual notes;
- time reduction = 1 − mean(panel → approval of AI notes) / baseline;
- significant medication error rate = AI notes with ≥ 1 clinically significant medication-error tag / AI notes.
"""

from collections import defaultdict
from datetime import date, datetime, timezone, tzinfo
from statistics import fmean, median

from pydantic import BaseModel

from companion.pilot.records import ERROR_CATEGORIES, FAILURE_OUTCOMES, EncounterRecord, PilotData


class TimeStat(BaseModel):
    """Mean and median of a duration in seconds."""

    n: int
    mean_s: float | None
    median_s: float | None


class ErrorStat(BaseModel):
    """Tags of one category: how many tags, on how many notes, how many of those notes clinically significant."""

    tags: int = 0
    notes: int = 0
    significant_notes: int = 0


class Baseline(BaseModel):
    """Documentation time per note without the scribe."""

    seconds: float | None
    source: str | None  # "entered", "measured" or None
    n: int = 0


class GroupMetrics(BaseModel):
    """Metrics for one clinician or the whole clinic."""

    notes: int
    ai_notes: int
    manual_notes: int
    doc_time_transcript: TimeStat
    doc_time_panel: TimeStat
    baseline: Baseline
    time_reduction: float | None
    edit_rate: float | None
    edit_rate_by_section: dict[str, float]
    errors: dict[str, ErrorStat]
    significant_med_error_notes: int
    significant_med_error_rate: float | None
    satisfaction_mean: float | None
    satisfaction_n: int


class WritebackFailure(BaseModel):
    """Write-back attempts and failures for one PIMS, map version and field."""

    pims: str
    map_id: str | None
    map_version: str | None
    field: str
    attempts: int
    failures: int
    outcomes: dict[str, int]


class DayPoint(BaseModel):
    """One pilot day for the trend charts."""

    day: date
    ai_notes: int
    mean_doc_time_panel_s: float | None
    mean_doc_time_transcript_s: float | None
    edit_rate: float | None
    significant_med_errors: int


class PilotMetrics(BaseModel):
    """All pilot metrics for a window."""

    date_from: date | None
    date_to: date | None
    clinic: GroupMetrics
    clinicians: dict[str, GroupMetrics]
    writeback_failures: list[WritebackFailure]
    daily: list[DayPoint]


class _Group:
    """Running sums for one clinician (the clinic is their merge); plain attributes keep 100,000 records fast."""

    __slots__ = ("notes", "ai", "manual", "t_tr", "t_panel", "chars", "dist", "sec", "err_tags", "err_notes",
                 "err_sig", "sig_med", "sat")

    def __init__(self) -> None:
        self.notes = self.ai = self.manual = self.chars = self.dist = self.sig_med = 0
        self.t_tr: list[float] = []
        self.t_panel: list[float] = []
        self.sec: dict[str, list[int]] = {}  # section -> [draft chars, distance]
        self.err_tags: dict[str, int] = defaultdict(int)
        self.err_notes: dict[str, int] = defaultdict(int)
        self.err_sig: dict[str, int] = defaultdict(int)
        self.sat: list[int] = []

    def merge(self, other: "_Group") -> None:
        """Add another group's sums into this one."""
        for name in ("notes", "ai", "manual", "chars", "dist", "sig_med"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.t_tr += other.t_tr
        self.t_panel += other.t_panel
        self.sat += other.sat
        for section, (chars, dist) in other.sec.items():
            acc = self.sec.setdefault(section, [0, 0])
            acc[0] += chars
            acc[1] += dist
        for mine, theirs in ((self.err_tags, other.err_tags), (self.err_notes, other.err_notes),
                             (self.err_sig, other.err_sig)):
            for key, n in theirs.items():
                mine[key] += n


class _Day:
    """Running sums for one day's trend point."""

    __slots__ = ("ai", "panel_sum", "panel_n", "tr_sum", "tr_n", "chars", "dist", "sig_med")

    def __init__(self) -> None:
        self.ai = self.panel_n = self.tr_n = self.chars = self.dist = self.sig_med = 0
        self.panel_sum = self.tr_sum = 0.0


def local_day(ts: float, tz: tzinfo) -> date:
    """The clinic-local calendar day of a POSIX timestamp."""
    return datetime.fromtimestamp(ts, tz).date()


class _DayOf:
    """local_day with a cache per 15-minute slot (every real UTC offset is a multiple of 15 minutes)."""

    __slots__ = ("tz", "cache")

    def __init__(self, tz: tzinfo) -> None:
        self.tz, self.cache = tz, {}

    def __call__(self, ts: float) -> date:
        slot = int(ts // 900)
        day = self.cache.get(slot)
        if day is None:
            day = self.cache[slot] = local_day(slot * 900, self.tz)
        return day


def compute_metrics(
    data: PilotData,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    baseline_seconds: float | None = None,
    tz: tzinfo = timezone.utc,
) -> PilotMetrics:
    """Compute every pilot metric for notes approved between date_from and date_to (inclusive, clinic-local days)."""
    groups: dict[str, _Group] = {}
    daily: dict[date, _Day] = {}
    failures: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    day_of = _DayOf(tz)
    for rec in data.encounters:
        if rec.approved_at is None:
            continue
        day = day_of(rec.approved_at)
        if (date_from and day < date_from) or (date_to and day > date_to):
            continue
        group = groups.get(rec.clinician)
        if group is None:
            group = groups[rec.clinician] = _Group()
        for wb in rec.writeback:
            failures[(rec.pims, rec.map_id, rec.map_version, wb.field)][wb.outcome] += 1
        group.notes += 1
        if rec.scribe:
            point = daily.get(day)
            _add_ai_note(group, point if point is not None else daily.setdefault(day, _Day()), rec)
        else:
            group.manual += 1
    for clinician, section, draft_chars, distance in data.section_edit_counts:
        acc = groups.setdefault(clinician, _Group()).sec.setdefault(section, [0, 0])
        acc[0] += draft_chars
        acc[1] += distance
    for pims, map_id, map_version, field_name, outcome, count in data.writeback_counts:
        failures[(pims, map_id, map_version, field_name)][outcome] += count
    for sat in data.satisfaction:
        if (date_from and sat.day < date_from) or (date_to and sat.day > date_to):
            continue
        groups.setdefault(sat.clinician, _Group()).sat.append(sat.score)
    clinic = _Group()
    for group in groups.values():
        clinic.merge(group)
    baselines = _baselines(data, baseline_seconds)
    return PilotMetrics(
        date_from=date_from,
        date_to=date_to,
        clinic=_finish(clinic, baselines.get(None)),
        clinicians={
            name: _finish(group, baselines.get(name) or baselines.get(None))
            for name, group in sorted(groups.items())
        },
        writeback_failures=_failure_rows(failures),
        daily=[_day_point(day, point) for day, point in sorted(daily.items())],
    )


def _add_ai_note(group: _Group, point: _Day, rec: EncounterRecord) -> None:
    group.ai += 1
    point.ai += 1
    if rec.first_transcript_at is not None:
        seconds = rec.approved_at - rec.first_transcript_at
        group.t_tr.append(seconds)
        point.tr_sum += seconds
        point.tr_n += 1
    if rec.panel_opened_at is not None:
        seconds = rec.approved_at - rec.panel_opened_at
        group.t_panel.append(seconds)
        point.panel_sum += seconds
        point.panel_n += 1
    if not rec.edits:  # totals only; the per-section sums arrive in PilotData.section_edit_counts
        chars, dist = rec.draft_chars, rec.edit_distance
        group.chars += chars
        group.dist += dist
        point.chars += chars
        point.dist += dist
    else:
        _add_edits(group, point, rec.edits)
    if rec.error_tags and _add_tags(group, rec.error_tags):
        group.sig_med += 1
        point.sig_med += 1


def _add_edits(group: _Group, point: _Day, edits) -> None:
    chars = dist = 0
    sections = group.sec
    for section, draft_chars, distance in edits:
        chars += draft_chars
        dist += distance
        acc = sections.get(section)
        if acc is None:
            sections[section] = [draft_chars, distance]
        else:
            acc[0] += draft_chars
            acc[1] += distance
    group.chars += chars
    group.dist += dist
    point.chars += chars
    point.dist += dist


def _add_tags(group: _Group, tags) -> bool:
    """Count a note's tags; True when one is a clinically significant medication error."""
    seen, significant = set(), set()
    for category, clinically_significant, _section in tags:
        group.err_tags[category] += 1
        seen.add(category)
        if clinically_significant:
            significant.add(category)
    for category in seen:
        group.err_notes[category] += 1
    for category in significant:
        group.err_sig[category] += 1
    return "medication_error" in significant


def _baselines(data: PilotData, entered: float | None) -> dict[str | None, "Baseline"]:
    """Clinic baseline under key None and measured per-clinician baselines under their names."""
    if entered is not None:
        return {None: Baseline(seconds=entered, source="entered", n=0)}
    pool = data.baseline_encounters if data.baseline_encounters is not None else data.encounters
    times: dict[str | None, list[float]] = defaultdict(list)
    for rec in pool:
        if rec.scribe or rec.approved_at is None or rec.panel_opened_at is None:
            continue
        seconds = rec.approved_at - rec.panel_opened_at
        times[None].append(seconds)
        times[rec.clinician].append(seconds)
    result = {key: Baseline(seconds=fmean(v), source="measured", n=len(v)) for key, v in times.items()}
    result.setdefault(None, Baseline(seconds=None, source=None, n=0))
    return result


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def _time_stat(values: list[float]) -> TimeStat:
    if not values:
        return TimeStat(n=0, mean_s=None, median_s=None)
    # sum()/len rather than fmean: fmean's exact fsum costs a third of the dashboard's time at 100,000 notes
    return TimeStat(n=len(values), mean_s=sum(values) / len(values), median_s=median(values))


def _finish(group: _Group, baseline: Baseline) -> GroupMetrics:
    panel = _time_stat(group.t_panel)
    reduction = None
    if baseline.seconds and panel.mean_s is not None:
        reduction = 1.0 - panel.mean_s / baseline.seconds
    return GroupMetrics(
        notes=group.notes,
        ai_notes=group.ai,
        manual_notes=group.manual,
        doc_time_transcript=_time_stat(group.t_tr),
        doc_time_panel=panel,
        baseline=baseline,
        time_reduction=reduction,
        edit_rate=_ratio(group.dist, group.chars),
        edit_rate_by_section={name: dist / chars for name, (chars, dist) in sorted(group.sec.items()) if chars},
        errors={
            cat: ErrorStat(tags=group.err_tags[cat], notes=group.err_notes[cat], significant_notes=group.err_sig[cat])
            for cat in ERROR_CATEGORIES
        },
        significant_med_error_notes=group.sig_med,
        significant_med_error_rate=_ratio(group.sig_med, group.ai),
        satisfaction_mean=fmean(group.sat) if group.sat else None,
        satisfaction_n=len(group.sat),
    )


def _failure_rows(failures: dict[tuple, dict[str, int]]) -> list[WritebackFailure]:
    rows = []
    for (pims, map_id, map_version, field), outcomes in failures.items():
        failed = sum(n for outcome, n in outcomes.items() if outcome in FAILURE_OUTCOMES)
        rows.append(WritebackFailure(
            pims=pims, map_id=map_id, map_version=map_version, field=field,
            attempts=sum(outcomes.values()), failures=failed, outcomes=dict(sorted(outcomes.items())),
        ))
    rows.sort(key=lambda r: (-r.failures, r.pims, r.map_id or "", r.map_version or "", r.field))
    return rows


def _day_point(day: date, point: _Day) -> DayPoint:
    return DayPoint(
        day=day,
        ai_notes=point.ai,
        mean_doc_time_panel_s=point.panel_sum / point.panel_n if point.panel_n else None,
        mean_doc_time_transcript_s=point.tr_sum / point.tr_n if point.tr_n else None,
        edit_rate=_ratio(point.dist, point.chars),
        significant_med_errors=point.sig_med,
    )
