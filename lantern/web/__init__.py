"""Lantern's web application: server-rendered pages and a JSON API on FastAPI."""
