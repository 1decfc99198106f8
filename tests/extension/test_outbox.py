"""Unsent work survives the companion being down: it is kept in storage.local and sent once when it returns."""

DRIFT = {"map_id": "ezyvet", "map_version": 1, "page_kind": "outbox_test", "field": "plan", "outcome": "missing"}


def _drift_count(companion):
    rows = companion.api("GET", "/v1/admin/drift")["items"]
    return sum(r["count"] for r in rows if (r["map_id"], r["field"], r["outcome"]) == ("ezyvet", "plan", "missing"))


def test_queued_while_down_then_sent_once(paired, companion):
    before = _drift_count(companion)
    companion.stop()
    try:
        answer = paired.message({"type": "drift.report", "body": DRIFT})
        assert answer["ok"] is False and answer["queued"] is True
        assert answer["error"]["code"] == "unreachable"
        listed = paired.message({"type": "outbox.list"})["data"]
        assert [item["kind"] for item in listed] == ["drift"]
        assert len(paired.storage("outbox")["outbox"]) == 1
        # a failed flush keeps it
        assert paired.message({"type": "outbox.flush"})["data"]["sent"] is False
        assert len(paired.message({"type": "outbox.list"})["data"]) == 1
    finally:
        companion.start()
    flushed = paired.message({"type": "outbox.flush"})["data"]
    assert flushed == {"sent": True, "remaining": 0}
    assert paired.message({"type": "outbox.list"})["data"] == []
    # flushing again sends nothing twice
    paired.message({"type": "outbox.flush"})
    assert _drift_count(companion) == before + 1
    results = paired.storage("outboxResults")["outboxResults"]
    assert results[-1]["kind"] == "drift" and results[-1]["ok"] is True


def test_rejected_work_is_not_retried_forever(paired, companion):
    bad = {**DRIFT, "outcome": "not-an-outcome"}
    answer = paired.message({"type": "drift.report", "body": bad})
    assert answer["ok"] is False and not answer.get("queued")
    assert answer["error"]["code"] == "validation_error"
    assert paired.message({"type": "outbox.list"})["data"] == []
