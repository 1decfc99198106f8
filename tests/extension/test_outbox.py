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


def test_resent_transcript_append_does_not_duplicate_segments(paired, companion):
    """A crash after the companion stored an append but before the outbox dropped it makes the outbox send the
    same item again: the item carries its key as idempotency_key, so the companion answers with the first result."""
    encounter = companion.api("POST", "/v1/encounters", body={"patient_id": "outbox-retry", "pims": "ezyvet"})
    path = f"/v1/encounters/{encounter['id']}"
    companion.api("POST", f"{path}/consent", body={"confirmed_by": "test"})
    body = {"text": "Vet: Heart rate 120, lungs clear.\nClient: She is eating well."}
    companion.stop()
    try:
        answer = paired.message({"type": "encounter.transcript", "encounterId": encounter["id"], "body": body})
        assert answer["queued"] is True
        [item] = paired.storage("outbox")["outbox"]
        assert item["kind"] == "transcript" and item["body"]["idempotency_key"] == item["key"]
    finally:
        companion.start()
    assert paired.message({"type": "outbox.flush"})["data"] == {"sent": True, "remaining": 0}
    first = [s["text"] for s in companion.api("GET", path)["transcript"]]
    assert len(first) == 2
    # the removal was lost: the very same item is in the outbox again and goes out a second time
    paired.eval("(item) => chrome.storage.local.set({outbox: [item]})", item)
    assert paired.message({"type": "outbox.flush"})["data"] == {"sent": True, "remaining": 0}
    result = paired.storage("outboxResults")["outboxResults"][-1]
    assert result["key"] == item["key"] and result["ok"] is True
    assert [s["text"] for s in companion.api("GET", path)["transcript"]] == first
