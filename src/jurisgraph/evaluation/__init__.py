"""Evaluation: labelled question sets, scoring functions and runs of every mode over them."""
