"""Prompts, one module per prompt (Portuguese), each with a ``VERSION`` recorded with its calls."""
