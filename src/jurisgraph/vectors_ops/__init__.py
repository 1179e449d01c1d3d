"""Vector store operations for deploys: export, import, Chroma migration, verification, re-index.

The public entry points are in :mod:`jurisgraph.vectors_ops.service`; they take the runtime
container. The other modules work on a :class:`~jurisgraph.engine.vectors.VectorIndex` directly.
"""
