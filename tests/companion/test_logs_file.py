"""The JSON-lines log file: only whitelisted keys, one object per line, rotation by size."""

import json

from companion import logs


def test_only_safe_keys_are_written_and_files_rotate(tmp_path):
    sink = logs.JsonLineFile(tmp_path / "x.jsonl", max_bytes=400, backups=2)
    for index in range(12):
        sink.write(logs.format_line("request", 20, {"route": "/v1/health", "status": 200, "name": "Patient Name",
                                                    "count": index}))
    sink.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["x.jsonl", "x.jsonl.1", "x.jsonl.2"]
    lines = [json.loads(line) for p in tmp_path.iterdir() for line in p.read_text().splitlines()]
    assert all(set(line) <= {"ts", "level", "event", "route", "status", "count"} for line in lines)
    assert max(line["count"] for line in lines) == 11
