"""Admin pilot routes: dashboard data, settings, purge, blind review; plus the static dashboard at /admin."""

import asyncio
from datetime import date
from importlib import resources

from aiohttp import web
from pydantic import Field, model_validator

from companion.api.keys import DB
from companion.api.models.common import Strict
from companion.api.routes.pilot_consent import schedule_autopurge
from companion.api.spec import Call, Route
from companion.pilot import service
from companion.api.errors import ApiError
from companion.pilot.blind_review import Comparison, NotEnoughNotes, Rating
from companion.pilot.service import AuditView, BlindReviewExport, DashboardData, PilotReport
from companion.pilot.settings import PilotSettings, SettingsPatch
from companion.store import pilot as pilot_store
from companion.store import pilot_retention
from companion.store.errors import NotFound

STATIC_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".md": "text/plain"}
STATIC_FILES = {"admin.html", "admin.js", "admin.css", "uPlot.iife.min.js", "uPlot.min.css", "uPlot.LICENSE.md"}


class WindowQuery(Strict):
    """An inclusive window of clinic-local days; both ends optional."""

    date_from: date | None = Field(default=None, alias="from")
    date_to: date | None = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> "WindowQuery":
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValueError("'to' is before 'from'")
        return self


class AuditQuery(Strict):
    """How many of the newest audit rows to show."""

    limit: int = Field(default=50, ge=1, le=1000)


class BlindReviewRequest(WindowQuery):
    """Which approved notes to draw the blind review from."""


class RatingsImport(Strict):
    """The reviewer's ratings for coded notes."""

    ratings: list[Rating] = Field(min_length=1, max_length=100)


class PurgeRequest(Strict):
    """Purge now; `retention_days` overrides the setting for this run only (it can only be 1 day or more)."""

    retention_days: int | None = Field(default=None, ge=1, le=3650)


class PurgeResult(Strict):
    """What a purge removed."""

    cutoff: str
    retention_days: int
    encounters: int
    segments: int
    engine_outputs: int


def _static(name: str) -> web.Response:
    if name not in STATIC_FILES:
        raise NotFound("no such dashboard file")
    text = resources.files("companion.pilot").joinpath("static", name).read_text(encoding="utf-8")
    suffix = name[name.rindex("."):]
    return web.Response(text=text, content_type=STATIC_TYPES[suffix],
                      headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff",
                               "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'"})


async def admin_page(call: Call) -> web.Response:
    """The admin dashboard page (static; its data needs an admin token)."""
    return _static("admin.html")


async def admin_static(call: Call) -> web.Response:
    """Scripts and styles of the dashboard."""
    return _static(call.params["name"])


async def dashboard(call: Call) -> DashboardData:
    """Everything the dashboard shows for a window."""
    await call.db(pilot_store.refresh_note_stats)  # writes go through the writer; the heavy read does not
    data = await call.read(service.dashboard, call.query.date_from, call.query.date_to, refresh=False)
    schedule_autopurge(call)
    return data


async def audit_log(call: Call) -> AuditView:
    """The newest audit rows and the result of verifying the whole hash chain."""
    return await call.read(service.audit_view, call.query.limit)


async def report(call: Call) -> PilotReport:
    """Metrics and scorecard for a window (the numbers of `vetscribe pilot report`)."""
    await call.db(pilot_store.refresh_note_stats)
    return await call.read(service.pilot_report, call.query.date_from, call.query.date_to, refresh=False)


async def get_settings(call: Call) -> PilotSettings:
    """Consent, retention, baseline, time zone and thresholds."""
    return await call.read(pilot_store.get_settings)


async def update_settings(call: Call) -> PilotSettings:
    """Change settings; a consent rule looser than the state's is refused (422)."""
    return await call.db(pilot_store.update_settings, call.actor, call.body)


async def purge(call: Call) -> PurgeResult:
    """Purge transcripts older than the retention limit now."""
    result = await call.db(pilot_retention.delete_expired, call.actor, retention_days=call.body.retention_days)
    await asyncio.get_running_loop().run_in_executor(None, pilot_retention.compact, call.request.app[DB].path)
    return PurgeResult.model_validate(result)


async def export_blind_review(call: Call) -> BlindReviewExport:
    """Export 5 AI and 5 manual notes, de-identified and shuffled."""
    try:
        return await call.db(service.export_blind_review, call.actor, call.body.date_from, call.body.date_to)
    except NotEnoughNotes as exc:
        raise ApiError(409, "not_enough_notes", str(exc)) from None


async def import_ratings(call: Call) -> Comparison:
    """Import the reviewer's 1-10 ratings; returns the AI-versus-manual comparison."""
    return await call.db(service.import_ratings, call.actor, call.params["id"], call.body.ratings)


async def blind_review_result(call: Call) -> Comparison:
    """The comparison for a review's ratings so far."""
    return await call.read(service.review_comparison, call.params["id"])


ROUTES = [
    Route("GET", "/admin", admin_page, "Admin dashboard page", role=None, tags=["admin"]),
    Route("GET", "/admin/static/{name}", admin_static, "Admin dashboard assets", role=None, tags=["admin"]),
    Route("GET", "/v1/admin/pilot/dashboard", dashboard, "Pilot dashboard data", role="admin", query=WindowQuery,
          response=DashboardData, tags=["admin"]),
    Route("GET", "/v1/admin/pilot/audit", audit_log, "Audit log with chain verification", role="admin",
          query=AuditQuery, response=AuditView, tags=["admin"]),
    Route("GET", "/v1/admin/pilot/report", report, "Pilot metrics and scorecard", role="admin", query=WindowQuery,
          response=PilotReport, tags=["admin"]),
    Route("GET", "/v1/admin/pilot/settings", get_settings, "Pilot settings", role="admin", response=PilotSettings,
          tags=["admin"]),
    Route("POST", "/v1/admin/pilot/settings", update_settings, "Change pilot settings", role="admin",
          body=SettingsPatch, response=PilotSettings, tags=["admin"]),
    Route("POST", "/v1/admin/pilot/purge", purge, "Purge old transcripts now", role="admin", body=PurgeRequest,
          response=PurgeResult, tags=["admin"]),
    Route("POST", "/v1/admin/pilot/blind-reviews", export_blind_review, "Export a blind review", role="admin",
          body=BlindReviewRequest, response=BlindReviewExport, status=201, tags=["admin"]),
    Route("POST", "/v1/admin/pilot/blind-reviews/{id}/ratings", import_ratings, "Import blind-review ratings",
          role="admin", body=RatingsImport, response=Comparison, tags=["admin"]),
    Route("GET", "/v1/admin/pilot/blind-reviews/{id}", blind_review_result, "Blind-review comparison",
          role="admin", response=Comparison, tags=["admin"]),
]
