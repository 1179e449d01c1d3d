"""Sign-in, one's account and the admin page in Chromium at 1366×768 under the Content Security
Policy: a user signs in, asks, opens a citation, expands a graph node, sees their history and signs
out; an admin creates a user and API keys (the key works as a bearer); a non-admin gets no admin page;
a wrong password shows the error. Screenshots of the sign-in, account and admin pages are kept."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import expect

from tests.fixtures.accounts import ADMIN_EMAIL, PASSWORD, USER_EMAIL

pytestmark = pytest.mark.browser

QUESTION = "Qual a tese do Tema 1.076? (conta no navegador)"


def form_sign_in(page: Any, base_url: str, email: str, password: str = PASSWORD, next: str = "/") -> None:
    """Sign in through the /login page, as a person would."""
    page.goto(f"{base_url}/login?next={quote(next, safe='')}")
    page.fill("#login-form input[name=email]", email)
    page.fill("#login-form input[name=password]", password)
    page.click("#login-button")


def problems_but(page: Any, status: int, url: str) -> list[str]:
    """The page's problems but the one expected error reply (``status`` from ``url``), which shows
    as a response and as Chromium's console line about it."""
    expected = (
        f"http {status}: {url}",
        f"console.error: Failed to load resource: the server responded with a status of {status} ",
    )
    return [p for p in page.problems() if not p.startswith(expected)]


def clean(page: Any) -> None:
    """No JavaScript error, console error, failed request, 4xx/5xx or CSP violation; no sideways scroll."""
    page.wait_for_load_state("networkidle")
    assert page.problems() == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1366


def test_a_user_signs_in_asks_explores_sees_history_and_signs_out(
    sample_server: str, page_1366: Any, screenshots: Path
) -> None:
    page = page_1366
    page.goto(sample_server + "/consulta")
    page.click("#sign-in")
    expect(page).to_have_url(re.compile(r"/login\?next=(%2F|/)consulta$"))
    page.screenshot(path=str(screenshots / "login.png"))
    page.fill("#login-form input[name=email]", USER_EMAIL)
    page.fill("#login-form input[name=password]", PASSWORD)
    page.click("#login-button")
    expect(page).to_have_url(sample_server + "/consulta")
    expect(page.locator("#user-email")).to_have_text(USER_EMAIL)
    expect(page.locator("#user-role")).to_have_text("usuário")
    expect(page.locator("#nav-admin")).to_have_count(0)

    # ask, then open a citation and see the cited passage
    page.fill("#ask-form textarea[name=q]", QUESTION)
    page.click("#ask-button")
    answer = page.locator(".msg.assistant[data-query-id]").last
    expect(answer).to_have_attribute("data-query-id", re.compile(r"^\d+$"))
    query_id = answer.get_attribute("data-query-id")
    answer.locator(".answer button.cite-ref").first.click()
    expect(page.locator("#passage")).to_be_visible()
    expect(page.locator("#passage-text mark").first).to_be_visible()
    page.click("#passage-close")

    # the history is the user's own: this question is in it, an admin's question is not
    admin_token = httpx.post(
        sample_server + "/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": PASSWORD}, timeout=30
    ).json()["token"]
    asked = httpx.post(
        sample_server + "/api/v1/ask",
        json={"question": "Pergunta do administrador sobre o Tema 1.076", "mode": "naive"},
        headers={"Authorization": f"Bearer {admin_token}"},
        timeout=60,
    )
    assert asked.status_code == 200, asked.text
    page.reload()
    expect(page.locator(f'#history button[data-query-id="{query_id}"]')).to_contain_text(QUESTION[:40])
    expect(page.locator("#history")).not_to_contain_text("Pergunta do administrador")

    # browse the graph and expand a node
    page.goto(sample_server + "/grafo?entidade=tema:1076")
    expect(page.locator("#entity-detail h2")).to_have_text("Tema 1.076/STJ")
    page.wait_for_function("() => Number(document.getElementById('cy').dataset.ready) > 1")
    before = int(page.locator("#cy").get_attribute("data-ready") or "0")
    target = page.evaluate(
        """() => {
          const cy = window.jgGraph;
          const node = cy.nodes().filter((n) => !n.hasClass("expanded")).max((n) => n.degree()).ele;
          const box = document.getElementById("cy").getBoundingClientRect();
          const at = node.renderedPosition();
          return {id: node.id(), x: box.left + at.x, y: box.top + at.y};
        }"""
    )
    page.mouse.click(target["x"], target["y"])
    expect(page.locator("#cy")).to_have_attribute("data-expanded", target["id"])
    assert int(page.locator("#cy").get_attribute("data-ready") or "0") > before
    clean(page)

    # sign out: back on /login, and a page needing a user sends there again
    page.click("#logout")
    expect(page).to_have_url(sample_server + "/login")
    expect(page.locator("#login-form")).to_be_visible()
    assert page.context.cookies() == [] or all(
        c["name"] != "jurisgraph_session" for c in page.context.cookies()
    )
    page.goto(sample_server + "/conta")
    expect(page).to_have_url(sample_server + "/login?next=%2Fconta")
    clean(page)


def test_an_admin_creates_a_user_and_api_keys(sample_server: str, page_1366: Any, screenshots: Path) -> None:
    page = page_1366
    page.on("dialog", lambda dialog: dialog.accept())
    form_sign_in(page, sample_server, ADMIN_EMAIL, next="/admin")
    expect(page).to_have_url(sample_server + "/admin")
    expect(page.locator("#nav-admin")).to_be_visible()
    expect(page.locator("#users tbody tr[data-user-id]").first).to_be_visible()

    # a user with a generated password, shown once
    email = f"novo-{secrets.token_hex(4)}@tests.example"
    page.fill("#user-form input[name=email]", email)
    page.fill("#user-form input[name=name]", "Pessoa Nova")
    page.click("#user-button")
    secret = page.locator("#admin-secret")
    expect(secret).to_contain_text(f"Senha de {email}")
    generated = page.locator("#admin-secret .secret-text").inner_text()
    assert len(generated) >= 12
    row = page.locator(f'#users tbody tr[data-email="{email}"]')
    expect(row).to_contain_text("ativo")
    signed_in = httpx.post(
        sample_server + "/api/v1/auth/login", json={"email": email, "password": generated}, timeout=30
    )
    assert signed_in.status_code == 200, signed_in.text

    # an API key for that user: shown once, works as a bearer, listed, then revoked
    page.select_option("#key-user", label=email)
    page.fill("#admin-key-form input[name=name]", "integração")
    page.fill("#admin-key-form input[name=expires_days]", "30")
    page.click("#admin-key-button")
    expect(secret).to_contain_text('Chave "integração"')
    key = page.locator("#admin-secret .secret-text").inner_text()
    assert key.startswith("jg_")
    me = httpx.get(sample_server + "/api/v1/auth/me", headers={"Authorization": f"Bearer {key}"}, timeout=30)
    assert me.status_code == 200 and me.json()["email"] == email and me.json()["via"] == "api_key"
    listed = page.locator("#all-keys tbody tr", has_text=key[:10])
    expect(listed).to_contain_text(email)
    expect(listed).to_contain_text("integração")
    page.screenshot(path=str(screenshots / "admin.png"))
    listed.locator("button.revoke").click()
    expect(listed.locator("td.revoked-at")).not_to_have_text("não")
    me = httpx.get(sample_server + "/api/v1/auth/me", headers={"Authorization": f"Bearer {key}"}, timeout=30)
    assert me.status_code == 401

    # make the user an admin, then disable it: its password no longer signs in
    row.locator("select.role").select_option("admin")
    expect(page.locator(f'#users tbody tr[data-email="{email}"] select.role')).to_have_value("admin")
    page.locator(f'#users tbody tr[data-email="{email}"] button.toggle').click()
    expect(page.locator(f'#users tbody tr[data-email="{email}"] td.state')).to_have_text("desativado")
    refused = httpx.post(
        sample_server + "/api/v1/auth/login", json={"email": email, "password": generated}, timeout=30
    )
    assert refused.status_code == 401
    page.locator(f'#users tbody tr[data-email="{email}"] button.toggle').click()
    expect(page.locator(f'#users tbody tr[data-email="{email}"] td.state')).to_have_text("ativo")
    page.locator(f'#users tbody tr[data-email="{email}"] button.reset').click()
    expect(secret).to_contain_text(f"Nova senha de {email}")
    renewed = page.locator("#admin-secret .secret-text").inner_text()
    assert renewed != generated
    clean(page)


def test_minha_conta_keys_and_password(sample_server: str, page_1366: Any, screenshots: Path) -> None:
    page = page_1366
    page.on("dialog", lambda dialog: dialog.accept())
    # an account of its own (its password changes here)
    email = f"conta-{secrets.token_hex(4)}@tests.example"
    admin = httpx.post(
        sample_server + "/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": PASSWORD}, timeout=30
    ).json()["token"]
    created = httpx.post(
        sample_server + "/api/v1/users",
        json={"email": email, "password": PASSWORD},
        headers={"Authorization": f"Bearer {admin}"},
        timeout=30,
    )
    assert created.status_code == 201, created.text

    form_sign_in(page, sample_server, email, next="/conta")
    expect(page).to_have_url(sample_server + "/conta")
    expect(page.locator("#keys tbody")).to_contain_text("Nenhuma chave")
    page.fill("#key-form input[name=name]", "meu script")
    page.click("#key-button")
    expect(page.locator("#key-secret")).to_contain_text('Chave "meu script" criada')
    expect(page.locator("#key-secret button.copy")).to_be_visible()
    key = page.locator("#key-secret .secret-text").inner_text()
    me = httpx.get(sample_server + "/api/v1/auth/me", headers={"Authorization": f"Bearer {key}"}, timeout=30)
    assert me.status_code == 200 and me.json()["email"] == email
    row = page.locator("#keys tbody tr[data-key-id]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("meu script")
    expect(row).to_contain_text(key[:10])
    page.screenshot(path=str(screenshots / "conta.png"))
    row.locator("button.revoke").click()
    expect(row.locator("td.revoked-at")).not_to_have_text("não")
    assert (
        httpx.get(sample_server + "/api/v1/auth/me", headers={"Authorization": f"Bearer {key}"}).status_code
        == 401
    )

    # a wrong current password is refused; the right one changes it and the old one stops working
    page.fill("#password-form input[name=current_password]", "not my password")
    page.fill("#password-form input[name=new_password]", "uma senha nova e longa")
    page.fill("#password-form input[name=confirm]", "uma senha nova e longa")
    page.click("#password-button")
    expect(page.locator("#password-status")).to_have_text("Senha atual incorreta.")
    page.fill("#password-form input[name=current_password]", PASSWORD)
    page.fill("#password-form input[name=new_password]", "uma senha nova e longa")
    page.fill("#password-form input[name=confirm]", "uma senha nova e longa")
    page.click("#password-button")
    expect(page.locator("#password-status")).to_contain_text("Senha trocada")
    page.reload()  # the session goes on with the fresh cookie
    expect(page.locator("#user-email")).to_have_text(email)
    old = httpx.post(sample_server + "/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    new = httpx.post(
        sample_server + "/api/v1/auth/login", json={"email": email, "password": "uma senha nova e longa"}
    )
    assert (old.status_code, new.status_code) == (401, 200)
    # the wrong current password gave a 400 the page handled; nothing else went wrong
    assert problems_but(page, 400, sample_server + "/api/v1/auth/password") == []


def test_a_non_admin_gets_no_admin_page(sample_server: str, page_1366: Any, screenshots: Path) -> None:
    page = page_1366
    form_sign_in(page, sample_server, USER_EMAIL, next="/")
    expect(page.locator("#user-email")).to_have_text(USER_EMAIL)
    expect(page.locator("#nav-admin")).to_have_count(0)
    response = page.goto(sample_server + "/admin")
    assert response is not None and response.status == 403
    expect(page.locator("#forbidden h1")).to_have_text("Acesso negado")
    expect(page.locator("#nav-admin")).to_have_count(0)
    page.screenshot(path=str(screenshots / "admin-negado.png"))
    assert problems_but(page, 403, sample_server + "/admin") == []


def test_a_wrong_password_shows_the_error(sample_server: str, page_1366: Any, screenshots: Path) -> None:
    page = page_1366
    form_sign_in(page, sample_server, "ninguem@tests.example", "senha errada", next="/grafo")
    expect(page.locator("#login-error")).to_have_text("E-mail ou senha incorretos.")
    expect(page).to_have_url(re.compile(r"/login\?erro=1&next=(%2F|/)grafo$"))
    expect(page.locator("#login-form input[name=next]")).to_have_value("/grafo")
    page.screenshot(path=str(screenshots / "login-erro.png"))
    clean(page)
