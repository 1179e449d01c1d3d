"""Benchmark of document text extraction and of the local object store.

Builds documents in memory (reportlab PDFs of 3 and 100 pages of Portuguese legal text, a DOCX of
300 paragraphs and a table, 1 MB of Latin-1 text, 500 kB of HTML, a 64 MB zip bomb), times
:func:`jurisgraph.engine.documents.extract` on each (median of N runs) and prints milliseconds,
pages or MB per second. Then times put/get of 1 MB and 16 MB objects in a local store in a
temporary folder, and, with ``--s3-endpoint`` (plus ``--s3-bucket`` and the AWS_* keys in the
environment), in that S3 bucket.
Run: ``python bench/documents.py [--runs N] [--s3-endpoint URL --s3-bucket NAME]``.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import summary

from jurisgraph.engine.documents import DocumentRejected, ExtractLimits, extract
from jurisgraph.integrations.storage import LocalObjectStore, ObjectStore

LINES = (
    "A jurisprudência desta Corte, firmada no REsp 1.465.535/SP, reconhece a responsabilidade objetiva",
    "da instituição financeira por fraudes praticadas por terceiros, nos termos da Súmula 479/STJ.",
    "Os honorários de sucumbência devem observar o art. 85 do CPC, não incidindo a Súmula 7/STJ,",
    "pois a questão é exclusivamente de direito e dispensa o reexame de fatos e provas dos autos.",
)
LIMITS = ExtractLimits(max_bytes=200 * 1024 * 1024, max_pages=5000, max_docx_uncompressed=32 * 1024 * 1024)


def median_ms(call: Callable[[], object], runs: int) -> float:
    call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def pdf(pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    for number in range(pages):
        text = drawing.beginText(40, 800)
        text.setFont("Helvetica", 9)
        text.textLine(f"Página {number + 1}")
        for row in range(60):
            text.textLine(LINES[row % len(LINES)])
        drawing.drawText(text)
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def docx_file() -> bytes:
    import docx

    document = docx.Document()
    for row in range(300):
        document.add_paragraph(LINES[row % len(LINES)])
    table = document.add_table(rows=50, cols=3)
    for r in range(50):
        for c in range(3):
            table.cell(r, c).text = f"REsp {r}.{c}00/SP"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def bomb(megabytes: int) -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        block = b" " * (1024 * 1024)
        for _ in range(megabytes):
            member.write(block)
    return buffer.getvalue()


def refused(data: bytes) -> None:
    try:
        extract(data, LIMITS)
    except DocumentRejected:
        return
    raise AssertionError("the zip bomb was not refused")


def bench_extraction(runs: int) -> dict[str, float]:
    text = ("\n".join(LINES) + "\n").encode("latin-1") * (1024 * 1024 // 380)
    html = (
        "<!doctype html><html><head><script>var x = 1;</script></head><body><nav>menu</nav>"
        + "".join(f"<p>{line} <b>negrito</b></p>" for line in LINES * 1400)
        + "</body></html>"
    ).encode()
    cases: list[tuple[str, bytes, Callable[[], object], str]] = []
    figures: dict[str, float] = {}
    for pages in (3, 100):
        data = pdf(pages)
        cases.append((f"PDF {pages} pages", data, lambda d=data: extract(d, LIMITS), f"{pages} pages"))
    word = docx_file()
    cases.append(("DOCX 300 paragraphs + table", word, lambda: extract(word, LIMITS), ""))
    cases.append(("TXT Latin-1", text, lambda: extract(text, LIMITS), ""))
    cases.append(("HTML", html, lambda: extract(html, LIMITS), ""))
    bombed = bomb(64)
    cases.append(("zip bomb (64 MB inflated) refused", bombed, lambda: refused(bombed), ""))
    print(f"{'extraction':40} {'bytes':>10} {'median ms':>10} {'rate':>16}")
    for name, data, call, unit in cases:
        ms = median_ms(call, runs)
        if unit:
            rate = f"{int(unit.split()[0]) / (ms / 1000):.0f} pages/s"
        else:
            rate = f"{len(data) / 1024 / 1024 / (ms / 1000):.1f} MB/s"
        print(f"{name:40} {len(data):>10} {ms:>10.1f} {rate:>16}")
        key = "_".join(name.lower().split()[:2]).replace("-", "")
        figures[f"{key}_ms"] = ms
        if unit:
            figures[f"{key}_pages_per_s"] = int(unit.split()[0]) / (ms / 1000)
    return figures


def bench_store(store: ObjectStore, label: str, runs: int) -> dict[str, float]:
    print(f"{'store ' + label:40} {'bytes':>10} {'put ms':>10} {'get ms':>10}")
    figures: dict[str, float] = {}
    for size in (1024 * 1024, 16 * 1024 * 1024):
        put_ms, get_ms = _put_get(store, size, runs)
        print(f"{'':40} {size:>10} {put_ms:>10.1f} {get_ms:>10.1f}")
        mb = size // (1024 * 1024)
        figures |= {f"{label}_put_{mb}mb_ms": put_ms, f"{label}_get_{mb}mb_ms": get_ms}
    return figures


def _put_get(store: ObjectStore, size: int, runs: int) -> tuple[float, float]:
    """Median put and get milliseconds of new random objects of ``size`` bytes (deleted after)."""
    payloads = [os.urandom(size) for _ in range(runs + 1)]
    keys: list[str] = []

    def put() -> None:
        keys.append(store.put(payloads[len(keys)]).key)

    put_ms = median_ms(put, runs)
    get_ms = median_ms(lambda: store.get(keys[0]), runs)
    for key in keys:
        store.delete(key)
    return put_ms, get_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--s3-endpoint", default="")
    parser.add_argument("--s3-bucket", default="")
    summary.add_option(parser)
    args = parser.parse_args()
    figures = bench_extraction(args.runs)
    with tempfile.TemporaryDirectory(prefix="jurisgraph-bench-store-") as folder:
        figures |= bench_store(LocalObjectStore(Path(folder)), "local", args.runs)
    if args.s3_endpoint:
        from jurisgraph.integrations.storage.s3 import S3ObjectStore

        s3 = S3ObjectStore(
            args.s3_bucket,
            endpoint_url=args.s3_endpoint,
            access_key_id=os.environ.get("AWS_ACCESS_KEY_ID"),
            secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY"),
        )
        s3.check_bucket()
        figures |= bench_store(s3, "s3", args.runs)
        s3.close()
    summary.write(args.summary, figures)


if __name__ == "__main__":
    main()
