"""jurisgraph: GraphRAG over the open data of Brazil's Superior Tribunal de Justiça."""

__version__ = "0.1.0"
