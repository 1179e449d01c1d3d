"""Speed of the pure engine on the bundled real sample: parsing espelhos, chunking, extraction.

Prints, each the best of ``--rounds`` timed rounds (the machine is shared; the best round is the
one least disturbed):

- ``parse``: records/s of ``parse_espelhos`` over 6,000 espelhos (the sample's espelhos repeated
  with fresh ids), target ≥ 2,000/s;
- ``chunk``: seconds to chunk 1 MB of the sample's texts with the default sizes, target < 1 s;
- ``extract``: ms per espelho of ``extract_document`` (entities, relations, mentions) over every
  espelho of the sample, target < 4 ms.

Usage::

    PYTHONPATH=src .venv/bin/python bench/engine.py [--rounds 5] [--summary FILE]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import summary

from jurisgraph.engine.chunking import chunk_text
from jurisgraph.engine.extract.structured import extract_document
from jurisgraph.engine.stj import parse_espelhos

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "jurisgraph" / "sample"
RECORDS = 6000
MEGABYTE = 1_000_000


def best_of(rounds: int, run: Callable[[], object]) -> float:
    """The shortest of ``rounds`` timings of ``run()``, in seconds."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    summary.add_option(parser)
    args = parser.parse_args()

    records = []
    for path in sorted(SAMPLE.glob("espelhos-*/*.json")):
        records.extend(json.loads(path.read_text("utf-8")))
    many = [{**records[i % len(records)], "id": f"{i:09d}"} for i in range(RECORDS)]
    data = json.dumps(many, ensure_ascii=False).encode()
    parse_s = best_of(args.rounds, lambda: parse_espelhos(data, source_name="many.json"))
    parsed = parse_espelhos(data, source_name="many.json").documents
    assert len(parsed) == RECORDS

    corpus = "\n\n".join(doc.text for doc in parsed[: len(records)])
    text = (corpus * (MEGABYTE // len(corpus) + 1))[:MEGABYTE]
    chunk_s = best_of(args.rounds, lambda: chunk_text("doc", text))

    docs = parsed[:700]  # the sample's espelhos, repeated
    extract_s = best_of(args.rounds, lambda: [extract_document(doc) for doc in docs]) / len(docs)

    figures = {
        "parse_records_per_s": RECORDS / parse_s,
        "chunk_1mb_s": chunk_s,
        "extract_ms_per_espelho": extract_s * 1000,
    }
    print(f"parse   {figures['parse_records_per_s']:>9,.0f} espelhos/s   (target ≥ 2,000)")
    print(f"chunk   {figures['chunk_1mb_s']:>9.3f} s per MB      (target < 1)")
    print(
        f"extract {figures['extract_ms_per_espelho']:>9.2f} ms per espelho (target < 4; {len(docs)} espelhos)"
    )
    summary.write(args.summary, figures)


if __name__ == "__main__":
    main()
