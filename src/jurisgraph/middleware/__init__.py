"""What wraps every request, from the outside in: security headers, trusted hosts, the body
size limit, then the request context (request id, logs, metrics, the foreground gate and the
500 reply of an unhandled error), then the signed state of OIDC sign-ins; and the JSON error
handlers (``{"error", "detail"}``)."""

from __future__ import annotations

from fastapi import FastAPI

from jurisgraph.middleware import problems
from jurisgraph.middleware.context import RequestContext
from jurisgraph.middleware.guards import BodyLimit, SecurityHeaders, TrustedHosts
from jurisgraph.middleware.oidc_state import OidcState


def install(app: FastAPI) -> None:
    """Register the error handlers and the middleware on ``app`` (the last added is outermost)."""
    problems.install(app)
    app.add_middleware(OidcState)
    app.add_middleware(RequestContext)
    app.add_middleware(BodyLimit)
    app.add_middleware(TrustedHosts)
    app.add_middleware(SecurityHeaders)
