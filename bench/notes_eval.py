"""Note engine benchmark: grounding, medication recall, vitals precision/recall, ROUGE and latency.

Run: python bench/notes_eval.py [--eval-dir ../shared/eval/aci-bench] [--quick]
Prints figures per set (ACI-Bench train, valid; the team's veterinary consult set) and a latency curve.
"""

import argparse
import csv
import gc
import statistics
import sys
import time
from pathlib import Path

from rouge_score import rouge_scorer

from companion.notes import EmptyTranscriptError, draft_note
from companion.notes.evaluate import (consult_inputs, load_consults, note_drugs, note_text, reference_drugs,
                                      reference_vitals, score_consult, ungrounded_medications)
from companion.notes.transcript import coerce_segments

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = ROOT.parent / "shared" / "eval" / "aci-bench"
CONSULTS = ROOT / "tests" / "data" / "consults"
CURVE_WORDS = (500, 1000, 2000, 5000, 10000, 20000)
SCORER = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)


def _rouge(pairs: list[tuple[str, str]]) -> dict[str, float]:
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    for reference, output in pairs:
        for name, score in SCORER.score(reference, output).items():
            totals[name] += score.fmeasure
    return {k: 100 * v / max(len(pairs), 1) for k, v in totals.items()}


def _pr(tp: int, extracted: int, expected: int) -> tuple[float, float]:
    return (tp / extracted if extracted else 1.0), (tp / expected if expected else 1.0)


def eval_aci(path: Path) -> None:
    """Figures over one ACI-Bench split (human medicine: species-independent behaviour only)."""
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    ungrounded, ref_drugs, hit_drugs, pairs, times = [], 0, 0, [], []
    v_tp = v_out = v_ref = 0
    for row in rows:
        segments = coerce_segments(row["dialogue"])
        started = time.perf_counter()
        note = draft_note(segments)
        times.append(time.perf_counter() - started)
        ungrounded += [f"{row['encounter_id']}: {p}" for p in ungrounded_medications(note, segments)]
        wanted, got = reference_drugs(row["note"]), note_drugs(note)
        ref_drugs += len(wanted)
        hit_drugs += len(wanted & got)
        ref_vitals = reference_vitals(row["note"])
        out_vitals = {v.name: v.value for v in note.vitals if isinstance(v.value, float) and not v.environmental}
        v_ref += len(ref_vitals)
        v_out += len(out_vitals)
        v_tp += sum(1 for k, v in out_vitals.items() if ref_vitals.get(k) == v)
        pairs.append((row["note"], note_text(note)))
    precision, recall = _pr(v_tp, v_out, v_ref)
    rouge = _rouge(pairs)
    print(f"\n== ACI-Bench {path.stem} ({len(rows)} encounters)")
    print(f"ungrounded medications/doses in output: {len(ungrounded)}" + "".join(f"\n   {u}" for u in ungrounded))
    print(f"medication recall vs reference note drugs: {hit_drugs}/{ref_drugs} = {hit_drugs / max(ref_drugs, 1):.3f}")
    print(f"vitals precision {precision:.3f} ({v_tp}/{v_out}), recall {recall:.3f} ({v_tp}/{v_ref})")
    print(f"ROUGE-1/2/L F1: {rouge['rouge1']:.2f} / {rouge['rouge2']:.2f} / {rouge['rougeL']:.2f}")
    print(f"latency per encounter: median {1000 * statistics.median(times):.1f} ms, max {1000 * max(times):.1f} ms")


def eval_consults() -> None:
    """Figures over the team's veterinary consult set (answer keys)."""
    consults = load_consults(CONSULTS)
    ungrounded, pairs = [], []
    med_hit = med_all = v_tp = v_out = v_ref = flag_miss = flag_forbidden = wrong_rx = 0
    for consult in consults:
        segments, context = consult_inputs(consult)
        note = draft_note(segments, context)
        score = score_consult(consult, note)
        ungrounded += [f"{consult['id']}: {p}" for p in ungrounded_medications(note, segments)]
        med_hit += score["med_hits"]
        med_all += score["med_expected"]
        v_tp += score["vital_tp"]
        v_out += score["vital_extracted"]
        v_ref += score["vital_expected"]
        flag_miss += len(score["flags_missing"])
        flag_forbidden += len(score["flags_forbidden"])
        wrong_rx += len(score["wrongly_prescribed"])
        pairs.append((consult["reference_note"], note_text(note)))
        for problem in score["med_misses"] + [f"vital {k}: {v}" for k, v in score["vital_errors"].items()]:
            print(f"   {consult['id']}: {problem}")
    precision, recall = _pr(v_tp, v_out, v_ref)
    rouge = _rouge(pairs)
    print(f"\n== Veterinary consult set ({len(consults)} consults, team-written answer keys)")
    print(f"ungrounded medications/doses in output: {len(ungrounded)}" + "".join(f"\n   {u}" for u in ungrounded))
    print(f"medication recall (drug + status + dose/unit/frequency/duration where keyed): {med_hit}/{med_all} = "
          f"{med_hit / max(med_all, 1):.3f}")
    print(f"client-mentioned drugs wrongly prescribed: {wrong_rx}")
    print(f"vitals precision {precision:.3f} ({v_tp}/{v_out}), recall {recall:.3f} ({v_tp}/{v_ref})")
    print(f"safety flags: {flag_miss} expected flag(s) missing, {flag_forbidden} unexpected flag(s) raised")
    print(f"ROUGE-1/2/L F1: {rouge['rouge1']:.2f} / {rouge['rouge2']:.2f} / {rouge['rougeL']:.2f}")


def _transcript_of(words: int, dialogues: list[str]) -> str:
    lines, count = [], 0
    while count < words:
        for line in "\n".join(dialogues).splitlines():
            lines.append(line)
            count += len(line.split())
            if count >= words:
                break
    return "\n".join(lines)


def latency_curve(dialogues: list[str], quick: bool) -> None:
    """Median wall and CPU time per transcript length; ms per 1,000 words shows linearity."""
    print("\n== Latency (embedded engine, transcripts built from ACI-Bench dialogues)")
    print(f"{'words':>7} {'runs':>5} {'wall median ms':>15} {'cpu median ms':>14} {'cpu ms/1k words':>16}")
    draft_note(_transcript_of(200, dialogues))  # warm caches (lexicon, regexes)
    for words in CURVE_WORDS:
        transcript = _transcript_of(words, dialogues)
        runs = 3 if quick else (15 if words <= 2000 else 5)
        wall, cpu = [], []
        for _ in range(runs):
            gc.collect()
            w0, c0 = time.perf_counter(), time.process_time()
            draft_note(transcript)
            wall.append(time.perf_counter() - w0)
            cpu.append(time.process_time() - c0)
        cpu_ms = 1000 * statistics.median(cpu)
        print(f"{words:>7} {runs:>5} {1000 * statistics.median(wall):>15.1f} {cpu_ms:>14.1f} "
              f"{cpu_ms / words * 1000:>16.2f}")
    print("target: 2,000 words <= 50 ms median; CPU ms per 1k words roughly constant = linear")


def main() -> int:
    """Run every set and the latency curve."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--quick", action="store_true", help="Fewer latency runs.")
    args = parser.parse_args()
    splits = [args.eval_dir / f"{name}.csv" for name in ("train", "valid")]
    for split in splits:
        if split.exists():
            eval_aci(split)
        else:
            print(f"\n== {split} not found: skipped")
    eval_consults()
    dialogues = [r["dialogue"] for s in splits if s.exists() for r in csv.DictReader(s.open(encoding="utf-8"))]
    if dialogues:
        latency_curve(dialogues, args.quick)
    try:
        draft_note("Dr: um\nOwner: uh")
        print("\nempty-transcript check: FAILED (a note was drafted from silence)")
    except EmptyTranscriptError:
        print("\nempty-transcript check: silence produces no note (EmptyTranscriptError)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
