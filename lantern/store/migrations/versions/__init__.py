"""Lantern's migrations, oldest first."""
