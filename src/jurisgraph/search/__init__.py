"""Retrieval: hybrid (dense + sparse, RRF), dense-only and sparse-only search over chunks."""
