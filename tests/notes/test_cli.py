"""`vetscribe note`: text and JSON output, stdin, context and template files, clear errors on bad files."""

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from companion.cli import main

CONSULT = json.loads((Path(__file__).parents[1] / "data" / "consults" / "03-complex-multiproblem.json").read_text())


def _files(tmp_path):
    transcript = tmp_path / "consult.txt"
    transcript.write_text("\n".join(CONSULT["transcript"]))
    context = tmp_path / "context.json"
    context.write_text(json.dumps(CONSULT["context"]))
    return transcript, context


def test_json_output_has_sections_provenance_flags_and_grounding(tmp_path):
    transcript, context = _files(tmp_path)
    result = CliRunner().invoke(main, ["note", str(transcript), "--context", str(context), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["grounding"]["verdict"] == "grounded"
    assert {"subjective", "objective", "assessment", "plan"} <= set(data["sections"])
    assert any(f["code"] == "duplicate_therapy" for f in data["flags"])
    assert data["medications"][0]["provenance"][0]["segment_id"].startswith("s")


def test_text_output_from_stdin_in_a_real_process(tmp_path):
    result = subprocess.run([sys.executable, "-m", "companion", "note", "-"], input="\n".join(CONSULT["transcript"]),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("SUBJECTIVE") and "Furosemide 2 mg/kg PO BID (new)" in result.stdout


def test_segment_json_file(tmp_path):
    path = tmp_path / "segments.json"
    path.write_text(json.dumps({"segments": [{"speaker": "vet", "text": "The cat presents for sneezing for a week."},
                                             {"speaker": "vet", "text": "Start doxycycline 50 mg once daily."}]}))
    result = CliRunner().invoke(main, ["note", str(path)])
    assert result.exit_code == 0 and "Doxycycline 50 mg SID (new)" in result.output


def test_bad_inputs_exit_non_zero_with_a_clear_message(tmp_path):
    transcript, _ = _files(tmp_path)
    bad_context = tmp_path / "bad.json"
    bad_context.write_text('{"species": "dragon"}')
    bad_template = tmp_path / "t.json"
    bad_template.write_text("{oops")
    empty = tmp_path / "empty.txt"
    empty.write_text("Dr:\n")
    runner = CliRunner()
    cases = [(["note", str(tmp_path / "missing.txt")], "does not exist"),
             (["note", str(transcript), "--context", str(bad_context)], "not a valid PatientContext"),
             (["note", str(transcript), "--template", str(bad_template)], "not valid JSON"),
             (["note", str(empty)], "no note was drafted")]
    for args, message in cases:
        result = runner.invoke(main, args)
        assert result.exit_code != 0 and message in result.output, (args, result.output)


def test_llm_option_falls_back_to_the_embedded_engine_when_unreachable(tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens once closed
    transcript, _ = _files(tmp_path)
    result = CliRunner().invoke(main, ["note", str(transcript), "--llm-url", f"http://127.0.0.1:{port}/v1",
                                       "--llm-timeout", "2"])
    assert result.exit_code == 0 and "embedded-rules-1 (fallback)" in result.output
    assert "unreachable" in result.output
