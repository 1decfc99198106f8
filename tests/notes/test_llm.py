"""The optional LLM engine against a LOCAL aiohttp server speaking the OpenAI chat-completions wire format.

No model can be downloaded or reached here, so a local stand-in plays the remote endpoint: it receives the same
request body a real server (Ollama, llama.cpp, vLLM) would and answers in the same JSON shape.
"""

import asyncio
import json
import socket

from aiohttp import web

from companion.notes import draft_note
from companion.notes.llm import LLMConfig, LLMEngine

TRANSCRIPT = ("Dr: This dog presents for vomiting since yesterday.\n"
              "Owner: I gave him some Pepcid last night.\n"
              "Dr: Temp 102.1, heart rate 100.\n"
              "Dr: I think this is gastroenteritis. Give Cerenia 1 mg/kg under the skin today.")
MODEL_NOTE = {
    "subjective": [{"text": "Vomiting since yesterday.", "segment_ids": ["s1"]}],
    "assessment": [{"text": "Gastroenteritis.", "segment_ids": ["s4"]},
                   {"text": "Pancreatitis.", "segment_ids": ["s4"]}],
    "plan": [], "exam": {},
    "vitals": [{"name": "temperature", "value": 102.1, "unit": "F", "segment_ids": ["s3"]},
               {"name": "respiratory_rate", "value": 30, "unit": "/min", "segment_ids": ["s3"]}],
    "medications": [
        {"drug": "Cerenia", "dose": 1, "unit": "mg/kg", "route": "SC", "status": "new", "segment_ids": ["s4"]},
        {"drug": "Rimadyl", "dose": 75, "unit": "mg", "status": "new", "segment_ids": ["s4"]},
        {"drug": "Pepcid", "dose": None, "status": "new", "segment_ids": ["s2"]}],
}


def _completion(content: str) -> dict:
    return {"id": "chatcmpl-1", "object": "chat.completion", "model": "local",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}]}


async def _serve(aiohttp_server, handler):
    app = web.Application()
    app.router.add_post("/v1/chat/completions", handler)
    return await aiohttp_server(app)


async def _draft(server_url: str, **config):
    engine = LLMEngine(LLMConfig(url=server_url, model="local-model", **config))
    return await asyncio.get_running_loop().run_in_executor(None, lambda: draft_note(TRANSCRIPT, engine=engine))


async def test_llm_draft_is_verified_like_any_other(aiohttp_server):
    seen = []

    async def handler(request):
        seen.append((request.headers.get("Authorization"), await request.json()))
        return web.json_response(_completion(json.dumps(MODEL_NOTE)))

    server = await _serve(aiohttp_server, handler)
    note = await _draft(str(server.make_url("/v1")), api_key="k-123")
    assert note.engine == "llm:local-model"
    assert seen[0][0] == "Bearer k-123" and seen[0][1]["model"] == "local-model"
    assert "[s4] (vet)" in seen[0][1]["messages"][1]["content"]
    assert [o.drug for o in note.medications] == ["maropitant"]
    assert [o.drug for o in note.mentioned_medications] == ["famotidine"]  # the client's drug, demoted
    assert [v.name for v in note.vitals] == ["temperature"]
    assert [i.text for i in note.assessment] == ["Gastroenteritis."]
    assert note.grounding.verdict == "ungrounded_removed"
    assert {u.text for u in note.grounding.ungrounded} >= {"Rimadyl", "Pancreatitis.", "Pepcid"}


async def test_transient_errors_are_retried(aiohttp_server):
    calls = []

    async def handler(request):
        calls.append(1)
        if len(calls) < 3:
            return web.json_response({"error": "busy"}, status=503)
        return web.json_response(_completion(json.dumps(MODEL_NOTE)))

    server = await _serve(aiohttp_server, handler)
    note = await _draft(str(server.make_url("/v1")), retries=2, backoff=0.01)
    assert len(calls) == 3 and note.engine == "llm:local-model"


async def test_garbage_answer_falls_back_and_says_so(aiohttp_server):
    async def handler(request):
        return web.json_response(_completion("Sure! Here is your note: the dog is fine."))

    server = await _serve(aiohttp_server, handler)
    note = await _draft(str(server.make_url("/v1")))
    assert note.engine == "embedded-rules-1 (fallback)"
    assert "not a chat completion holding a JSON note" in note.engine_note
    assert [o.drug for o in note.medications] == ["maropitant"]


async def test_timeout_falls_back(aiohttp_server):
    async def handler(request):
        await asyncio.sleep(2)
        return web.json_response(_completion("{}"))

    server = await _serve(aiohttp_server, handler)
    note = await _draft(str(server.make_url("/v1")), timeout=0.2, retries=0)
    assert note.engine.endswith("(fallback)") and "unreachable" in note.engine_note


def test_unreachable_backend_falls_back():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before use: nothing listens there
    engine = LLMEngine(LLMConfig(url=f"http://127.0.0.1:{port}/v1", model="m", retries=1, backoff=0.01))
    note = draft_note(TRANSCRIPT, engine=engine)
    assert note.engine == "embedded-rules-1 (fallback)" and "unreachable" in note.engine_note
    assert "(LLM backend failed" in note.to_text()
