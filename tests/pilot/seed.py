"""A 30-day, 4-clinician pilot generated through the public HTTP API, with the ground truth kept on the side.

The real app (companion.api.app.create_app) runs on an aiohttp test server over a real socket and a real SQLite
file. The store's clock is moved through the 30 days so that documentation times and days are known exactly.
Two steps do not go through HTTP, and say why:
- the AI draft is stored with `encounters.add_revision(kind="draft")`, the store function the /draft route
  calls: the pilot measures what happens after a draft exists, not the note engine (issue 3);
- pairing codes are issued with the store function `vetscribe pair` uses.
"""

import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from aiohttp.test_utils import TestClient, TestServer

from companion.api.app import create_app
from companion.config import Settings
from companion.store import Database, encounters, pairing

CLINICIANS = ("Dr Avery", "Dr Brooks", "Dr Chen", "Dr Diaz")
SECTIONS = ("subjective", "objective", "assessment", "plan")
PIMS_MAPS = (("ezyvet", "ezyvet", 3), ("shepherd", "shepherd", 1), ("covetrus-pulse", "covetrus-pulse", 2))
PET_NAMES = ("Biscuit", "Marlowe", "Pepper", "Juniper", "Tofu", "Waffles", "Clementine", "Rocco")
AI_NOTES = 250
MANUAL_NOTES = 40
SIGNIFICANT_MED_ERRORS = 5  # exactly 2.0 % of AI notes: on the STOP threshold, not above it
FAILURES = ("verify_failed", "missing", "ambiguous", "error")


@dataclass
class TruthNote:
    """What the generator did for one encounter."""

    encounter_id: str
    clinician: str
    pims: str
    map_id: str
    map_version: str
    scribe: bool
    opened: float
    transcript_at: float | None
    approved_at: float
    day: date
    patient_name: str
    patient_id: str
    edits: dict[str, tuple[int, int]] = field(default_factory=dict)  # section -> (draft chars, edit distance)
    tags: list[tuple[str, bool]] = field(default_factory=list)
    writeback: list[tuple[str, str]] = field(default_factory=list)  # (field, outcome)
    approved_sections: dict[str, str] = field(default_factory=dict)


@dataclass
class Truth:
    """Everything generated."""

    notes: list[TruthNote] = field(default_factory=list)
    satisfaction: list[tuple[str, date, int]] = field(default_factory=list)
    first_day: date | None = None
    last_day: date | None = None
    admin_token: str = ""
    clinician_token: str = ""


class Clock:
    """The store's clock, moved by the generator."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> str:
        return self.now.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@contextmanager
def store_clock(clock: Clock):
    """Point every store module's utc_now at `clock` for the duration."""
    import pytest

    from companion.store import audit, db, drift

    with pytest.MonkeyPatch.context() as patch:
        for module in (db, encounters, audit, drift):
            patch.setattr(module, "utc_now", clock)
        yield


def _draft(rng: random.Random, pet: str, clinician: str) -> dict[str, str]:
    weight = rng.randint(4, 40)
    return {
        "subjective": f"{pet} presented with {rng.choice(['vomiting', 'coughing', 'limping', 'itching'])} for "
                      f"{rng.randint(1, 9)} days. Appetite {rng.choice(['normal', 'reduced'])}.",
        "objective": f"T 101.{rng.randint(0, 9)} F, HR {rng.randint(80, 120)}, RR {rng.randint(18, 30)}. "
                     f"Weight {weight} kg. {rng.choice(['Mild', 'Moderate'])} discomfort on palpation.",
        "assessment": f"Suspect {rng.choice(['gastritis', 'tracheitis', 'soft tissue injury', 'dermatitis'])}.",
        "plan": f"Meloxicam {round(weight * 0.1, 1)} mg PO q24h for {rng.randint(3, 7)} days. Recheck in two weeks. "
                f"Seen by {clinician}.",
    }


def _edit(rng: random.Random, draft: dict[str, str]) -> tuple[dict[str, str], dict[str, tuple[int, int]]]:
    """Edits whose Levenshtein distance is known by construction: append m chars or cut the last t chars."""
    edited, truth = {}, {}
    for name, text in draft.items():
        op = rng.random()
        if op < 0.45:
            edited[name], distance = text, 0
        elif op < 0.8:
            extra = " " + " ".join(rng.choice(["ok", "noted", "stable", "owner agrees"]) for _ in range(rng.randint(1, 4)))
            edited[name], distance = text + extra, len(extra)
        else:
            cut = rng.randint(1, 12)
            edited[name], distance = text[:-cut], cut
        truth[name] = (len(text), distance)
    return edited, truth


def _tags(rng: random.Random, index: int, significant_med: set[int]) -> list[tuple[str, bool]]:
    tags = []
    if index in significant_med:
        tags.append(("medication_error", True))
    elif rng.random() < 0.04:
        tags.append(("medication_error", False))
    for category, chance in (("omission", 0.08), ("hallucination", 0.04), ("speaker_misattribution", 0.03)):
        if rng.random() < chance:
            tags.append((category, rng.random() < 0.25))
    return tags


def _tag_strings(tags: list[tuple[str, bool]]) -> list[str]:
    return [f"{c}:significant" if sig else c for c, sig in tags]


class Seeder:
    """Drives the API; one instance per generated pilot."""

    def __init__(self, client: TestClient, db: Database, clock: Clock, truth: Truth, rng: random.Random):
        self.client, self.db, self.clock, self.truth, self.rng = client, db, clock, truth, rng

    async def call(self, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {token or self.truth.clinician_token}"}
        response = await self.client.request(method, path, json=body, headers=headers)
        assert response.status < 300, f"{method} {path}: {response.status} {await response.text()}"
        return await response.json() if response.status != 204 else {}

    def at(self, moment: datetime) -> None:
        self.clock.now = moment

    async def ai_note(self, index: int, day: date, slot: int, clinician: str, significant_med: set[int]) -> None:
        rng = self.rng
        pims, map_id, version = PIMS_MAPS[index % len(PIMS_MAPS)]
        if map_id == "shepherd" and index % 2:
            version = 2  # two versions of one map in use, so failures split by version
        pet, patient_id = rng.choice(PET_NAMES), f"P{index:04d}"
        opened = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=13, minutes=15 * slot)
        self.at(opened)
        enc = await self.call("POST", "/v1/encounters", {
            "patient_id": patient_id, "pims": pims, "map_id": map_id, "map_version": version,
            "context": {"name": pet, "species": "canine"}, "clinician": clinician})
        eid = enc["id"]
        self.at(opened + timedelta(seconds=20))
        await self.call("POST", f"/v1/encounters/{eid}/consent", {"confirmed_by": clinician})
        transcript_at = opened + timedelta(seconds=40 + rng.randint(0, 60))
        self.at(transcript_at)
        await self.call("POST", f"/v1/encounters/{eid}/transcript", {"segments": [
            {"speaker": "vet", "text": f"What brings {pet} in today?"},
            {"speaker": "client", "text": "Not eating well since the weekend."}]})
        self.at(transcript_at + timedelta(seconds=30))
        draft = _draft(rng, pet, clinician)
        revision = encounters.add_revision(self.db, "engine", eid, draft, kind="draft")
        edited, edit_truth = _edit(rng, draft)
        approved_at = opened + timedelta(seconds=rng.randint(240, 540))
        revision_id = revision["revision_id"]
        if edited != draft:
            self.at(approved_at - timedelta(seconds=15))
            revision_id = (await self.call("POST", f"/v1/encounters/{eid}/revisions", {
                "sections": edited, "base_revision_id": revision_id}))["revision_id"]
        tags = _tags(rng, index, significant_med)
        self.at(approved_at)
        plan = await self.call("POST", f"/v1/encounters/{eid}/approve", {
            "revision_id": revision_id, "idempotency_key": f"approve-{eid}", "error_tags": _tag_strings(tags)})
        results = []
        for section in SECTIONS:
            outcome = "written" if rng.random() < 0.88 else rng.choice(FAILURES + ("skipped",))
            results.append({"section": section, "field": section, "outcome": outcome})
        self.at(approved_at + timedelta(seconds=5))
        await self.call("POST", f"/v1/encounters/{eid}/writeback", {
            "approval_id": plan["approval_id"], "idempotency_key": f"wb-{eid}", "results": results})
        self.truth.notes.append(TruthNote(
            eid, clinician, pims, map_id, str(version), True, opened.timestamp(), transcript_at.timestamp(),
            approved_at.timestamp(), approved_at.date(), pet, patient_id, edit_truth, tags,
            [(r["field"], r["outcome"]) for r in results], edited))

    async def manual_note(self, index: int, day: date, slot: int, clinician: str) -> None:
        rng = self.rng
        pims, map_id, version = PIMS_MAPS[0]
        pet, patient_id = rng.choice(PET_NAMES), f"M{index:04d}"
        opened = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=13, minutes=15 * slot)
        self.at(opened)
        enc = await self.call("POST", "/v1/encounters", {
            "patient_id": patient_id, "pims": pims, "map_id": map_id, "map_version": version,
            "context": {"name": pet, "species": "feline"}, "clinician": clinician})
        eid = enc["id"]
        approved_at = opened + timedelta(seconds=rng.randint(600, 900))
        sections = _draft(rng, pet, clinician)
        self.at(approved_at - timedelta(seconds=10))
        revision = await self.call("POST", f"/v1/encounters/{eid}/revisions", {"sections": sections})
        self.at(approved_at)
        await self.call("POST", f"/v1/encounters/{eid}/approve", {
            "revision_id": revision["revision_id"], "idempotency_key": f"approve-{eid}"})
        self.truth.notes.append(TruthNote(
            eid, clinician, pims, map_id, str(version), False, opened.timestamp(), None, approved_at.timestamp(),
            approved_at.date(), pet, patient_id, approved_sections=sections))


async def _pair(client: TestClient, db: Database, role: str) -> str:
    code, _ = pairing.issue_code(db, role)
    response = await client.post("/v1/pair", json={"code": code})
    assert response.status == 200, await response.text()
    return (await response.json())["token"]


async def generate(data_dir, *, seed: int = 7) -> Truth:
    """Generate the pilot into data_dir/companion.sqlite3 and return the ground truth."""
    settings = Settings(data_dir=data_dir, shipped_maps_dir=None)
    db = Database(settings.db_path)
    # durability is tested by the foundation; here an fsync per commit would only make seeding 10x slower
    db.conn.execute("PRAGMA synchronous=OFF")
    truth, rng, clock = Truth(), random.Random(seed), Clock()
    try:
        async with TestClient(TestServer(create_app(settings, db))) as client:
            truth.admin_token = await _pair(client, db, "admin")
            truth.clinician_token = await _pair(client, db, "clinician")
            seeder = Seeder(client, db, clock, truth, rng)
            await seeder.call("POST", "/v1/admin/pilot/settings", {"consent": {"state": "CA"}},
                              token=truth.admin_token)
            with store_clock(clock):
                await _generate_days(seeder, rng)
    finally:
        db.close()
    return truth


async def _generate_days(seeder: Seeder, rng: random.Random) -> None:
    today = datetime.now(UTC).date()
    days = [today - timedelta(days=n) for n in range(30, 0, -1)]  # the 30 days before today
    seeder.truth.first_day, seeder.truth.last_day = days[0], days[-1]
    significant_med = set(rng.sample(range(AI_NOTES), SIGNIFICANT_MED_ERRORS))
    kinds = ["ai"] * AI_NOTES + ["manual"] * MANUAL_NOTES
    rng.shuffle(kinds)
    slots: dict[tuple[date, str], int] = {}
    ai_index = manual_index = 0
    for n, kind in enumerate(kinds):
        day, clinician = days[n % len(days)], CLINICIANS[(n // len(days)) % len(CLINICIANS)]
        slot = slots.get((day, clinician), 0) + CLINICIANS.index(clinician) * 10
        slots[(day, clinician)] = slots.get((day, clinician), 0) + 1
        if kind == "ai":
            await seeder.ai_note(ai_index, day, slot, clinician, significant_med)
            ai_index += 1
        else:
            await seeder.manual_note(manual_index, day, slot, clinician)
            manual_index += 1
    for day in days:
        for clinician in CLINICIANS:
            if rng.random() < 0.8:
                score = rng.choice((2, 3, 4, 4, 5))
                seeder.at(datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=22))
                await seeder.call("POST", "/v1/pilot/satisfaction", {"clinician": clinician, "score": score})
                seeder.truth.satisfaction.append((clinician, day, score))
