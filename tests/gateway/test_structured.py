"""Structured outputs: validated replies, one repair round, and None (logged) instead of an error."""

from __future__ import annotations

import json

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from structlog.testing import capture_logs

from jurisgraph.engine.llm import ChatMessage, ChatRequest, Purpose
from jurisgraph.models.ops import LlmCacheEntry
from tests.fakes.protocol_server import ChatTurn
from tests.fixtures.gateway import gateway, ledger_rows
from tests.fixtures.llm import Served, espelhos


class Ficha(BaseModel):
    classe: str
    relator: str
    orgao: str


def _request(record: dict[str, str]) -> ChatRequest:
    return ChatRequest(
        purpose=Purpose.EXTRACTION,
        messages=[
            ChatMessage("user", f"Extraia classe, relator e órgão julgador:\n{record['ementa'][:400]}")
        ],
        prompt_version="ficha-v1",
    )


def _good(record: dict[str, str]) -> str:
    value = {
        "classe": record["siglaClasse"],
        "relator": record["ministroRelator"],
        "orgao": record["nomeOrgaoJulgador"],
    }
    return json.dumps(value, ensure_ascii=False)


def _cached_rows(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(LlmCacheEntry)) or 0)


def test_a_valid_reply_becomes_the_model(provider: Served, sessions: sessionmaker[Session]) -> None:
    record = espelhos()[0]
    provider.answer(ChatTurn("```json\n" + _good(record) + "\n```", 90, 30))
    gw = gateway(provider, sessions)

    ficha = gw.complete_json(_request(record), Ficha)

    assert ficha == Ficha(
        classe=record["siglaClasse"], relator=record["ministroRelator"], orgao=record["nomeOrgaoJulgador"]
    )
    body = provider.requests()[0].body
    if provider.name == "openai":
        assert body["response_format"]["json_schema"]["schema"] == Ficha.model_json_schema()
    else:
        assert body["generationConfig"]["responseJsonSchema"] == Ficha.model_json_schema()


def test_a_malformed_reply_is_repaired_once(provider: Served, sessions: sessionmaker[Session]) -> None:
    record = espelhos()[1]
    truncated = _good(record)[:25]
    provider.answer(ChatTurn(truncated, 90, 8), ChatTurn(_good(record), 140, 30))
    gw = gateway(provider, sessions)

    ficha = gw.complete_json(_request(record), Ficha)

    assert ficha is not None and ficha.relator == record["ministroRelator"]
    first, repair = provider.requests()
    conversation = provider.messages(repair)
    assert conversation[: len(provider.messages(first))] == provider.messages(first)
    assert conversation[-2] == ("assistant", truncated)
    assert conversation[-1][0] == "user" and "JSON" in conversation[-1][1]
    rows = ledger_rows(sessions)
    assert [(r.status, r.prompt_version) for r in rows] == [("ok", "ficha-v1"), ("ok", "ficha-v1+repair")]


def test_a_reply_still_invalid_after_the_repair_yields_none(
    provider: Served, sessions: sessionmaker[Session]
) -> None:
    record = espelhos()[2]
    missing_relator = json.dumps({"classe": record["siglaClasse"], "orgao": record["nomeOrgaoJulgador"]})
    provider.answer(ChatTurn("Não encontrei os dados.", 80, 6), ChatTurn(missing_relator, 120, 20))
    gw = gateway(provider, sessions)

    with capture_logs() as logs:
        ficha = gw.complete_json(_request(record), Ficha)

    assert ficha is None
    assert len(provider.requests()) == 2
    assert provider.messages(provider.requests()[1])[-2] == ("assistant", "Não encontrei os dados.")
    skipped = [e for e in logs if e["event"] == "llm.json_skipped"]
    assert len(skipped) == 1
    assert "relator" in skipped[0]["reason"]
    assert skipped[0]["prompt_version"] == "ficha-v1"
    assert _cached_rows(sessions) == 0, "invalid replies are not kept in the cache"

    provider.answer(ChatTurn(_good(record), 90, 30))
    assert gw.complete_json(_request(record), Ficha) is not None, "a later run asks again"
    assert len(provider.requests()) == 3


def test_prose_around_the_json_needs_no_repair(openai: Served, sessions: sessionmaker[Session]) -> None:
    record = espelhos()[3]
    openai.answer(ChatTurn(f"Segue a ficha pedida: {_good(record)} Espero ter ajudado.", 70, 25))
    ficha = gateway(openai, sessions).complete_json(_request(record), Ficha)
    assert ficha is not None and ficha.orgao == record["nomeOrgaoJulgador"]
    assert len(openai.requests()) == 1
