"""Literal hints: for a regex, strings one of which (case-folded) every match must contain.

The factor scanner reads each sentence once for all hints of all patterns, and then
runs only the patterns whose hints occur in it. Hints are worked out from the
patterns themselves, so they can never drift from what the patterns match: a hint
set is only ever too wide (more work), never too narrow (a lost match).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

# The standard library's own regex parser (the one `re.compile` uses); its node
# types are compared by name, since the module is internal and not typed.
_PARSER: Any = importlib.import_module("re._parser")

#: Largest set of strings spelt out for one piece of a pattern. Beyond it the
#: cross products of alternatives grow quickly for no gain in selectivity.
_MAX_STRINGS = 64
#: Largest character class spelt out as single characters ([’'] yes, [a-z] no).
_MAX_CLASS = 8
#: Most repeats of a fixed piece spelt out (x{1,3} yes, x{1,9} no).
_MAX_REPEAT = 3
#: Shortest string (spaces aside) of a second hint set: shorter ones ("in", "h", a
#: digit) are in nearly every sentence and only add work to the finder.
_MIN_EXTRA_CHARS = 4
_ZERO_WIDTH = frozenset(["AT", "ASSERT", "ASSERT_NOT"])
_REPEATS = frozenset(["MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"])

Strings = frozenset[str]


@dataclass(frozen=True, slots=True)
class _Shape:
    """What is known of a piece of a pattern."""

    exact: Strings | None  # every string the piece can match, when there are few
    needs: Strings | None  # strings one of which every match of the piece contains
    #: for a sequence, every usable set its pieces need (all of them), best first
    parts: tuple[Strings, ...] = ()


_NOTHING = _Shape(None, None)
_EMPTY = _Shape(frozenset([""]), None)


def _rank(needs: Strings | None) -> tuple[int, int]:
    """Higher is more selective: longer shortest string (spaces aside, as " on " is
    hardly rarer than "on"), then fewer strings. Below 1 the set is of no use."""
    if not needs:
        return (-1, 0)
    return (min(len(s.strip()) for s in needs), -len(needs))


def _minimal(strings: Strings) -> Strings:
    """Drop every string that holds another of the set: where it occurs, so does the other."""
    by_length = sorted(strings, key=len)
    kept: list[str] = []
    for s in by_length:
        if not any(k in s for k in kept):
            kept.append(s)
    return frozenset(kept)


def _usable(candidates: Iterable[Strings | None]) -> list[Strings]:
    """The sets worth checking, each cut to its minimal strings, best first, once each."""
    usable = {_minimal(c) for c in candidates if c is not None and _rank(c)[0] > 0}
    return sorted(usable, key=lambda c: (_rank(c), sorted(c)), reverse=True)


def _best(candidates: Iterable[Strings | None]) -> Strings | None:
    usable = _usable(candidates)
    return usable[0] if usable else None


def _product(left: Strings, right: Strings) -> Strings:
    return frozenset(a + b for a in left for b in right)


def _sequence(items: Sequence[tuple[Any, Any]]) -> _Shape:
    run: Strings = frozenset([""])  # every string the current run of fixed pieces can match
    candidates: list[Strings | None] = []
    whole = True  # whether the run still covers the whole sequence
    for op, av in items:
        shape = _item(str(op), av)
        if shape.exact is not None and len(run) * len(shape.exact) <= _MAX_STRINGS:
            run = _product(run, shape.exact)
            continue
        candidates.append(run)
        whole = False
        if shape.exact is not None:
            run = shape.exact
        else:
            run = frozenset([""])
            candidates.append(shape.needs)
    candidates.append(run)
    parts = _usable(candidates)
    return _Shape(run if whole else None, parts[0] if parts else None, tuple(parts))


def _char_class(av: Any) -> _Shape:
    chars: set[str] = set()
    for op, arg in av:
        name = str(op)
        if name == "LITERAL":
            chars.add(chr(arg).casefold())
        elif name == "RANGE" and arg[1] - arg[0] < _MAX_CLASS:
            chars.update(chr(c).casefold() for c in range(arg[0], arg[1] + 1))
        else:  # NEGATE, CATEGORY, wide ranges
            return _NOTHING
    if len(chars) > _MAX_CLASS:
        return _NOTHING
    return _Shape(frozenset(chars), frozenset(chars))


def _branch(alternatives: list[Any]) -> _Shape:
    shapes = [_sequence(list(a)) for a in alternatives]
    exact: Strings | None = None
    if all(s.exact is not None for s in shapes):
        exact = frozenset().union(*(s.exact or () for s in shapes))
        if len(exact) > _MAX_STRINGS:
            exact = None
    needs: Strings | None = None
    if all(_rank(s.needs)[0] > 0 for s in shapes):
        needs = frozenset().union(*(s.needs or () for s in shapes))
    return _Shape(exact, needs)


def _repeat(low: int, high: int, body: Any) -> _Shape:
    inner = _sequence(list(body))
    exact: Strings | None = None
    if inner.exact is not None and high <= _MAX_REPEAT:
        exact = frozenset()
        for count in range(low, high + 1):
            piece: Strings = frozenset([""])
            for _ in range(count):
                piece = _product(piece, inner.exact)
            exact |= piece
        if len(exact) > _MAX_STRINGS:
            exact = None
    needs = inner.needs if low >= 1 else None
    if needs is None and exact is not None and low >= 1:
        needs = exact
    return _Shape(exact, needs)


def _item(name: str, av: Any) -> _Shape:
    if name == "LITERAL":
        ch = chr(av).casefold()
        return _Shape(frozenset([ch]), frozenset([ch]))
    if name == "IN":
        return _char_class(av)
    if name == "BRANCH":
        return _branch(av[1])
    if name == "SUBPATTERN":
        return _sequence(list(av[3]))
    if name == "ATOMIC_GROUP":
        return _sequence(list(av))
    if name in _REPEATS:
        return _repeat(av[0], av[1], av[2])
    if name in _ZERO_WIDTH:
        return _EMPTY
    return _NOTHING  # ANY, NOT_LITERAL, CATEGORY, group references...


def required_literals(pattern: str, flags: int = re.IGNORECASE) -> Strings | None:
    """Case-folded strings one of which every match of `pattern` contains (when matched
    against text of the same length after case folding), or None when no such set is
    known, in which case the pattern must always be run."""
    try:
        parsed = _PARSER.parse(pattern, flags)
    except (re.error, RecursionError):
        return None
    return _sequence(list(parsed)).needs


def required_literal_sets(
    pattern: str,
    flags: int = re.IGNORECASE,
    limit: int = 2,
    min_extra_chars: int = _MIN_EXTRA_CHARS,
) -> tuple[Strings, ...]:
    """Up to `limit` sets of case-folded strings such that every match of `pattern`
    holds a string of each set; the most selective sets first. Empty when none is known.
    A set after the first is kept only if its shortest string (spaces aside) has at
    least `min_extra_chars` characters."""
    try:
        parsed = _PARSER.parse(pattern, flags)
    except (re.error, RecursionError):
        return ()
    best, *others = _sequence(list(parsed)).parts or ((),)
    if not best:
        return ()
    # a further set earns its keep only if it is rarer than short, common strings
    more = [s for s in others if _rank(s)[0] >= min_extra_chars]
    return (best, *more[: limit - 1])


def possible(hints: Strings | None, folded: str) -> bool:
    """Whether a pattern with these hints can match somewhere in `folded` (case-folded)."""
    return hints is None or any(h in folded for h in hints)


def hint_probe(hints: Strings | None) -> re.Pattern[str] | None:
    """One regex that finds any of `hints` in case-folded text (None: no hints, always
    possible). The same answer as `possible`, in one pass instead of one per hint."""
    return re.compile(_trie_regex(_trie(hints))) if hints else None


def pattern_hints(pattern: re.Pattern[str]) -> Strings | None:
    """`required_literals` of a compiled pattern, read with its own flags."""
    return required_literals(pattern.pattern, pattern.flags)


@dataclass(frozen=True, slots=True)
class Gated:
    """A compiled pattern with its hints: text that holds none of them is not searched."""

    pattern: re.Pattern[str]
    #: one regex for the hints (None: always search), run over the case-folded text
    probe: re.Pattern[str] | None

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Gated:
        hints = pattern_hints(pattern)
        return cls(pattern, hint_probe(hints))

    def _possible(self, text: str) -> bool:
        return self.probe is None or self.probe.search(text.casefold()) is not None

    def finditer(self, text: str) -> Iterable[re.Match[str]]:
        """The pattern's matches in `text`, found only when a hint is there."""
        return self.pattern.finditer(text) if self._possible(text) else ()

    def search(self, text: str) -> re.Match[str] | None:
        """The pattern's first match in `text`, searched only when a hint is there."""
        return self.pattern.search(text) if self._possible(text) else None


def _trie(literals: Iterable[str]) -> dict[str, Any]:
    trie: dict[str, Any] = {}
    for lit in literals:
        node = trie
        for ch in lit:
            node = node.setdefault(ch, {})
        node[""] = {}
    return trie


def _trie_regex(node: dict[str, Any]) -> str:
    ends_here = "" in node
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # greedy: the longest literal wins, and any shorter one is its prefix
    return f"(?:{body})?" if ends_here else body
