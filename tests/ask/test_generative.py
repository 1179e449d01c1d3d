"""Generated answers through the chat port (a scripted fake): the cited answer, LLM calls per
mode, the budget fallback labelled extractive, streaming, and what the audit row records."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from jurisgraph.ask import service
from jurisgraph.ask.service import AskOptions, AskResult
from jurisgraph.db import session_scope
from jurisgraph.engine.query import NOTE_BUDGET, NOTE_FAILED
from jurisgraph.errors import BudgetExhausted, RetryableUpstreamError
from jurisgraph.prompts import answer as answer_prompt
from jurisgraph.prompts import global_map, global_reduce
from tests.fakes.chat import FakeChat
from tests.fixtures.sample import Sample, flat, sample_tema

TEMA = "Qual a tese do Tema 1.076?"
BROAD = "Panorama da jurisprudência sobre tráfico de drogas"
PLAIN = "honorários por equidade quando o proveito econômico é elevado"


def ask(sample: Sample, question: str, chat: FakeChat, **options: object) -> AskResult:
    container = sample.container
    with session_scope(container.sessions) as session:
        return service.ask(
            session,
            container.retrieval(),
            container.name_indexes,
            question,
            [sample.workspace],
            AskOptions(**options),  # type: ignore[arg-type]
            chat=chat,
        )


def stream(sample: Sample, question: str, chat: FakeChat) -> list[tuple[str, dict[str, Any]]]:
    container = sample.container
    with session_scope(container.sessions) as session:
        return list(
            service.stream(
                session,
                container.retrieval(),
                container.name_indexes,
                question,
                [sample.workspace],
                chat=chat,
            )
        )


def steps(result: AskResult) -> dict[str, dict[str, object]]:
    return {step["step"]: step for step in result.reasoning_chain}


def test_no_llm_is_configured_by_default(sample: Sample) -> None:
    assert service.configured_chat(sample.container.configured_gateway()) is None


def test_generated_answer_from_the_numbered_context(sample: Sample) -> None:
    chat = FakeChat()
    result = ask(sample, TEMA, chat)
    assert result.answer_kind == "generative" and "LLM" in (result.note or "")
    assert result.llm_calls == 1 == len(chat.requests)
    request = chat.requests[0]
    assert (
        request.prompt_version == answer_prompt.VERSION
        and request.messages[0].content == answer_prompt.SYSTEM
    )
    prompt = request.messages[1].content
    assert "[1] Tema 1076/STJ — CORTE ESPECIAL" in prompt
    assert flat(sample_tema(1076)["teseFirmada"])[:200] in flat(prompt)
    assert result.sources[0].source.document_key == "tema:1076"
    assert result.grounding.ok and result.grounding.cited == (1,)
    (row,) = sample.rows(
        "select answer_kind, model, prompt_versions, tokens_in, tokens_out, cost_usd "
        "from rag_queries where id = :i",
        i=result.query_id,
    )
    assert row[0] == "generative" and row[1] == "fake-answer"
    assert json.loads(row[2]) == {"answer": answer_prompt.VERSION}
    assert row[3] > 0 and row[4] > 0 and row[5] == pytest.approx(0.001)


def test_a_citation_outside_the_context_is_flagged(sample: Sample) -> None:
    result = ask(sample, TEMA, FakeChat(bogus=True))
    assert result.grounding.unknown == (99,) and not result.grounding.ok
    assert steps(result)["grounding"]["unknown"] == [99]


@pytest.mark.parametrize(
    ("mode", "question", "calls", "purposes"),
    [
        ("naive", PLAIN, 1, ["answer"]),
        ("local", TEMA, 1, ["answer"]),
        ("hybrid", TEMA, 1, ["answer"]),
        ("auto", TEMA, 1, ["answer"]),
        ("auto", PLAIN, 2, ["classify", "answer"]),
    ],
)
def test_llm_calls_per_mode(
    sample: Sample, mode: str, question: str, calls: int, purposes: list[str]
) -> None:
    chat = FakeChat(classify_as="global")
    result = ask(sample, question, chat, mode=mode)
    assert chat.purposes() == purposes
    assert result.llm_calls == calls == steps(result)["answer"]["llm_calls"]
    assert steps(result)["mode"]["llm_calls"] == purposes.count("classify")
    if purposes[0] == "classify":
        assert result.mode == "global"


@pytest.mark.parametrize(("reports", "batch"), [(8, 4), (5, 2), (3, 5)])
def test_global_map_reduce_calls(sample: Sample, reports: int, batch: int) -> None:
    chat = FakeChat()
    result = ask(sample, BROAD, chat, mode="global", reports=reports, batch_size=batch)
    numbered = [c for c in result.sources if c.source.kind == "comunidade"]
    assert 0 < len(numbered) <= reports
    expected = math.ceil(len(numbered) / batch)
    assert chat.purposes() == ["map"] * expected + ["answer"]
    assert result.llm_calls == 1 + expected <= 1 + math.ceil(reports / batch)
    assert steps(result)["answer"]["map_calls"] == expected
    assert [r.prompt_version for r in chat.requests] == [global_map.VERSION] * expected + [
        global_reduce.VERSION
    ]
    reduce_prompt = chat.requests[-1].messages[1].content
    assert all(f"Ponto do relatório {c.n}." in reduce_prompt for c in numbered)


@pytest.mark.parametrize(
    ("error", "note", "code"),
    [
        (BudgetExhausted("daily", 1.0, 1.01), NOTE_BUDGET, "budget_exhausted"),
        (RetryableUpstreamError("provider down"), NOTE_FAILED, "upstream_retryable"),
    ],
)
def test_llm_failure_falls_back_to_the_labelled_extractive_answer(
    sample: Sample, error: Exception, note: str, code: str
) -> None:
    result = ask(sample, TEMA, FakeChat(fail=error))
    assert result.answer_kind == "extractive" and result.note == note
    assert "Tema 1.076/STJ" in result.answer and result.grounding.ok
    assert steps(result)["answer"]["fallback"] == code
    (kind,) = sample.rows("select answer_kind from rag_queries where id = :i", i=result.query_id)[0]
    assert kind == "extractive"


def test_classifier_failure_keeps_the_rules_choice(sample: Sample) -> None:
    result = ask(sample, PLAIN, FakeChat(fail=BudgetExhausted("daily", 1.0, 1.01)))
    assert result.mode == "naive" and result.answer_kind == "extractive" and result.note == NOTE_BUDGET


def test_stream_with_llm_sends_deltas_then_the_result(sample: Sample) -> None:
    chat = FakeChat()
    events = stream(sample, TEMA, chat)
    names = [name for name, _ in events]
    assert names[:2] == ["meta", "sources"] and names[-1] == "done" and "delta" in names
    done = events[-1][1]
    text = "".join(data["text"] for name, data in events if name == "delta")
    assert text.strip() == done["answer"] and done["answer_kind"] == "generative"
    assert done["llm_calls"] == 1 and done["citations"][0]["document_key"] == "tema:1076"
    assert events[1][1]["sources"][0]["document_key"] == "tema:1076"


def test_stream_budget_fallback_is_announced(sample: Sample) -> None:
    chat = FakeChat(fail=BudgetExhausted("monthly", 5.0, 5.0))
    events = stream(sample, TEMA, chat)
    names = [name for name, _ in events]
    assert "fallback" in names and names[-1] == "done"
    assert events[names.index("fallback")][1]["note"] == NOTE_BUDGET
    done = events[-1][1]
    assert done["answer_kind"] == "extractive" and done["note"] == NOTE_BUDGET and done["citations"]
