"""The practice's pilot and governance settings: consent policy, retention, baseline, time zone, thresholds."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from companion.pilot.consent import ConsentPolicy
from companion.pilot.scorecard import Thresholds

DEFAULT_RETENTION_DAYS = 30


class PilotSettings(BaseModel):
    """Stored as one JSON document; every change is audited."""

    model_config = ConfigDict(extra="forbid")

    consent: ConsentPolicy = Field(default_factory=ConsentPolicy)
    consent_configured: bool = Field(
        default=False, description="True once an admin has set the practice's state (or 'other')."
    )
    retention_days: int = Field(default=DEFAULT_RETENTION_DAYS, ge=1, le=3650,
                                description="Transcripts and audio older than this are purged.")
    auto_purge: bool = Field(default=True, description="Purge automatically while `vetscribe serve` runs.")
    baseline_seconds: float | None = Field(default=None, gt=0, le=86400,
                                           description="Entered documentation time per note without the scribe.")
    timezone: str = Field(default="UTC", description="IANA zone that defines the clinic's days.")
    thresholds: Thresholds = Field(default_factory=Thresholds)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    def tz(self) -> ZoneInfo:
        """The clinic's time zone object."""
        return ZoneInfo(self.timezone)


class SettingsPatch(BaseModel):
    """A partial update; omitted fields keep their value."""

    model_config = ConfigDict(extra="forbid")

    consent: ConsentPolicy | None = None
    retention_days: int | None = Field(default=None, ge=1, le=3650)
    auto_purge: bool | None = None
    baseline_seconds: float | None = Field(default=None, gt=0, le=86400)
    clear_baseline: bool = False
    timezone: str | None = None
    thresholds: Thresholds | None = None


def apply_patch(current: PilotSettings, patch: SettingsPatch) -> PilotSettings:
    """The settings after a patch (validated again as a whole)."""
    data = current.model_dump()
    for name in ("retention_days", "auto_purge", "baseline_seconds", "timezone"):
        value = getattr(patch, name)
        if value is not None:
            data[name] = value
    if patch.clear_baseline:
        data["baseline_seconds"] = None
    if patch.consent is not None:
        data["consent"] = patch.consent.model_dump()
        data["consent_configured"] = True
    if patch.thresholds is not None:
        data["thresholds"] = patch.thresholds.model_dump()
    return PilotSettings.model_validate(data)
