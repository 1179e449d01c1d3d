"""Faults that must lose nothing: components that go away and come back, upstream errors, killed
processes and a full disk. Each test compares the end state with an uninterrupted run."""
