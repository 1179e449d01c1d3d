"""Which chunks get a dense vector. Every chunk gets a sparse one.

A chunk gets a dense vector unless its document is an íntegra without its full text. Such a
document's text is one line of structured fields that :func:`jurisgraph.engine.stj.integras.describe`
builds: tipo, processo, publication date, ministro, recurso, teor, descrição monocrática. The
sparse vector, the payload filters and the graph already find each of those fields exactly.
An íntegra whose full text came from its ZIP (``full_text`` in its metadata) keeps its dense
vector, and so does every other kind of document. ``Document.dense_wanted`` is the same rule
in SQL, and a test checks that the two agree.

Measured with ``bench/chunk_dense.py`` on a copy of the fully embedded bundled sample (2,910
chunks). 2,185 of them are metadata lines (75%). The retrieval set (137 queries, k = 10) scored
the same with and without dense vectors for those chunks (four runs):

* hybrid: recall@10 0.978 both ways; MRR 0.960 or 0.964 both ways (a near-tie between two
  temas for one query flips from run to run, whichever copy is searched);
* dense: 0.759 / 0.729 both ways;
* sparse: 0.971 / 0.967 both ways.

On the ``dev`` split of ``bench/eval.py`` (253 questions) every mode stayed within 0.004 in
recall@10 and MRR. For example, naive was 0.771 / 0.764 both ways and local went from
0.889 / 0.728 to 0.893 / 0.732. Embedding these chunks took 107 ms each (9.4 a second) on the
shared 2-core machine, so leaving them out saves about 4 minutes of embedding for the sample
and about 13 minutes for the 7,222 íntegras of ``shared/data/stj``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jurisgraph.engine.stj.integras import FULL_TEXT
from jurisgraph.engine.stj.integras import KIND as INTEGRA_KIND

#: the document kind whose chunks are sparse only unless the full text was attached
SPARSE_ONLY_KIND = INTEGRA_KIND
#: the metadata flag that marks an attached full text
FULL_TEXT_FLAG = FULL_TEXT


def wants_dense(kind: str, metadata: Mapping[str, Any] | None) -> bool:
    """Whether the chunks of a document of ``kind`` with ``metadata`` get a dense vector.

    Every kind but :data:`SPARSE_ONLY_KIND` does. That kind does only when its metadata says
    that the full text is attached. The module docstring gives the measurement behind the rule.
    """
    return kind != SPARSE_ONLY_KIND or bool((metadata or {}).get(FULL_TEXT_FLAG))
