"""Read-only checks before audio leaves the companion for speech-to-text: the same rules as a transcript append."""

from companion.store import pilot, states
from companion.store.db import Database
from companion.store.errors import NotFound


def check_can_append(db: Database, encounter_id: str) -> None:
    """Raise NotFound, IllegalTransition or ConsentRequired exactly as `encounters.append_transcript` would, so
    no recording is transcribed for an encounter that could not keep its transcript."""
    with db.reading() as conn:
        row = conn.execute("SELECT state FROM encounters WHERE id = ?", (encounter_id,)).fetchone()
        if row is None:
            raise NotFound(f"no encounter with id '{encounter_id}'")
        states.check("append_transcript", row["state"])
        pilot.require_consent(conn, encounter_id)
