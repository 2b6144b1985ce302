"""Scope rules: is a matched phrase asserted of the young person, or negated, hypothetical,
only a topic, or said of someone else? In the spirit of NegEx/ConText, for social-care notes.

Experiencer rules are written for social-care notes, where most statements are
reported by someone else ("mum says she..."): a parent is another person only
when they are the doer, never when they are the reporter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lantern.text.hints import Gated
from lantern.text.lexicon import Experiencer
from lantern.text.resources import compile_pattern, load_yaml

_WORD = re.compile(r"[\w'’-]+")
#: The first word of a phrase and the space after it; or its first two, when they are a
#: two-word terminator ("won't go out | in case they see him": the fear is not negated).
_FIRST_WORD = re.compile(r"(?:in\s+case|so\s+that|\w+)\s", re.IGNORECASE)
# Statements end at these for the hypothetical, topic and other-person rules: a
# semicolon or colon usually starts a new statement in a note.
_STRONG_STOP = Gated.of(re.compile(r"[;:]|\s[-–—]\s|\bbut\b", re.IGNORECASE))
# "it was just a mate's cousin": a relation named as a predicate is not the doer.
_PREDICATE = re.compile(
    r"\b(?:is|was|were|are|be|been)\s+['‘]?(?:just\s+)?(?:a\s+)?$", re.IGNORECASE
)
# A named person is the doer only in subject position: at the start of a statement
# or after a conjunction, and not as a possessive ("at Smudge's flat").
_SUBJECT_BEFORE = re.compile(
    r"(?:^|[.,;:]\s*|\b(?:and|but|that|then|says|said)\s+)['‘\"“]?$", re.IGNORECASE
)
_POSSESSIVE_AFTER = re.compile(r"^['’]s?\b")
# "staying with a mate's cousin in his 20s": a relation after "with" or "by" is the other
# party of a relationship sign, not its doer, so the sign is still the young person's,
# when the sign describes that relation itself: near it, with no clause of its own between.
_OBJECT_BEFORE = re.compile(
    r"\b(?:with|by)\s+['‘\"“]?(?:(?:an?|the|her|his|their)\s+)?$", re.IGNORECASE
)
_OWN_CLAUSE = re.compile(
    r"\b(?:who|which|that|and|but|said|says|is|was|are|were|has|had|have)\b", re.IGNORECASE
)
#: How far (in characters) after such a relation its description may reach: a name
#: and a cue ("' called Zak "), not a clause.
_OBJECT_REACH = 30
# "hostile towards her and her stepfather": a parent after a preposition is not the doer
# ("by" is left out: "given cannabis by her dad" has dad as the doer).
_PARENT_AS_OBJECT = re.compile(
    r"\b(?:towards?|to|with|at|against|about|of|from|for)\s+(?:\S+\s+)?(?:and\s+)?"
    r"(?:(?:her|his|their|\w+'s)\s+)?$",
    re.IGNORECASE,
)
_WHO_AFTER = re.compile(r",?\s+(?:who|whose)\b", re.IGNORECASE)
# "arguments between him and his mum": a parent in a "between" pair is not the sole doer.
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+(?:\S+\s+){1,2}(?:and\s+)?$", re.IGNORECASE)


# A relation or parent of one sex, then a pronoun of the other: in "mum rung worried he has
# been out all night" (typed without stops) the statement is back with the young person.
_FEMALE_KIN = re.compile(
    r"\b(?:mum|mom|mother|nan|nana|nanna|gran|granny|grandma|grandmother|step-?mum|step mum"
    r"|stepmother|aunt|auntie|sisters?|girlfriend)\b",
    re.IGNORECASE,
)
_MALE_KIN = re.compile(
    r"\b(?:dad|father|step-?dad|step dad|stepfather|grandad|grandpa|grandfather|uncle"
    r"|brothers?|boyfriend)\b",
    re.IGNORECASE,
)
_HE = re.compile(r"\b(?:he|he['’]s|hes|him|his|himself)\b", re.IGNORECASE)
_SHE = re.compile(r"\b(?:she|she['’]s|shes|her|hers|herself)\b", re.IGNORECASE)
_HE_SUBJECT = re.compile(r"\b(?:he|he['’]s|hes)\b", re.IGNORECASE)
_SHE_SUBJECT = re.compile(r"\b(?:she|she['’]s|shes)\b", re.IGNORECASE)


def _other_gender(trigger: str, after: str, subject_only: bool) -> bool:
    """Whether `after` holds a pronoun of the other sex than the relation in `trigger`
    (with `subject_only`, only as a subject: in "dad picks her up" she is the object)."""
    # "mum's partner": the partner is the doer, of either sex
    if re.search(r"\bpartner\b", trigger, re.IGNORECASE):
        return False
    trigger = re.sub(r"^.*['’]s\s+(?=\w)", "", trigger)  # "mum's boyfriend" -> "boyfriend"
    if _MALE_KIN.search(trigger):
        return bool((_SHE_SUBJECT if subject_only else _SHE).search(after))
    if _FEMALE_KIN.search(trigger):
        return bool((_HE_SUBJECT if subject_only else _HE).search(after))
    return False


@dataclass(frozen=True, slots=True)
class ScopeRules:
    """The compiled triggers of `data/scope.yaml`."""

    terminators: Gated
    negation: Gated
    pseudo: Gated
    negation_post: Gated
    negation_window: int
    hypothetical: Gated
    hypothetical_post: Gated
    hypothetical_window: int
    topic: Gated
    topic_window: int
    relations: Gated
    parents: Gated
    resets: Gated
    other_post: Gated


# Each trigger list is searched only in text that holds one of its literal hints:
# most clauses hold no trigger at all, and a hint check is far cheaper than a search.
def _any(patterns: list[str]) -> Gated:
    return Gated.of(compile_pattern("|".join(f"(?:{p})" for p in patterns)))


@lru_cache(maxsize=1)
def rules() -> ScopeRules:
    """Scope rules read once from the package data."""
    d = load_yaml("scope.yaml")
    neg, hyp, top, oth = d["negation"], d["hypothetical"], d["topic"], d["other_person"]
    return ScopeRules(
        terminators=Gated.of(compile_pattern(d["terminators"])),
        negation=_any(neg["pre"]),
        pseudo=_any(neg["pseudo"]),
        negation_post=_any(neg["post"]),
        negation_window=int(neg["window_words"]),
        hypothetical=_any(hyp["pre"]),
        hypothetical_post=_any(hyp["post"]),
        hypothetical_window=int(hyp["window_words"]),
        topic=_any(top["pre"]),
        topic_window=int(top["window_words"]),
        relations=_any(oth["relations"]),
        parents=_any(oth["parents"]),
        resets=_any(oth["resets"]),
        other_post=_any(oth["post"]),
    )


@lru_cache(maxsize=16)  # each match's scope checks ask three times of the same prefix
def _after_last(stop: Gated, text: str) -> int:
    """Offset in `text` just after the last match of `stop` (0 if none)."""
    end = 0
    for m in stop.finditer(text):
        end = m.end()
    return end


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _triggered(trigger: Gated, prefix: str, window: int, pseudo: Gated | None) -> bool:
    """Whether a trigger in `prefix` stands within `window` words of its end."""
    blocked = [m.span() for m in pseudo.finditer(prefix)] if pseudo else []
    for m in trigger.finditer(prefix):
        if any(s <= m.start() < e for s, e in blocked):
            continue
        if _words(prefix[m.end() :]) <= window:
            return True
    return False


def negated(text: str, sentence: tuple[int, int], start: int, end: int) -> bool:
    """A negation trigger before the phrase in its clause, or a negating word just after."""
    r = rules()
    # The phrase's own first word may complete a terminator: in "did not return and |was
    # reported missing" the match begins at "was", yet "and was" ends the negation.
    head = _FIRST_WORD.match(text, start, end)
    probe = text[sentence[0] : head.end() if head else start]
    cut = min(_after_last(r.terminators, probe), start - sentence[0])
    prefix = text[sentence[0] + cut : start]
    if _triggered(r.negation, prefix, r.negation_window, r.pseudo):
        return True
    return bool(r.negation_post.search(text[end : sentence[1]]))


def hypothetical(text: str, sentence: tuple[int, int], start: int, end: int) -> bool:
    """Conditional, advice or watch-for wording governs the phrase."""
    r = rules()
    prefix = text[sentence[0] : start]
    prefix = prefix[_after_last(_STRONG_STOP, prefix) :]
    # the triggers may look past the prefix into the phrase ("might be | using cannabis"
    # is a suspicion now, "might | go missing" a hypothetical), so search both, and count
    # only triggers that start before the phrase
    ext = prefix + text[start:end]
    for m in r.hypothetical.finditer(ext):
        if m.start() >= len(prefix):
            break
        if _words(prefix[m.end() :]) <= r.hypothetical_window:
            return True
    return bool(r.hypothetical_post.search(text[end : sentence[1]]))


def topic_only(text: str, sentence: tuple[int, int], start: int) -> bool:
    """The phrase is only named as a subject of discussion or teaching."""
    r = rules()
    prefix = text[sentence[0] : start]
    prefix = prefix[_after_last(_STRONG_STOP, prefix) :]
    return _triggered(r.topic, prefix, r.topic_window, None)


def other_person(
    text: str,
    sentence: tuple[int, int],
    start: int,
    end: int,
    experiencer: Experiencer,
    others: re.Pattern[str] | None,
    subject: re.Pattern[str] | None,
) -> bool:
    """The phrase is said of someone other than the young person.

    `others` matches names of other people found in the note (used for factors
    about the young person alone); `subject` matches the young person's name,
    which brings the statement back to them.
    """
    if experiencer == "household":
        return False
    r = rules()
    if r.other_post.search(text[end : sentence[1]]):
        return True
    prefix = text[sentence[0] : start]
    prefix = prefix[_after_last(_STRONG_STOP, prefix) :]
    # (end of the latest trigger, whether resets count, the trigger's words)
    last: tuple[int, bool, str] | None = None
    for m in r.relations.finditer(prefix):
        before = prefix[: m.start()]
        if _PREDICATE.search(before):
            continue
        between = prefix[m.end() :]
        # "her sister's boyfriend (25)": the possessed person is the associate, not the relation
        if experiencer == "associate" and _POSSESSIVE_AFTER.match(between):
            continue
        if (
            experiencer == "associate"
            and _OBJECT_BEFORE.search(before)
            and len(between) <= _OBJECT_REACH
            and not _OWN_CLAUSE.search(between)
        ):
            continue
        if last is None or m.end() >= last[0]:
            last = (m.end(), True, m.group())
    # the parent's verb may be the first word of the match itself ("dad's drug use")
    for m in r.parents.finditer(prefix + text[start:end]):
        if m.start() >= len(prefix):
            break
        if _BETWEEN_BEFORE.search(prefix, 0, m.start()):
            continue
        # "with his mother, who drinks": a relative clause makes her the doer again
        if _PARENT_AS_OBJECT.search(prefix, 0, m.start()) and not _WHO_AFTER.match(
            prefix + text[start:end], m.end()
        ):
            continue
        # a parent as the doer of a relationship sign (a lift, a gift) is family,
        # whoever's name follows
        if last is None or m.end() > last[0]:
            last = (m.end(), experiencer != "associate", m.group())
    if others is not None and experiencer == "young_person":
        for m in others.finditer(prefix):
            if not _SUBJECT_BEFORE.search(prefix[: m.start()]) or _POSSESSIVE_AFTER.match(
                prefix[m.end() :]
            ):
                continue
            if last is None or m.end() > last[0]:
                last = (m.end(), True, m.group())
    if last is None:
        return False
    after = prefix[last[0] :] + text[start:end]
    if not last[1]:
        return not _other_gender(last[2], after, subject_only=True)
    if r.resets.search(after) or _other_gender(last[2], after, subject_only=False):
        return False
    return not (subject is not None and subject.search(after))
