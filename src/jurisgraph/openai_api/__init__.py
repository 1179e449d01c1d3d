"""The OpenAI-compatible API: ``/v1/models`` and ``/v1/chat/completions`` over the ask service."""
