"""Alembic migrations for Lantern's schema (a package so that it ships in the wheel)."""
