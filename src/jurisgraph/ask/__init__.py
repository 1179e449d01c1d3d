"""Questions over the knowledge graph and the corpus: cited answers, streaming, audit trail."""
