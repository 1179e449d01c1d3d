"""Small legal briefs made in memory for the upload benchmarks: a PDF of N pages (reportlab)
or plain text, each ``variant`` a different file (its own content hash)."""

from __future__ import annotations

import io

LINES = (
    "A parte recorrente interpõe recurso especial contra o acórdão do Tribunal de origem,",
    "Conforme o REsp 1.679.185/RS, a renúncia ao direito em que se funda a ação",
    "impõe a conversão em renda dos depósitos judiciais em favor do credor (art. 85 do CPC).",
    "Não incide a Súmula 7/STJ, pois a questão é exclusivamente de direito.",
)


def pdf(pages: int, variant: int | str) -> bytes:
    """A PDF of ``pages`` pages of :data:`LINES`, numbered by ``variant``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    doc = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    for page in range(pages):
        text = doc.beginText(56, 780)
        text.setFont("Helvetica", 11)
        text.textLine(f"PEÇA {variant} — PÁGINA {page + 1}")
        for n in range(12):
            for line in LINES:
                text.textLine(f"{line} ({variant}.{page}.{n})")
        doc.drawText(text)
        doc.showPage()
    doc.save()
    return buffer.getvalue()


def text(paragraphs: int, variant: int | str) -> bytes:
    """UTF-8 text of ``paragraphs`` paragraphs of :data:`LINES`, numbered by ``variant``."""
    body = [f"PEÇA {variant}"]
    body += [" ".join(f"{line} ({variant}.{n})" for line in LINES) for n in range(paragraphs)]
    return "\n\n".join(body).encode("utf-8")
