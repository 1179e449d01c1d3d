"""Only http(s) URLs and paths of this site become link targets."""

from __future__ import annotations

import pytest

from jurisgraph.kit.urls import safe_href


@pytest.mark.parametrize(
    "url",
    [
        "https://processo.stj.jus.br/processo/pesquisa/?num_registro=201902345678",
        "http://dadosabertos.web.stj.jus.br/dataset/x",
        "HTTPS://EXAMPLE.ORG/a",
        "/comunidades?id=c1",
        "/grafo?entidade=tema%3A1076",
    ],
)
def test_links(url: str) -> None:
    assert safe_href(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "file:///etc/passwd",
        "//evil.example/x",
        "/\\evil.example",
        "https:///nohost",
        "http://[::1",
        "mailto:a@b.c",
        "",
        None,
        42,
        "https://x.org/" + "a" * 5000,
    ],
)
def test_not_links(url: object) -> None:
    assert safe_href(url) is None
