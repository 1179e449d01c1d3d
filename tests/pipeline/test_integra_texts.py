"""The day's ZIP of full texts is read together with the íntegras metadata of the same day."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from sqlalchemy import select

from jurisgraph.datasets import service
from jurisgraph.models import Document, Mention
from jurisgraph.pipeline.stages.selection import ResourceFilter
from tests.fixtures.homes import container_at
from tests.fixtures.mirrors import INTEGRAS, SAMPLE, write_mirror

METADATA = "metadados20230104.json"


def test_full_texts_from_the_zip_of_the_same_day(tmp_path: Path) -> None:
    metadata = (SAMPLE / INTEGRAS / METADATA).read_bytes()
    records = json.loads(metadata)
    seq = [str(r.get("seqDocumento") or r.get("SeqDocumento")) for r in records[:2]]
    texts = {
        seq[0]: "ACÓRDÃO. Vistos e relatados estes autos, a Turma, por unanimidade, negou provimento, "
        "nos termos do art. 85, § 2º, do CPC/2015 e da Súmula 7/STJ.",
        seq[1]: "DECISÃO. Não conheço do recurso (Súmula 182/STJ).".encode().decode("utf-8"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{seq[0]}.txt", texts[seq[0]].encode("utf-8"))
        archive.writestr(f"{seq[1]}.txt", texts[seq[1]].encode("cp1252"))  # older files are not UTF-8
    mirror = write_mirror(
        tmp_path / "mirror",
        {INTEGRAS: {METADATA: metadata, "20230104.zip": buffer.getvalue()}},
        catalog=False,
    )
    with container_at(tmp_path / "home") as container:
        service.ingest(container, str(mirror), ResourceFilter(dataset=INTEGRAS), dense=False)
        with container.sessions() as session:
            docs = {d.key: d for d in session.scalars(select(Document).where(Document.kind == "integra"))}
            cited = set(
                session.scalars(
                    select(Mention.target_id).where(Mention.document_id == docs[f"integra:{seq[0]}"].id)
                )
            )
    assert len(docs) == len({str(r.get("seqDocumento")) for r in records})
    assert docs[f"integra:{seq[0]}"].text_content.strip().endswith("Súmula 7/STJ.")
    assert "Súmula 182/STJ" in docs[f"integra:{seq[1]}"].text_content
    # the full text feeds the graph: what only the text cites is now a mention of that record
    assert {"sumula:stj_7", "lei:13105_2015:art_85"} <= cited
