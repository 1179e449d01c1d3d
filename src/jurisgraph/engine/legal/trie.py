"""Compile a set of literal phrases into one compact regular expression (a prefix trie).

Python's ``re`` tries alternatives one by one; factoring common prefixes keeps a pattern
with hundreds of aliases fast. Spaces inside a phrase match any run of white space, so an
alias still matches when a hard line break falls inside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""
_Node = dict[str, "_Node"]


def trie_pattern(phrases: Iterable[str]) -> str:
    """A non-capturing regex source matching exactly the given phrases (longest first)."""
    root: _Node = {}
    for phrase in sorted(set(phrases)):
        if not phrase:
            continue
        node = root
        for char in phrase:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _render(root) or "(?!)"


def _atom(char: str) -> str:
    return r"\s+" if char == " " else re.escape(char)


def _render(node: _Node) -> str:
    optional = _END in node
    branches = []
    for char in sorted(ch for ch in node if ch != _END):
        branches.append(_atom(char) + _render(node[char]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if optional else body
