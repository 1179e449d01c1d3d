"""Rebuild the broken-file fixtures of this folder from the real files of the bundled sample.

Usage: python tests/data/stj/make_fixtures.py  (deterministic; see README.md here)
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parents[2] / "src" / "jurisgraph" / "sample"
ESPELHOS = SAMPLE / "espelhos-de-acordaos-primeira-turma" / "20220531.json"
INTEGRAS = (
    SAMPLE / "integras-de-decisoes-terminativas-e-acordaos-do-diario-da-justica" / "metadados20230104.json"
)
PRECEDENTES = SAMPLE / "precedentes-qualificados"
TEMAS_KEPT = ("1076", "1172", "1220", "1000", "950")
BROKEN_LINE_TEMA = "1172"


def raw_rows(data: bytes) -> list[bytes]:
    """Whole CSV records (CRLF-terminated, quotes balanced), bytes untouched."""
    rows: list[bytes] = []
    pending = b""
    for piece in data.split(b"\r\n"):
        pending = pending + b"\r\n" + piece if pending else piece
        if pending.count(b'"') % 2 == 0:
            rows.append(pending)
            pending = b""
    return [row for row in rows if row]


def cells(row: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(row.decode("iso-8859-1"), newline=""), delimiter=";"))


def espelhos() -> None:
    data = ESPELHOS.read_bytes()
    starts = [i for i in range(len(data)) if data.startswith(b'{\n  "id" : ', i)]
    (HERE / "espelhos_empty_month_extra_brace.json").write_bytes(
        b'[ {"id":"", "nomeOrgaoJulgador":"CORTE ESPECIAL"} } ]'
    )
    second_end = starts[2] - len(b", ")
    (HERE / "espelhos_extra_brace_20220531.json").write_bytes(data[:second_end] + b" }" + data[second_end:])
    (HERE / "espelhos_truncated_20220531.json").write_bytes(data[: starts[2] + 600])


def temas() -> None:
    rows = raw_rows((PRECEDENTES / "temas.csv").read_bytes())
    kept = [rows[0]] + [row for row in rows[1:] if cells(row)[1] == "Tema" and cells(row)[2] in TEMAS_KEPT]
    seqs = {cells(row)[0] for row in kept[1:]}
    latin = b"\r\n".join(kept) + b"\r\n"
    (HERE / "temas_subset_latin1.csv").write_bytes(latin)
    (HERE / "temas_subset_utf8.csv").write_bytes(latin.decode("iso-8859-1").encode("utf-8"))
    mixed = [row.decode("iso-8859-1").encode("utf-8") if i % 2 else row for i, row in enumerate(kept)]
    (HERE / "temas_subset_mixed.csv").write_bytes(b"\r\n".join(mixed) + b"\r\n")
    broken = [
        row.replace("ç".encode("iso-8859-1"), b"\x81", 1) if cells(row)[2] == BROKEN_LINE_TEMA else row
        for row in kept
    ]
    (HERE / "temas_subset_invalid_bytes.csv").write_bytes(b"\r\n".join(broken) + b"\r\n")
    processos = raw_rows((PRECEDENTES / "processos.csv").read_bytes())
    joined = [processos[0]] + [row for row in processos[1:] if cells(row)[0] in seqs]
    (HERE / "processos_subset_latin1.csv").write_bytes(b"\r\n".join(joined) + b"\r\n")


def integras_2021_layout() -> None:
    records = json.loads(INTEGRAS.read_text("utf-8"))[:3]
    renamed = []
    for record in records:
        out = {}
        for name, value in record.items():
            if name == "seqDocumento":
                out["SeqDocumento"] = value
            elif name == "dataDistribuicao":
                out["dataDistribuição"] = "2014-07-07T00:00:00" if value == 1404702000000 else value
            elif name == "ministro":
                out["NM_MINISTRO"] = value
            elif name == "dataPublicacao":
                out[name] = "2023-01-04"
            else:
                out[name] = value
        renamed.append(out)
    (HERE / "metadados_2021_layout.json").write_text(
        json.dumps(renamed, ensure_ascii=False, indent=1), "utf-8"
    )


if __name__ == "__main__":
    espelhos()
    temas()
    integras_2021_layout()
