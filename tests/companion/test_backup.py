"""`vetscribe backup`: a copy taken while writing is consistent, verified, restorable; a damaged one is refused."""

import sqlite3

from companion.store import audit, encounters
from companion_live import cli


def test_backup_create_verify_restore(settings, db, tmp_path):
    before = audit.verify(db).rows
    created = [encounters.create(db, "t", patient_id=f"B-{i}", pims="x")["id"] for i in range(5)]
    out = tmp_path / "copy.sqlite3"
    result = cli("backup", "create", "--out", str(out), data_dir=settings.data_dir)
    assert result.returncode == 0 and f"audit chain intact ({before + 5} rows)" in result.stdout
    assert cli("backup", "verify", str(out)).returncode == 0
    restored_dir = tmp_path / "restored"
    assert cli("backup", "restore", str(out), data_dir=restored_dir).returncode == 0
    from companion.store import Database

    restored = Database(restored_dir / "companion.sqlite3")
    try:
        assert [encounters.get(restored, enc_id)["patient_id"] for enc_id in created] == [f"B-{i}" for i in range(5)]
    finally:
        restored.close()


def test_damaged_backup_is_refused(settings, db, tmp_path):
    encounters.create(db, "t", patient_id="B", pims="x")
    out = tmp_path / "copy.sqlite3"
    assert cli("backup", "create", "--out", str(out), data_dir=settings.data_dir).returncode == 0
    conn = sqlite3.connect(out)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'someone else' WHERE seq = 1")
    conn.commit()
    conn.close()
    result = cli("backup", "verify", str(out))
    assert result.returncode == 1 and "row 1" in result.stderr
    assert cli("backup", "restore", str(out), data_dir=tmp_path / "r").returncode != 0
    refused = cli("backup", "restore", str(out), data_dir=settings.data_dir)
    assert refused.returncode != 0 and "--yes" in refused.stderr
