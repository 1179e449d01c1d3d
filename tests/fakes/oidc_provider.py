"""A small OpenID Connect provider on 127.0.0.1: discovery, JWKS, the authorization-code flow
(with PKCE), the token endpoint and userinfo, as a standard issuer (Keycloak, Google…) serves them.

The provider signs ID tokens with its own RSA key (RS256) and checks what a real one checks:
the registered client and redirect URI, the client secret (``client_secret_basic`` or
``client_secret_post``), single-use codes bound to their redirect URI, the PKCE verifier, and
the access token on userinfo. There is no login form: the account that the next authorization
request signs in is :attr:`OidcProvider.account` (a test sets it), as if the user had consented.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.fakes.protocol_server import ProtocolServer, Recorded, Reply

CLIENT_ID = "jurisgraph-test"
CLIENT_SECRET = "oidc-client-secret-for-tests"


@dataclass(frozen=True)
class Account:
    """The identity an authorization signs in: ``sub`` is what relying parties match on."""

    sub: str
    email: str
    name: str
    email_verified: bool = True


@dataclass
class _Grant:
    account: Account
    redirect_uri: str
    nonce: str | None
    challenge: str | None
    issued: float = field(default_factory=time.monotonic)


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


class OidcProvider(ProtocolServer):
    """The issuer is :attr:`url`; register redirect URIs with :meth:`allow_redirect`."""

    def __init__(self, *, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.account = Account(sub="oidc-user-1", email="ana@example.org", name="Ana Souza")
        self.redirect_uris: set[str] = set()
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._kid = secrets.token_hex(8)
        self._codes: dict[str, _Grant] = {}
        self._tokens: dict[str, Account] = {}
        self._grants_lock = threading.Lock()
        self.add_route("discovery", "GET", r"/\.well-known/openid-configuration", self._discovery)
        self.add_route("jwks", "GET", r"/jwks", self._jwks)
        self.add_route("authorize", "GET", r"/authorize", self._authorize)
        self.add_route("token", "POST", r"/token", self._token)
        self.add_route("userinfo", "GET", r"/userinfo", self._userinfo)

    def allow_redirect(self, uri: str) -> None:
        """Register a redirect URI of the client (exact match, as providers require)."""
        self.redirect_uris.add(uri)

    # -- endpoints ---------------------------------------------------------------------------
    def _discovery(self, _: Recorded) -> Reply:
        issuer = self.url
        return Reply(
            body={
                "issuer": issuer,
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "userinfo_endpoint": f"{issuer}/userinfo",
                "jwks_uri": f"{issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "code_challenge_methods_supported": ["S256"],
                "claims_supported": ["sub", "email", "email_verified", "name", "iss", "aud", "nonce"],
            }
        )

    def _jwks(self, _: Recorded) -> Reply:
        numbers = self._key.public_key().public_numbers()
        key = {
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": self._kid,
            "n": _b64url_uint(numbers.n),
            "e": _b64url_uint(numbers.e),
        }
        return Reply(body={"keys": [key]})

    def _authorize(self, rec: Recorded) -> Reply:
        params = {k: v[0] for k, v in parse_qs(rec.path.partition("?")[2]).items()}
        redirect_uri = params.get("redirect_uri", "")
        if params.get("client_id") != self.client_id or redirect_uri not in self.redirect_uris:
            return Reply(400, {"error": "invalid_request", "error_description": "unknown client or redirect"})
        query: dict[str, str] = {}
        if params.get("response_type") != "code" or "openid" not in params.get("scope", "").split():
            query = {"error": "unsupported_response_type"}
        else:
            code = secrets.token_urlsafe(24)
            challenge = params.get("code_challenge")
            if challenge and params.get("code_challenge_method", "plain") != "S256":
                query = {"error": "invalid_request", "error_description": "only S256 PKCE"}
            else:
                with self._grants_lock:
                    self._codes[code] = _Grant(self.account, redirect_uri, params.get("nonce"), challenge)
                query = {"code": code}
        if "state" in params:
            query["state"] = params["state"]
        return Reply(
            302, b"", {"Location": f"{redirect_uri}?{urlencode(query)}", "Content-Type": "text/plain"}
        )

    def _token(self, rec: Recorded) -> Reply:
        form = {k: v[0] for k, v in parse_qs(rec.raw.decode("utf-8")).items()}
        if not self._client_authenticated(rec.headers, form):
            return Reply(401, {"error": "invalid_client"})
        if form.get("grant_type") != "authorization_code":
            return Reply(400, {"error": "unsupported_grant_type"})
        with self._grants_lock:
            grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or grant.redirect_uri != form.get("redirect_uri"):
            return Reply(400, {"error": "invalid_grant"})
        if grant.challenge is not None:
            verifier = form.get("code_verifier", "").encode("ascii")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
            if digest != grant.challenge:
                return Reply(400, {"error": "invalid_grant", "error_description": "PKCE verifier mismatch"})
        access = secrets.token_urlsafe(24)
        with self._grants_lock:
            self._tokens[access] = grant.account
        return Reply(
            body={
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": 300,
                "scope": "openid email profile",
                "id_token": self.id_token(grant.account, nonce=grant.nonce),
            },
            headers={"Cache-Control": "no-store"},
        )

    def _userinfo(self, rec: Recorded) -> Reply:
        scheme, _, token = rec.headers.get("authorization", "").partition(" ")
        with self._grants_lock:
            account = self._tokens.get(token) if scheme.lower() == "bearer" else None
        if account is None:
            return Reply(401, {"error": "invalid_token"})
        return Reply(body=self._claims(account))

    # -- helpers -----------------------------------------------------------------------------
    def id_token(self, account: Account, *, nonce: str | None, audience: str | None = None) -> str:
        """An RS256 ID token for ``account`` signed with the provider's key."""
        now = int(time.time())
        claims: dict[str, Any] = {
            **self._claims(account),
            "iss": self.url,
            "aud": audience or self.client_id,
            "iat": now,
            "exp": now + 300,
        }
        if nonce is not None:
            claims["nonce"] = nonce
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self._kid})

    @staticmethod
    def _claims(account: Account) -> dict[str, Any]:
        return {
            "sub": account.sub,
            "email": account.email,
            "email_verified": account.email_verified,
            "name": account.name,
        }

    def _client_authenticated(self, headers: dict[str, str], form: dict[str, str]) -> bool:
        scheme, _, value = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "basic":
            try:
                pair = base64.b64decode(value).decode("utf-8")
            except ValueError:
                return False
            client_id, _, secret = (unquote(part) for part in pair.partition(":"))
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        return secrets.compare_digest(client_id, self.client_id) and secrets.compare_digest(
            secret, self.client_secret
        )
