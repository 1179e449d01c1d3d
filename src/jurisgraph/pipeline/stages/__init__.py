"""Pipeline stages; each exposes ``run(ctx, ...)``."""
