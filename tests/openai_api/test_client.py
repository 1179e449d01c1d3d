"""The official ``openai`` client, over real HTTP, against a server on the sample: cited answers
with and without streaming, a follow-up turn, the models, and 401 for wrong or revoked keys."""

from __future__ import annotations

from typing import Any

import openai
import pytest
from openai import OpenAI

from jurisgraph.auth import service as auth
from jurisgraph.db import session_scope
from jurisgraph.engine.query import Mode
from tests.fixtures.live import Live, api_key
from tests.fixtures.sample import Sample
from tests.mcp_server.checks import facts

STJ = "https://scon.stj.jus.br/"


def client(live: Live, key: str | None = None) -> OpenAI:
    return OpenAI(base_url=f"{live.url}/v1", api_key=key or live.key, max_retries=0, timeout=120)


def extra(model: Any) -> dict[str, Any]:
    """The fields beyond the protocol's of a response object."""
    extras: dict[str, Any] = model.model_extra or {}
    return extras


def test_models_are_the_query_modes(sample_live: Live) -> None:
    listed = client(sample_live).models.list()
    assert {m.id for m in listed} == {f"jurisgraph-{mode}" for mode in Mode}
    assert client(sample_live).models.retrieve("jurisgraph-local").owned_by == "jurisgraph"
    with pytest.raises(openai.NotFoundError) as raised:
        client(sample_live).models.retrieve("gpt-4o")
    assert raised.value.code == "model_not_found"


def test_a_cited_answer_without_streaming(sample_live: Live, sample: Sample) -> None:
    f = facts(sample)
    reply = client(sample_live).chat.completions.create(
        model="jurisgraph-auto", messages=[{"role": "user", "content": f"Qual a tese do Tema {f.tema}?"}]
    )
    choice = reply.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    content = choice.message.content or ""
    answer, _, refs = content.partition("\n\nReferências:\n")
    assert "[1]" in answer and refs.startswith("[1] ")
    citations = extra(reply)["citations"]
    assert f"tema:{f.tema}" in {c["document_key"] for c in citations}
    for citation in citations:
        assert f"[{citation['n']}]" in answer
        assert citation["url"] and citation["url"].startswith(STJ) and citation["url"] in refs
    stored = sample.rows(
        "SELECT query FROM rag_queries WHERE id = :id", id=extra(reply)["jurisgraph"]["query_id"]
    )
    assert stored == [(f"Qual a tese do Tema {f.tema}?",)]


def test_a_cited_answer_streamed(sample_live: Live, sample: Sample) -> None:
    f = facts(sample)
    question = f"Qual a tese do Tema {f.tema}?"
    chunks = list(
        client(sample_live).chat.completions.create(
            model="jurisgraph-local", messages=[{"role": "user", "content": question}], stream=True
        )
    )
    assert all(c.object == "chat.completion.chunk" and c.id == chunks[0].id for c in chunks)
    deltas = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(deltas) >= 2
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert all(c.choices[0].finish_reason is None for c in chunks[:-1])
    content = "".join(deltas)
    assert "[1]" in content and "\n\nReferências:\n[1] " in content
    assert f"tema:{f.tema}" in {c["document_key"] for c in extra(last)["citations"]}
    # the same answer as without streaming
    whole = client(sample_live).chat.completions.create(
        model="jurisgraph-local", messages=[{"role": "user", "content": question}]
    )
    assert whole.choices[0].message.content == content


def test_a_follow_up_resolves_against_the_previous_answer(sample_live: Live, sample: Sample) -> None:
    f = facts(sample)
    llm = client(sample_live)
    first = [{"role": "user", "content": f"Qual a tese do Tema {f.tema}?"}]
    answer = llm.chat.completions.create(model="jurisgraph-auto", messages=first)  # type: ignore[arg-type]
    turns = [
        *first,
        {"role": "assistant", "content": answer.choices[0].message.content},
        {"role": "user", "content": "e qual foi o relator?"},
    ]
    follow = llm.chat.completions.create(model="jurisgraph-auto", messages=turns)  # type: ignore[arg-type]
    asked = extra(follow)["jurisgraph"]["question"]
    assert asked.startswith("e qual foi o relator") and f"Tema {f.tema}" in asked
    assert f.relator_name.removeprefix("Min. ") in (follow.choices[0].message.content or "")
    assert f"tema:{f.tema}" in {c["document_key"] for c in extra(follow)["citations"]}
    # alone, the same words name nothing to resolve
    alone = llm.chat.completions.create(model="jurisgraph-auto", messages=turns[-1:])  # type: ignore[arg-type]
    assert extra(alone)["jurisgraph"]["question"] == "e qual foi o relator?"


def test_wrong_and_revoked_keys_get_401(sample_live: Live) -> None:
    _, key_id, key = api_key(sample_live.container, "revoked-openai@tests.example")
    assert client(sample_live, key).models.list().data
    with session_scope(sample_live.container.sessions) as session:
        auth.revoke_key(session, key_id, owner_id=None)
    for wrong in (key, "jg_not_a_real_key_0000000000", "not-a-token"):
        with pytest.raises(openai.AuthenticationError) as raised:
            client(sample_live, wrong).chat.completions.create(
                model="jurisgraph-auto", messages=[{"role": "user", "content": "Tema 1"}]
            )
        assert raised.value.status_code == 401
        body = raised.value.body
        assert isinstance(body, dict) and body["type"] == "authentication_error"
