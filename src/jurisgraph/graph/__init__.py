"""The knowledge graph as a service: entities, relations, neighbourhoods, communities, provenance."""
