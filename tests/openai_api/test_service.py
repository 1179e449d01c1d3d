"""The chat protocol's pieces: models per query mode, the question of a conversation, references."""

from __future__ import annotations

import pytest

from jurisgraph.engine.query import Mode
from jurisgraph.errors import InvalidInput, NotFound
from jurisgraph.openai_api import service


def test_one_model_per_query_mode() -> None:
    ids = [m["id"] for m in service.models()["data"]]
    assert sorted(ids) == sorted(f"jurisgraph-{mode}" for mode in Mode)
    assert all(service.mode_of(i) in {str(mode) for mode in Mode} for i in ids)
    with pytest.raises(NotFound) as raised:
        service.mode_of("jurisgraph-turbo")
    assert raised.value.code == "model_not_found"


def test_the_question_is_the_last_user_message_made_self_contained() -> None:
    conv = service.conversation(
        [
            ("system", "Você é um assistente jurídico. Tema 999."),
            ("user", "Qual a tese do Tema 1.076?"),
            ("assistant", "Tese … [1]\n\nReferências:\n[1] REsp 1.850.512/SP"),
            ("user", "  e qual foi o relator?  "),
        ]
    )
    assert conv.asked == "e qual foi o relator?"
    assert conv.question == "e qual foi o relator (Tema 1.076)?"
    for messages in ([], [("user", "oi"), ("assistant", "olá")], [("user", "   ")]):
        with pytest.raises(InvalidInput):
            service.conversation(messages)
    with pytest.raises(InvalidInput):
        service.conversation([("user", "x" * 2001)])


def test_text_of_content_parts() -> None:
    parts = [
        {"type": "text", "text": "Tema"},
        {"type": "image_url", "image_url": {}},
        {"type": "text", "text": "1"},
    ]
    assert service.text_of(parts) == "Tema\n1"
    assert service.text_of("Tema 1") == "Tema 1" and service.text_of(None) == ""


def test_references_number_the_cited_sources_with_their_links() -> None:
    cited = [
        {
            "n": 1,
            "title": "Tema 621/STJ — SEGUNDA SEÇÃO",
            "processo": "REsp 1251331",
            "orgao_julgador": "SEGUNDA SEÇÃO",
            "relator": "MARIA ISABEL GALLOTTI",
            "date": "2013-08-28",
            "stj_link": "https://scon.stj.jus.br/x",
            "source_url": "precedentes-qualificados/temas.csv",
            "document_key": "tema:621",
        },
        {"n": 3, "title": "Parecer", "document_key": "upload:p", "source_url": "https://example.org/p.pdf"},
        {"n": 4, "title": "Sem link", "document_key": "upload:q", "source_url": "uploads/q.txt"},
    ]
    text = service.references(cited)
    assert text.startswith("\n\nReferências:\n")
    lines = text.strip().split("\n")[1:]
    assert lines[0] == (
        "[1] Tema 621/STJ — SEGUNDA SEÇÃO — REsp 1251331 · SEGUNDA SEÇÃO · MARIA ISABEL GALLOTTI · 2013-08-28"
        " — https://scon.stj.jus.br/x"
    )
    assert lines[1] == "[3] Parecer — https://example.org/p.pdf"
    assert lines[2] == "[4] Sem link"
    assert [service.citation_dict(c)["url"] for c in cited] == [
        "https://scon.stj.jus.br/x",
        "https://example.org/p.pdf",
        None,
    ]
    assert service.references([]) == ""
