"""Errors raised when Lantern's knowledge base is broken or asked for a code it does not have."""

from __future__ import annotations

__all__ = ["KnowledgeError", "UnknownCodeError"]


class KnowledgeError(Exception):
    """The vocabulary or guidance data is missing, malformed or inconsistent.

    The message is one line that names the file and the entry at fault, so that
    whoever edited the data can find and fix it without reading a traceback.
    """


class UnknownCodeError(KnowledgeError, LookupError):
    """A factor code that is not in the vocabulary, with the nearest valid code if any.

    Callers (the CLI, the web forms) show the suggestion so that a typo such as
    `school_absense` is easy to correct.
    """

    def __init__(self, code: str, suggestion: str | None) -> None:
        self.code = code
        self.suggestion = suggestion
        hint = f"; did you mean {suggestion!r}?" if suggestion else ""
        super().__init__(f"unknown factor code {code!r}{hint}")
