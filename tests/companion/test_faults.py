"""Storage faults against a real `vetscribe serve`: a full disk and a file system gone read-only answer 503 with a
stable code and write nothing, reads keep working, and the server recovers; a damaged SQLite file stops `serve`
with a message naming the file and the recovery path, and a restore from backup brings the data back.

Why real file systems: the tests run as root here, and root ignores permission bits (chmod 0444 proves nothing),
so a read-only or full data dir has to be a real one. A tmpfs mounted with `size=` gives a genuine ENOSPC; an ext4
image on a loop device mounted `errors=remount-ro` and pushed through ext4's own `trigger_fs_error` gives the
genuine emergency read-only remount a failing disk causes (a plain `mount -o remount,ro` is refused with EBUSY
while the server holds the database open for writing, which is why it cannot be used). RLIMIT_FSIZE would give
EFBIG plus SIGXFSZ rather than a full disk, and SQLite's max_page_count would test SQLite, not the disk: neither is
used. Each test skips, naming the missing capability, where mounting is not permitted.
"""

import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from companion_live import LiveServer, cli

SEGMENT_TEXT = "Vet: heart and lungs normal on auscultation. " * 400  # ~18 KB, under the 20,000-char limit


def _run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=30)


@contextlib.contextmanager
def mounted(kind: str, target: Path, tmp_path: Path):
    """Mount a tiny tmpfs (`kind="tmpfs"`) or a loop-mounted ext4 image (`kind="ext4"`) at `target`."""
    target.mkdir(parents=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a test file system needs root (CAP_SYS_ADMIN); this run is not root")
    if kind == "tmpfs":
        result = _run("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(target))
    else:
        image = tmp_path / "ext4.img"
        with open(image, "wb") as handle:
            handle.truncate(16 * 1024 * 1024)
        made = _run("mkfs.ext4", "-q", "-F", str(image))
        if made.returncode != 0:
            pytest.skip(f"mkfs.ext4 unavailable: {made.stderr.strip()}")
        result = _run("mount", "-o", "loop,errors=remount-ro", str(image), str(target))
    if result.returncode != 0:
        pytest.skip(f"this sandbox does not permit mounting {kind}: {result.stderr.strip()}")
    try:
        yield target
    finally:
        _run("umount", "-l", str(target))


def append(server: LiveServer, token: str, encounter_id: str, count: int = 40):
    """Append `count` ~18 KB segments (~0.7 MB) in one request."""
    body = {"segments": [{"speaker": "vet", "text": SEGMENT_TEXT} for _ in range(count)]}
    return server.request("POST", f"/v1/encounters/{encounter_id}/transcript", body, token=token)


def segment_count(server: LiveServer, token: str, encounter_id: str) -> int:
    status, _, body = server.request("GET", f"/v1/encounters/{encounter_id}", token=token)
    assert status == 200, body
    return len(body["transcript"])


def fill_disk(directory: Path) -> Path:
    """Write a ballast file until the file system says ENOSPC."""
    ballast = directory / "ballast.bin"
    with open(ballast, "wb") as handle:
        with contextlib.suppress(OSError):
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
    return ballast


def test_disk_full_answers_503_writes_nothing_and_recovers(tmp_path):
    with mounted("tmpfs", tmp_path / "fs", tmp_path) as fs:
        server = LiveServer(fs / "data").start()
        try:
            token = server.pair()
            status, _, encounter = server.request("POST", "/v1/encounters", {"patient_id": "F-1", "pims": "ezyvet"},
                                                  token=token)
            assert status == 201
            assert append(server, token, encounter["id"])[0] == 200
            before = segment_count(server, token, encounter["id"])
            ballast = fill_disk(fs)
            status, headers, problem = append(server, token, encounter["id"])
            assert (status, problem["code"]) == (503, "storage_full"), problem
            assert headers.get("Retry-After") and "docs/operations.md" in problem["detail"]
            assert server.request("GET", "/v1/health")[0] == 200  # reads keep being served
            assert segment_count(server, token, encounter["id"]) == before  # nothing of the refused write
            refused = cli("backup", "create", "--out", str(fs / "backup.sqlite3"), data_dir=fs / "data")
            assert refused.returncode == 1 and "disk is full" in refused.stderr, refused.stderr
            assert not (fs / "backup.sqlite3").exists()  # no truncated file that looks like a backup
            ballast.unlink()
            status, _, appended = append(server, token, encounter["id"])
            assert status == 200, appended
            assert segment_count(server, token, encounter["id"]) == before + 40
        finally:
            server.stop()
        verified = cli("audit", "verify", data_dir=fs / "data")
        assert verified.returncode == 0, verified.stderr


def test_file_size_limit_is_a_503_not_a_killed_server(tmp_path):
    """RLIMIT_FSIZE set on the running server (prlimit, as `ulimit -f` would): the kernel sends SIGXFSZ, which
    kills a process by default; CPython starts with it ignored and `serve` sets that explicitly, so the write fails
    with EFBIG, the request gets a clean 503 with nothing written, and lifting the limit recovers."""
    resource = pytest.importorskip("resource")
    server = LiveServer(tmp_path / "data").start()
    try:
        token = server.pair()
        status, _, encounter = server.request("POST", "/v1/encounters", {"patient_id": "L-1", "pims": "ezyvet"},
                                              token=token)
        assert status == 201
        before = segment_count(server, token, encounter["id"])
        largest = max(f.stat().st_size for f in (tmp_path / "data").glob("companion.sqlite3*"))
        try:
            resource.prlimit(server.proc.pid, resource.RLIMIT_FSIZE, (largest + 65536, resource.RLIM_INFINITY))
        except (PermissionError, OSError) as exc:
            pytest.skip(f"cannot set a file-size limit on the server here: {exc}")
        status, _, problem = append(server, token, encounter["id"])
        assert status == 503 and problem["code"] in ("storage_full", "storage_unavailable"), problem
        assert server.proc.poll() is None  # still alive
        assert segment_count(server, token, encounter["id"]) == before
        resource.prlimit(server.proc.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        assert append(server, token, encounter["id"])[0] == 200
    finally:
        server.stop()
    assert cli("audit", "verify", data_dir=tmp_path / "data").returncode == 0


def test_read_only_data_dir_at_start_is_refused_clearly_then_serves_once_writable(tmp_path):
    """A tmpfs remounted read-only while nothing holds it open (the remount is refused while a server runs)."""
    with mounted("tmpfs", tmp_path / "fs", tmp_path) as fs:
        assert cli("pair", data_dir=fs / "data").returncode == 0  # a data dir with a database in it
        assert _run("mount", "-o", "remount,ro", str(fs)).returncode == 0
        refused = cli("serve", "--port", "0", data_dir=fs / "data")
        assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr
        assert f"cannot write the companion's data dir {fs / 'data'}" in refused.stderr
        assert "Read-only file system" in refused.stderr and "docs/operations.md" in refused.stderr
        assert _run("mount", "-o", "remount,rw", str(fs)).returncode == 0
        server = LiveServer(fs / "data").start()
        try:
            assert server.request("POST", "/v1/encounters", {"patient_id": "W-1", "pims": "ezyvet"},
                                  token=server.pair())[0] == 201
        finally:
            server.stop()


def test_read_only_file_system_answers_503_and_keeps_reads(tmp_path):
    with mounted("ext4", tmp_path / "fs", tmp_path) as fs:
        server = LiveServer(_outside_stdout(fs / "data", tmp_path)).start()
        try:
            token = server.pair()
            status, _, encounter = server.request("POST", "/v1/encounters", {"patient_id": "R-1", "pims": "ezyvet"},
                                                  token=token)
            assert status == 201
            device = _loop_device(fs)
            Path(f"/sys/fs/ext4/{device}/trigger_fs_error").write_text("vetscribe fault drill\n")
            assert {"ro", "emergency_ro"} & set(_mount_options(fs))
            status, headers, problem = server.request("POST", "/v1/encounters", {"patient_id": "R-2", "pims": "ezyvet"},
                                                      token=token)
            assert (status, problem["code"]) == (503, "storage_unavailable"), problem
            assert headers.get("Retry-After")
            status, _, again = server.request("GET", f"/v1/encounters/{encounter['id']}", token=token)
            assert status == 200 and again["patient_id"] == "R-1"
            assert server.request("GET", "/v1/encounters?patient_id=R-2", token=token)[2]["items"] == []
        finally:
            stopped = server.stop()
        assert stopped == 0, server.read_output()
        # Recovery is the admin's: copy the data off the failed disk (as docs/operations.md says) and serve it.
        rescued = tmp_path / "rescued"
        shutil.copytree(fs / "data", rescued, ignore=shutil.ignore_patterns("logs"))
    verified = cli("audit", "verify", data_dir=rescued)
    assert verified.returncode == 0, verified.stderr
    server = LiveServer(rescued).start()
    try:
        token = server.pair()
        assert server.request("POST", "/v1/encounters", {"patient_id": "R-2", "pims": "ezyvet"}, token=token)[0] == 201
    finally:
        server.stop()


def _outside_stdout(data_dir: Path, tmp_path: Path) -> Path:
    """The data dir through a symlink, so the server's captured stdout (kept next to it) stays writable."""
    data_dir.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "data").symlink_to(data_dir)
    return tmp_path / "out" / "data"


def _mount_line(target: Path) -> list[str]:
    for line in Path("/proc/mounts").read_text().splitlines():
        fields = line.split()
        if fields[1] == str(target):
            return fields
    raise AssertionError(f"{target} is not mounted")


def _mount_options(target: Path) -> list[str]:
    return _mount_line(target)[3].split(",")


def _loop_device(target: Path) -> str:
    device = Path(_mount_line(target)[0]).name
    if not Path(f"/sys/fs/ext4/{device}/trigger_fs_error").exists():
        pytest.skip("this kernel has no ext4 trigger_fs_error to force the emergency read-only remount")
    return device


@pytest.fixture(scope="module")
def clinic_with_backup(tmp_path_factory):
    """A data dir written by a real server (3 encounters), a verified backup of it, and a pristine copy."""
    root = tmp_path_factory.mktemp("damaged")
    server = LiveServer(root / "data").start()
    try:
        token = server.pair()
        created = [server.request("POST", "/v1/encounters", {"patient_id": f"D-{i}", "pims": "ezyvet"}, token=token)
                   for i in range(3)]
        ids = [body["id"] for _, _, body in created]
    finally:
        server.stop()
    backup = root / "good.sqlite3"
    assert cli("backup", "create", "--out", str(backup), data_dir=root / "data").returncode == 0
    pristine = root / "pristine.sqlite3"
    shutil.copyfile(root / "data" / "companion.sqlite3", pristine)
    return root, backup, pristine, ids


def test_a_new_data_dir_is_private_to_its_user(clinic_with_backup):
    root = clinic_with_backup[0]
    assert (root / "data").stat().st_mode & 0o777 == 0o700  # created by `serve`: other local users cannot read it


def _damage(db_file: Path, offset: int, length: int) -> None:
    with open(db_file, "r+b") as handle:
        handle.seek(offset)
        handle.write(bytes((i * 37 + 11) % 251 for i in range(length)))


def _page_of_table(db_file: Path, table: str) -> int:
    conn = sqlite3.connect(db_file)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?", (table,)).fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("where", ["header", "page"])
def test_damaged_database_refuses_to_serve_and_restore_round_trips(clinic_with_backup, where):
    root, backup, pristine, ids = clinic_with_backup
    db_file = root / "data" / "companion.sqlite3"
    shutil.copyfile(pristine, db_file)
    if where == "header":
        _damage(db_file, 0, 100)  # magic string, page size and counters
    else:
        page_size = 4096
        _damage(db_file, (_page_of_table(db_file, "encounters") - 1) * page_size, page_size)
    refused = cli("serve", "--port", "0", data_dir=root / "data", timeout=30)
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert str(db_file) in refused.stderr and "damaged" in refused.stderr
    assert "vetscribe backup restore" in refused.stderr and "docs/operations.md" in refused.stderr
    assert "listening" not in refused.stdout
    restored = cli("backup", "restore", str(backup), "--yes", data_dir=root / "data")
    assert restored.returncode == 0, restored.stderr
    assert "kept as" in restored.stdout and not (root / "data" / "companion.sqlite3-wal").exists()
    assert cli("audit", "verify", data_dir=root / "data").returncode == 0
    server = LiveServer(root / "data").start()
    try:
        token = server.pair()
        for encounter_id in ids:
            assert server.request("GET", f"/v1/encounters/{encounter_id}", token=token)[0] == 200
    finally:
        server.stop()
