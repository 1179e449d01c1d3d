"""Test doubles that behave like the real services (real sockets, real data)."""
