"""Smoke test of a running deployment over HTTP (the canary gate): health and readiness, a protected
route with an API key, login, a search, an answer with citations, a ``/metrics`` scrape and, when the
server accepts uploads, a document through to ``embedded``. Only HTTP: it runs from anywhere that
reaches the base URL and imports nothing of the server side."""
