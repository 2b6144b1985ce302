"""Loads the chat-analysis data files (tactic patterns, relationship cues, risk weights).

The words and numbers live in `data/*.yaml` so that they can be read and
changed without reading code; this module expands their spelling macros,
compiles the patterns once and checks the files' shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from ahocorasick_rs import AhoCorasick

from lantern.text.chat.normalise import Spellings
from lantern.text.hints import Gated, pattern_hints, required_literal_sets

__all__ = [
    "ROLES",
    "TACTIC_CODES",
    "BenignSecrecy",
    "ChatDataError",
    "Cue",
    "Folded",
    "Lexicon",
    "Pattern",
    "RelationshipCues",
    "RiskModel",
    "RuleIndex",
    "TacticRule",
    "fold",
    "load_lexicon",
]

DATA = Path(__file__).parent / "data"

#: The tactic codes of shared/spec/factors.md ("Online grooming tactics"), in
#: the order the vocabulary lists them. Tests hold this and the data files to
#: the knowledge base's vocabulary.
TACTIC_CODES: tuple[str, ...] = (
    "secrecy",
    "isolation",
    "flattery_trust",
    "gifts_offers",
    "platform_move",
    "personal_probing",
    "meeting_request",
    "image_request",
    "pressure_threats",
)

_STRENGTHS = ("strong", "weak")
#: The roles a speaker can be known to have (see data/relationships.yaml); a
#: "friend" is a speaker without a named role whom the cues show to know the
#: young person offline.
ROLES = ("family", "professional", "friend")
#: By default a rule does not count from family: a parent's "where are you?"
#: or "send me a photo" is care, not grooming.
_DEFAULT_EXEMPT = ("family",)
_MACRO = re.compile(r"\{(\w+)\}")
#: Macros may use other macros; this bounds the expansion so a cycle fails loudly.
_MAX_MACRO_DEPTH = 5


class ChatDataError(Exception):
    """A chat-analysis data file is missing, malformed, or names an unknown code."""


#: Typographic apostrophes and quotes become plain ones before matching; each is
#: one character for one, so match offsets stay offsets into the original text.
_SAME_LENGTH_FOLDS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"'})
_UPPER_OUTSIDE_ESCAPE = re.compile(r"(?<!\\)[A-Z]")


@dataclass(frozen=True, slots=True)
class Folded:
    """A message made ready for matching: lower-cased when that keeps every offset."""

    value: str
    lowered: bool


def fold(text: str) -> Folded:
    """Fold apostrophes, and lower-case when the length stays the same (it nearly always does)."""
    plain = text.translate(_SAME_LENGTH_FOLDS)
    low = plain.lower()
    return Folded(low, True) if len(low) == len(plain) else Folded(plain, False)


@dataclass(frozen=True, slots=True)
class Pattern:
    """A compiled pattern: a fast one for lower-cased text and a case-blind fallback."""

    lower: re.Pattern[str]
    any_case: re.Pattern[str]

    def search(self, text: Folded) -> re.Match[str] | None:
        """The first match in the folded text, or None."""
        return (self.lower if text.lowered else self.any_case).search(text.value)

    def search_lower(self, text: str) -> re.Match[str] | None:
        """The first match in text already lower-cased (a normalised message), or None."""
        return self.lower.search(text)


@dataclass(frozen=True, slots=True)
class TacticRule:
    """One pattern for one tactic code (see data/tactics.yaml for the fields' meaning)."""

    code: str
    id: str
    strong: bool
    exempt: frozenset[str]
    pattern: Pattern
    unless: Pattern | None
    after: str | None
    within: int
    #: Literals one of which every match contains (worked out from the pattern
    #: itself, see lantern.text.hints); a message holding none is not searched.
    #: None when the pattern has no such literals.
    probe: re.Pattern[str] | None = None
    #: The same literals as `probe`, as a set (None: always search).
    hints: frozenset[str] | None = None
    #: Further sets of literals every match also holds one of (see lantern.text.hints).
    further: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True, slots=True)
class Cue:
    """A named pattern that says something about who a speaker is."""

    id: str
    pattern: Pattern
    vouches: bool = False
    soft: bool = False
    #: The cue shows the speaker is an adult (an adult age, given or noticed).
    adult: bool = False


@dataclass(frozen=True, slots=True)
class RelationshipCues:
    """Role names, forms of address, and familiar and stranger cues."""

    family_names: frozenset[str]
    professional_names: frozenset[str]
    address: tuple[tuple[str, Pattern], ...]
    familiar: tuple[Cue, ...]
    stranger: tuple[Cue, ...]
    child_says_stranger: tuple[Cue, ...]
    child_says_familiar: tuple[Cue, ...]
    family_reference: Pattern
    forfeit_codes: frozenset[str]
    #: A speaker's own claim to be a young person ("im 15", "same year").
    young_claim: tuple[Cue, ...] = ()
    #: Signs of an adult's life in the speaker's own words ("passed my test",
    #: "pick my kid up"); with a claim to be young they unmask a pretend peer.
    adult_life: tuple[Cue, ...] = ()
    #: The young person's surprise at an adult's life ("u can drive??").
    child_says_adult_life: tuple[Cue, ...] = ()
    #: The young person giving a young age or school year ("13", "im in year 8").
    child_young: tuple[Cue, ...] = ()
    #: A display name that gives a young age or school year ("jayden_15", "ben_y9").
    young_name: Pattern | None = None
    #: Another participant giving a speaker's adult age ("deano is 22"); `{name}`
    #: stands for the speaker's name, filled in per conversation.
    named_adult_age: str | None = None


@dataclass(frozen=True, slots=True)
class RiskModel:
    """The weights and threshold that turn tactics into a score (see data/risk.yaml)."""

    weights: dict[str, float]
    repeat_factor: float
    distinct_bonus: float
    after_secrecy_codes: frozenset[str]
    after_secrecy_factor: float
    stranger_bonus: float
    hard_stranger_bonus: float
    pretend_peer_bonus: float
    adult_to_child_bonus: float
    min_tactic_messages: int
    scale: float
    threshold: float


@dataclass(frozen=True, slots=True)
class BenignSecrecy:
    """A surprise for someone else, which makes "don't tell her" ordinary for a while."""

    pattern: Pattern
    within: int
    kept: frozenset[str]


class RuleIndex:
    """Which rules can match a message, from one pass over it for all rules' literals.

    Each rule's probe is a regex of its own; with a hundred and more rules,
    running every probe on every message cost about a third of the analysis.
    One Aho-Corasick pass finds every literal present, and a rule is searched
    only when one of its literals is there (or when it has none), and one of
    each of its further sets too.
    """

    def __init__(self, rules: tuple[TacticRule, ...]) -> None:
        every = {h for r in rules for group in (r.hints or (), *r.further) for h in group}
        literals = sorted(every)
        number = {lit: i for i, lit in enumerate(literals)}
        self._finder = AhoCorasick(literals) if literals else None
        self._always = frozenset(i for i, r in enumerate(rules) if not r.hints)
        rules_of: list[set[int]] = [set() for _ in literals]
        for i, r in enumerate(rules):
            for h in r.hints or ():
                rules_of[number[h]].add(i)
        self._rules_of = tuple(frozenset(s) for s in rules_of)
        self._further = tuple(
            tuple(frozenset(number[h] for h in group) for group in r.further) for r in rules
        )

    def possible(self, folded: str) -> frozenset[int]:
        """Indexes of the rules that can match `folded` (case-folded text)."""
        if self._finder is None:
            return self._always
        found = {m[0] for m in self._finder.find_matches_as_indexes(folded, overlapping=True)}
        out = set(self._always)
        for lit in found:
            out |= self._rules_of[lit]
        further = self._further
        return frozenset(i for i in out if all(not group.isdisjoint(found) for group in further[i]))


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the analysis reads from data, with the files' versions."""

    version: str
    rules: tuple[TacticRule, ...]
    advice: tuple[Pattern, ...]
    relationships: RelationshipCues
    risk: RiskModel
    spellings: Spellings
    benign_secrecy: BenignSecrecy
    #: Every rule's hint literals in one Aho-Corasick automaton (see `RuleIndex`).
    index: RuleIndex | None = None


def _read(name: str) -> dict[str, Any]:
    path = DATA / name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ChatDataError(f"{name}: {e}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("version"), str):
        raise ChatDataError(f"{name}: expected a mapping with a 'version' string")
    return raw


def _spellings(raw: dict[str, Any]) -> Spellings:
    groups = raw.get("standard")
    if not isinstance(groups, dict):
        raise ChatDataError("normalise.yaml: 'standard' must map standard forms to spellings")
    words: dict[str, str] = {}
    for standard, variants in groups.items():
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            raise ChatDataError(f"normalise.yaml: {standard!r} needs a list of spellings")
        for variant in variants:
            key = variant.lower()
            if words.get(key, standard) != standard:
                raise ChatDataError(f"normalise.yaml: {variant!r} has two standard forms")
            words[key] = str(standard)
    doubled = raw.get("doubled", [])
    if not isinstance(doubled, list):
        raise ChatDataError("normalise.yaml: 'doubled' must be a list of words")
    return Spellings(raw["version"], words, frozenset(str(d) for d in doubled))


def _expand(text: str, macros: dict[str, str], where: str) -> str:
    for _ in range(_MAX_MACRO_DEPTH):
        if not _MACRO.search(text):
            return text
        try:
            text = _MACRO.sub(lambda m: macros[m.group(1)], text)
        except KeyError as e:
            raise ChatDataError(f"{where}: unknown macro {{{e.args[0]}}}") from None
    raise ChatDataError(f"{where}: macros nested too deeply")


def _compile(text: object, macros: dict[str, str], where: str) -> Pattern:
    if not isinstance(text, str) or not text:
        raise ChatDataError(f"{where}: pattern must be a non-empty string")
    source = _expand(text, macros, where)
    if _UPPER_OUTSIDE_ESCAPE.search(source):
        # Patterns run on lower-cased text (three times faster than IGNORECASE).
        raise ChatDataError(f"{where}: write patterns in lower case")
    # A space stands for any run of whitespace, and "grown ?up" for none at all.
    source = source.replace(" ?", r"\s*").replace(" ", r"\s+")
    try:
        return Pattern(re.compile(source), re.compile(source, re.IGNORECASE))
    except re.error as e:
        raise ChatDataError(f"{where}: bad pattern ({e})") from None


def _further_hints(pattern: re.Pattern[str]) -> tuple[frozenset[str], ...]:
    # Up to two sets beyond the first: each halves again the rules searched.
    sets = required_literal_sets(pattern.pattern, pattern.flags, limit=3)
    return tuple(sets[1:])


def _benign_secrecy(
    raw: object, macros: dict[str, str], rules: tuple[TacticRule, ...]
) -> BenignSecrecy:
    where = "tactics.yaml: benign_secrecy"
    if not isinstance(raw, dict) or not isinstance(raw.get("within"), int):
        raise ChatDataError(f"{where}: needs 'pattern', 'within' (messages) and 'kept'")
    kept = raw.get("kept", [])
    secrecy_ids = {r.id for r in rules if r.code == "secrecy"}
    if not isinstance(kept, list) or not set(kept) <= secrecy_ids:
        raise ChatDataError(f"{where}: 'kept' must list secrecy rule ids")
    return BenignSecrecy(
        pattern=_compile(raw.get("pattern"), macros, where),
        within=raw["within"],
        kept=frozenset(str(k) for k in kept),
    )


def _rules(raw: dict[str, Any], macros: dict[str, str]) -> tuple[TacticRule, ...]:
    tactics = raw.get("tactics")
    if not isinstance(tactics, dict):
        raise ChatDataError("tactics.yaml: 'tactics' must map codes to rule lists")
    rules = []
    for code, items in tactics.items():
        if code not in TACTIC_CODES:
            raise ChatDataError(f"tactics.yaml: unknown tactic code {code!r}")
        if not isinstance(items, list) or not items:
            raise ChatDataError(f"tactics.yaml: {code} needs a list of rules")
        for item in items:
            where = f"tactics.yaml: {code}.{item.get('id') if isinstance(item, dict) else '?'}"
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise ChatDataError(f"{where}: each rule needs an 'id'")
            if item.get("strength") not in _STRENGTHS:
                raise ChatDataError(f"{where}: strength must be one of {_STRENGTHS}")
            after = item.get("after")
            if after is not None and after not in TACTIC_CODES:
                raise ChatDataError(f"{where}: 'after' names unknown code {after!r}")
            unless = item.get("unless")
            exempt = item.get("exempt", list(_DEFAULT_EXEMPT))
            if not isinstance(exempt, list) or not set(exempt) <= set(ROLES):
                raise ChatDataError(f"{where}: 'exempt' must list roles from {ROLES}")
            pattern = _compile(item.get("pattern"), macros, where)
            rules.append(
                TacticRule(
                    code=code,
                    id=item["id"],
                    strong=item["strength"] == "strong",
                    exempt=frozenset(exempt),
                    pattern=pattern,
                    probe=Gated.of(pattern.lower).probe,
                    hints=pattern_hints(pattern.lower),
                    further=_further_hints(pattern.lower),
                    unless=None if unless is None else _compile(unless, macros, where),
                    after=after,
                    within=int(item.get("within", 0)),
                )
            )
    return tuple(rules)


def _cues(raw: object, macros: dict[str, str], where: str) -> tuple[Cue, ...]:
    if not isinstance(raw, list):
        raise ChatDataError(f"{where}: expected a list of cues")
    return tuple(
        Cue(
            id=str(c["id"]),
            pattern=_compile(c.get("pattern"), macros, f"{where}.{c['id']}"),
            vouches=bool(c.get("vouches", False)),
            soft=bool(c.get("soft", False)),
            adult=bool(c.get("adult", False)),
        )
        for c in raw
    )


def _relationships(raw: dict[str, Any], macros: dict[str, str]) -> RelationshipCues:
    names = raw.get("role_names") or {}
    address = raw.get("child_address") or {}
    openers = raw.get("address_openers")
    if not isinstance(openers, str):
        raise ChatDataError("relationships.yaml: 'address_openers' must be a pattern")
    forms = []
    for role in ("family", "professional"):
        if not isinstance(names.get(role), list) or not isinstance(address.get(role), str):
            raise ChatDataError(f"relationships.yaml: role {role!r} needs names and an address")
        word = address[role]
        # A role word is a form of address after an opener at the start of the
        # young person's message ("ok miss", "ye nana"), or at its end after one
        # ("love u mum", "ur the best cuz") but not "i'll ask dad"; for teachers
        # and coaches also at the very start ("coach can i get a lift").
        start = f"^(?:{openers}),? {word}\\b"
        lead = f"|^{word}\\b(?! said| says| is| was| will| wont| won't| thinks)" * (
            role == "professional"
        )
        end = f"(?:,|\\b(?:{openers}|u|you|best|love|please|pls))\\s+{word}[\\s!?.x:)(]*$"
        source = f"(?:{start}|{end}" + lead + ")"
        forms.append((role, _compile(source, macros, f"relationships.yaml: {role}")))
    return RelationshipCues(
        family_names=frozenset(str(n).lower() for n in names["family"]),
        professional_names=frozenset(str(n).lower() for n in names["professional"]),
        address=tuple(forms),
        familiar=_cues(raw.get("familiar"), macros, "relationships.yaml: familiar"),
        stranger=_cues(raw.get("stranger"), macros, "relationships.yaml: stranger"),
        child_says_stranger=_cues(
            raw.get("child_says_stranger"), macros, "relationships.yaml: child_says_stranger"
        ),
        child_says_familiar=_cues(
            raw.get("child_says_familiar"), macros, "relationships.yaml: child_says_familiar"
        ),
        family_reference=_compile(
            raw.get("family_reference"), macros, "relationships.yaml: family_reference"
        ),
        forfeit_codes=_forfeit_codes(raw.get("forfeit_codes")),
        young_claim=_cues(raw.get("young_claim", []), macros, "relationships.yaml: young_claim"),
        adult_life=_cues(raw.get("adult_life", []), macros, "relationships.yaml: adult_life"),
        child_says_adult_life=_cues(
            raw.get("child_says_adult_life", []),
            macros,
            "relationships.yaml: child_says_adult_life",
        ),
        child_young=_cues(raw.get("child_young", []), macros, "relationships.yaml: child_young"),
        young_name=_optional(raw.get("young_name"), macros, "relationships.yaml: young_name"),
        named_adult_age=_named_age(raw.get("named_adult_age")),
    )


def _optional(raw: object, macros: dict[str, str], where: str) -> Pattern | None:
    return None if raw is None else _compile(raw, macros, where)


def _named_age(raw: object) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or "{name}" not in raw:
        raise ChatDataError("relationships.yaml: 'named_adult_age' must be a pattern with {name}")
    source = raw.replace(" ?", r"\s*").replace(" ", r"\s+")
    try:
        re.compile(source.replace("{name}", "x"))
    except re.error as e:
        raise ChatDataError(f"relationships.yaml: named_adult_age: bad pattern ({e})") from None
    return source


def _forfeit_codes(raw: object) -> frozenset[str]:
    if not isinstance(raw, list) or not set(raw) <= set(TACTIC_CODES):
        raise ChatDataError("relationships.yaml: 'forfeit_codes' must list tactic codes")
    return frozenset(str(c) for c in raw)


def _risk(raw: dict[str, Any]) -> RiskModel:
    try:
        weights = {str(k): float(v) for k, v in raw["weights"].items()}
        model = RiskModel(
            weights=weights,
            repeat_factor=float(raw["repeat_factor"]),
            distinct_bonus=float(raw["distinct_bonus"]),
            after_secrecy_codes=frozenset(raw["after_secrecy"]["codes"]),
            after_secrecy_factor=float(raw["after_secrecy"]["factor"]),
            stranger_bonus=float(raw["stranger_bonus"]),
            hard_stranger_bonus=float(raw["hard_stranger_bonus"]),
            pretend_peer_bonus=float(raw["pretend_peer_bonus"]),
            adult_to_child_bonus=float(raw["adult_to_child_bonus"]),
            min_tactic_messages=int(raw["min_tactic_messages"]),
            scale=float(raw["scale"]),
            threshold=float(raw["threshold"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ChatDataError(f"risk.yaml: missing or malformed field ({e})") from None
    if set(weights) != set(TACTIC_CODES):
        raise ChatDataError("risk.yaml: 'weights' must give exactly the tactic codes")
    if not set(model.after_secrecy_codes) <= set(TACTIC_CODES):
        raise ChatDataError("risk.yaml: after_secrecy names an unknown code")
    if not (0 < model.threshold < 1 and model.scale > 0):
        raise ChatDataError("risk.yaml: threshold must be in (0, 1) and scale positive")
    return model


@cache
def load_lexicon() -> Lexicon:
    """The packaged patterns, cues and weights, loaded and compiled once."""
    tactics = _read("tactics.yaml")
    relationships = _read("relationships.yaml")
    risk = _read("risk.yaml")
    spellings = _read("normalise.yaml")
    macros = tactics.get("macros")
    if not isinstance(macros, dict):
        raise ChatDataError("tactics.yaml: 'macros' must be a mapping")
    macros = {str(k): str(v) for k, v in macros.items()}
    expanded = {k: _expand(v, macros, f"macro {k}") for k, v in macros.items()}
    versions = {
        tactics["version"],
        relationships["version"],
        risk["version"],
        spellings["version"],
    }
    advice = tactics.get("advice", [])
    if not isinstance(advice, list):
        raise ChatDataError("tactics.yaml: 'advice' must be a list of patterns")
    rules = _rules(tactics, expanded)
    return Lexicon(
        version="+".join(sorted(versions)),
        rules=rules,
        advice=tuple(
            _compile(a, expanded, f"tactics.yaml: advice {i}") for i, a in enumerate(advice)
        ),
        relationships=_relationships(relationships, expanded),
        risk=_risk(risk),
        spellings=_spellings(spellings),
        benign_secrecy=_benign_secrecy(tactics.get("benign_secrecy"), expanded, rules),
        index=RuleIndex(rules),
    )
