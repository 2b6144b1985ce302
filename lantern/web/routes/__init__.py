"""The web routes, one module per area: each handler parses, calls one service, renders."""
