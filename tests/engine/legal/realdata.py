"""Loaders for the real STJ samples in the shared data folder (read-only)."""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "stj"


def read_json(relative: str) -> Any:
    """A JSON file of the shared data."""
    return json.loads((DATA / relative).read_text(encoding="utf-8"))


def read_csv(relative: str, *, encoding: str = "utf-8-sig", delimiter: str = ",") -> list[dict[str, str]]:
    """A CSV file of the shared data as dictionaries."""
    with (DATA / relative).open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


@cache
def wikijuridica() -> list[dict[str, Any]]:
    """The 6 real Primeira Turma espelhos (re-keyed schema)."""
    lines = (DATA / "espelhos" / "wikijuridica_stj_espelhos_sample_6.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def wikijuridica_by_id(record_id: str) -> dict[str, Any]:
    """One wikijuridica espelho by its STJ id."""
    return next(r for r in wikijuridica() if r["id_fonte"] == record_id)


@cache
def leg_examples() -> dict[str, list[str]]:
    """The 12 real referenciasLegislativas strings and 11 acordaosSimilares strings."""
    data = read_json("espelhos/exemplos_reais_referenciasLegislativas_acordaosSimilares.json")
    return {"leg": data["referenciasLegislativas_exemplos"], "similares": data["acordaosSimilares_exemplos"]}


@cache
def raw_1989() -> dict[str, Any]:
    """The one byte-exact raw espelho (MS 15, 1989)."""
    records: list[dict[str, Any]] = read_json("espelhos/espelho_raw_000389583_primeira-secao_MS15_1989.json")
    return records[0]


@cache
def scon() -> list[dict[str, str]]:
    """118 acórdãos scraped from SCON."""
    return read_csv("scon/scon_acordaos_118.csv")


@cache
def temas() -> list[dict[str, str]]:
    """temas.csv rows (ISO-8859-1, ``;``)."""
    return read_csv("precedentes/temas.csv", encoding="latin-1", delimiter=";")


@cache
def processos() -> list[dict[str, str]]:
    """processos.csv rows (ISO-8859-1, ``;``)."""
    return read_csv("precedentes/processos.csv", encoding="latin-1", delimiter=";")


@cache
def integras(name: str = "metadados20230104.json") -> list[dict[str, Any]]:
    """One daily íntegras metadata file."""
    records: list[dict[str, Any]] = read_json(f"integras/{name}")
    return records
