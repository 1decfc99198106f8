"""Models for health, pairing and identity."""

from typing import Literal

from pydantic import Field

from companion.api.models.common import Strict

Role = Literal["clinician", "admin"]


class Health(Strict):
    """Liveness and versions; needs no token."""

    status: Literal["ok"]
    version: str
    schema_version: int


class PairRequest(Strict):
    """The one-time code printed by `vetscribe pair`."""

    code: str = Field(min_length=1, max_length=32)


class PairResponse(Strict):
    """A bearer token (shown once), its role and opaque id."""

    token: str
    role: Role
    token_id: str


class WhoAmI(Strict):
    """The caller's role and opaque token id."""

    role: Role
    token_id: str
