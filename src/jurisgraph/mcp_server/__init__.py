"""The MCP server: tools and resources over the graph, search and ask, by streamable HTTP at
``/mcp`` (API-key bearer) and by stdio (``jurisgraph mcp``)."""
