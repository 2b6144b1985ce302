"""Social media handles in a note, normalised to lower case without a leading @.

Found either written with an @ ("@big_dee99"), or after a platform or account cue
("snap: deano.x", "his snap is kaz.k", "insta teekz_ent", "an account called
'lexi.roseee'"). After a cue, a plain word is only taken when the cue is explicit
("snap:", "username", "his snap is"); otherwise the token must look like a handle
(an underscore, an inner dot, or a digit), so a nickname in quotes stays a person.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lantern.text.model import EntityMention
from lantern.text.resources import compile_pattern, load_yaml

_AT = re.compile(r"(?<![\w@.])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)")
# a handle-shaped token, optionally quoted
_TOKEN = r"[(\['‘\"“]?([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)['’\"”)\]]?"  # noqa: S105
_LETTER = re.compile(r"[A-Za-z]")
_HANDLE_LIKE = re.compile(r"_|[A-Za-z0-9]\.[A-Za-z0-9]|\d")
# A cue that names the handle outright: whatever token follows is the handle.
_EXPLICIT = re.compile(r"(?::|-|\bis|\bname|\busername|\bhandle|\bgamertag)\s*$", re.IGNORECASE)
# Words that follow a platform name without being a handle.
_NOT_HANDLES = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "account",
        "accounts",
        "messages",
        "message",
        "chat",
        "chats",
        "group",
        "groups",
        "app",
        "story",
        "stories",
        "from",
        "to",
        "on",
        "in",
        "at",
        "with",
        "by",
        "for",
        "of",
        "is",
        "was",
        "are",
        "were",
        "that",
        "this",
        "it",
        "her",
        "his",
        "their",
        "him",
        "them",
        "she",
        "he",
        "they",
        "last",
        "every",
        "most",
        "all",
        "friend",
        "friends",
        "user",
        "users",
        "contact",
        "contacts",
        "request",
        "requests",
    ]
)


_TOKEN_AT = re.compile(r"\s*" + _TOKEN)
# A quoted token with an underscore inside ('Dan_the_man'): names never hold one, user
# names often do, so it is a handle even without a platform cue.
_QUOTED_UNDERSCORE = re.compile(
    r"(?<![\w'’])['‘\"“]([A-Za-z0-9]+_[A-Za-z0-9_.]*[A-Za-z0-9])['’\"”](?!\w)"
)


@lru_cache(maxsize=1)
def _cues() -> re.Pattern[str]:
    # a cue is a whole word: "Handled per guidance" holds no handle "d"
    return compile_pattern(f"(?:{load_yaml('entities.yaml')['handle']['cues']})(?!\\w)")


def find_handles(text: str) -> list[EntityMention]:
    """Every social media handle in `text`."""
    found: dict[str, EntityMention] = {}
    for m in _AT.finditer(text) if "@" in text else ():
        value = m.group(1).rstrip(".").lower()
        found.setdefault(
            value, EntityMention("handle", value, m.start(), m.start() + 1 + len(value))
        )
    for cue in _cues().finditer(text):
        # each cue is tried on its own, so "Snapchat account 'x.y'" reaches past "account"
        tok = _TOKEN_AT.match(text, cue.end())
        if not tok:
            continue
        token = tok.group(1).rstrip(".")
        if token.lower() in _NOT_HANDLES or not _LETTER.search(token):
            continue  # a word that follows a platform, or a number ("called 999")
        if not (_HANDLE_LIKE.search(token) or _EXPLICIT.search(cue.group())):
            continue
        value = token.lower()
        start = tok.start(1)
        found.setdefault(value, EntityMention("handle", value, start, start + len(token)))
    for m in _QUOTED_UNDERSCORE.finditer(text) if "_" in text else ():
        value = m.group(1).lower()
        found.setdefault(value, EntityMention("handle", value, m.start(1), m.end(1)))
    return sorted(found.values(), key=lambda e: e.start)
