"""`vetscribe pilot report` output: the same PilotReport as JSON, as flat CSV rows, or as a printable HTML page."""

import csv
import io
from html import escape

from companion.pilot.metrics import GroupMetrics
from companion.pilot.service import PilotReport


def group_rows(scope: str, g: GroupMetrics) -> list[tuple[str, str, object]]:
    """(scope, metric, value) rows for one clinician or the clinic."""
    rows: list[tuple[str, str, object]] = [
        (scope, "notes", g.notes), (scope, "ai_notes", g.ai_notes), (scope, "manual_notes", g.manual_notes),
        (scope, "doc_time_transcript_mean_s", g.doc_time_transcript.mean_s),
        (scope, "doc_time_transcript_median_s", g.doc_time_transcript.median_s),
        (scope, "doc_time_panel_mean_s", g.doc_time_panel.mean_s),
        (scope, "doc_time_panel_median_s", g.doc_time_panel.median_s),
        (scope, "baseline_s", g.baseline.seconds), (scope, "baseline_source", g.baseline.source),
        (scope, "time_reduction", g.time_reduction), (scope, "edit_rate", g.edit_rate),
    ]
    rows += [(scope, f"edit_rate.{name}", rate) for name, rate in g.edit_rate_by_section.items()]
    for category, stat in g.errors.items():
        rows += [(scope, f"errors.{category}.tags", stat.tags), (scope, f"errors.{category}.notes", stat.notes),
                 (scope, f"errors.{category}.significant_notes", stat.significant_notes)]
    rows += [(scope, "significant_med_error_notes", g.significant_med_error_notes),
             (scope, "significant_med_error_rate", g.significant_med_error_rate),
             (scope, "satisfaction_mean", g.satisfaction_mean), (scope, "satisfaction_n", g.satisfaction_n)]
    return rows


def all_rows(report: PilotReport) -> list[tuple[str, str, object]]:
    """Every number of the report as (scope, metric, value)."""
    m = report.metrics
    rows = [("scorecard", "overall", report.scorecard.overall.value)]
    rows += [("scorecard", f"{r.rule}.{k}", v) for r in report.scorecard.rules
             for k, v in (("level", r.level.value), ("value", r.value))]
    rows += group_rows("clinic", m.clinic)
    for name, g in m.clinicians.items():
        rows += group_rows(f"clinician:{name}", g)
    for f in m.writeback_failures:
        scope = f"writeback:{f.pims}/{f.map_id or '-'}@{f.map_version or '-'}/{f.field}"
        rows += [(scope, "attempts", f.attempts), (scope, "failures", f.failures)]
    for d in m.daily:
        scope = f"day:{d.day.isoformat()}"
        rows += [(scope, "ai_notes", d.ai_notes), (scope, "mean_doc_time_panel_s", d.mean_doc_time_panel_s),
                 (scope, "mean_doc_time_transcript_s", d.mean_doc_time_transcript_s),
                 (scope, "edit_rate", d.edit_rate), (scope, "significant_med_errors", d.significant_med_errors)]
    return rows


def to_json(report: PilotReport) -> str:
    """The report as indented JSON."""
    return report.model_dump_json(indent=2)


def to_csv(report: PilotReport) -> str:
    """The report as CSV with columns scope, metric, value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["scope", "metric", "value"])
    writer.writerows(("" if v is None else v for v in row) for row in all_rows(report))
    return out.getvalue()


def _fmt(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def to_html(report: PilotReport) -> str:
    """A self-contained printable page: the scorecard first, then every number in a table."""
    card = report.scorecard
    banner = ""
    if card.stop:
        stop = next(r for r in card.rules if r.level.value == "stop")
        banner = f'<div class="stop" role="alert"><strong>STOP</strong> {escape(stop.message)}</div>'
    rules = "".join(f"<tr class='{r.level.value}'><td>{escape(r.rule)}</td><td>{escape(r.verdict)}</td>"
                    f"<td>{escape(r.message)}</td></tr>" for r in card.rules)
    rows = "".join(f"<tr><td>{escape(s)}</td><td>{escape(k)}</td><td>{escape(_fmt(v))}</td></tr>"
                   for s, k, v in all_rows(report))
    window = f"{report.metrics.date_from or 'start'} – {report.metrics.date_to or 'today'}"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pilot report {escape(window)}</title>
<style>body{{font:14px system-ui,sans-serif;margin:2em;color:#1d2733}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccd;padding:3px 8px;text-align:left}}.stop{{background:#b00020;color:#fff;padding:1em;
font-size:1.3em;margin:1em 0}}tr.stop td{{background:#fdd}}tr.warning td{{background:#fff3cd}}
tr.good td{{background:#e6f4ea}}</style></head>
<body><h1>AI scribe pilot report</h1><p>Window: {escape(window)} · overall: <b>{escape(card.overall.value)}</b></p>
{banner}<h2>Decision rules</h2><table><tr><th>rule</th><th>verdict</th><th>detail</th></tr>{rules}</table>
<h2>All figures</h2><table><tr><th>scope</th><th>metric</th><th>value</th></tr>{rows}</table></body></html>
"""


RENDERERS = {"json": to_json, "csv": to_csv, "html": to_html}
