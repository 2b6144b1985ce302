"""Named people of concern in a note: adults, older associates and others who may link cases.

Names are found from the way notes introduce people: a cue ("a man called Teeks",
"known as 'Tommo'", "her friend Lola"), a quoted nickname, the police style
"Thomas REID", a name with an age ("Reece (16)"), a possessive ("Mia's mum"), an
aside ("a boy at another school, Kian, who..."). The young person, their family and
professionals are left out; a shorter mention of a name already found ("Reid"
after "Thomas REID") is not a second person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lantern.text.hints import hint_probe, pattern_hints
from lantern.text.model import EntityMention
from lantern.text.resources import load_yaml

_NAME = r"[A-Z][\w’'-]*"
_OPEN, _CLOSE = "['‘\"“]", "['’\"”]"
_TOKEN = re.compile(r"[A-Za-z][\w-]*")
# How far back a family word or a professional title may stand before a name.
_FAMILY_WINDOW = 25
# "a mate's cousin called Zak": a friend's relative is not the young person's family.
_OTHERS_KIN = re.compile(
    r"\b(?:mate|friend|pal|boyfriend|girlfriend|partner|bf|gf)(?:'s|’s|s'|s’) ?['‘\"“]?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Vocab:
    rules: tuple[re.Pattern[str], ...]
    #: per rule, a regex for its literal hints over the case-folded text (None: always run)
    rule_hints: tuple[re.Pattern[str] | None, ...]
    #: per rule, a cheap pattern that any text the rule matches also matches
    rule_needs: tuple[re.Pattern[str] | None, ...]
    family_before: re.Pattern[str]
    title_before: re.Pattern[str]
    role_around: re.Pattern[str]
    group_after: re.Pattern[str]
    not_names: frozenset[str]


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    p = load_yaml("entities.yaml")["person"]
    cue = p["cues"]
    name2 = f"(?-i:{_NAME}(?: {_NAME})?)"
    # an initial may stand before a quoted name: 'D. Walker'
    quoted = f"{_OPEN}(?P<n>(?-i:(?:[A-Z]\\. ?)?{_NAME}(?: {_NAME}){{0,2}})){_CLOSE}"
    rules = (
        # a cue, then a quoted or bare name
        # (a surname may follow the bare name: "a man called Jason Hurst")
        re.compile(f"(?:{cue}){_CLOSE}?,?\\s+(?:{quoted}|(?P<b>{name2}))", re.IGNORECASE),
        # a quoted nickname on its own
        re.compile(f"(?<![\\w’']){quoted}(?!\\w)"),
        # police style: Forename SURNAME
        re.compile(r"\b(?P<n>[A-Z][a-z][\w’'-]*(?:-[A-Z][a-z]+)? [A-Z]{2,}(?:-[A-Z]{2,})?)\b"),
        # a name with an age: "Reece (16)", "Gary Pickering, 58,"
        re.compile(f"\\b(?P<n>{name2}) \\((?:aged )?\\d{{1,2}}\\)"),
        re.compile(f"\\b(?P<n>{_NAME} {_NAME}), \\d{{1,2}}(?:,|\\)| ?yrs\\b)"),
        # a possessive that points at a person: "Mia's mum", "'Smudge's flat'", "Teeks' number"
        re.compile(
            f"{_OPEN}?\\b(?P<n>{_NAME})(?:'s|’s|'|’) "
            "(?:mum|dad|mother|father|flat|house|place|number|phone|mobile|car|account)\\b"
        ),
        # an aside after a person noun: "a boy at another school, Kian, who"
        # or an apposition with a surname and a verb: "The male, Imran Shah, was charged"
        re.compile(
            r"\b(?:boy|girl|man|woman|lad|male|female|friend|boyfriend|girlfriend|partner)\b"
            r"[^.;]{0,30}?, "
            f"(?P<n>{_NAME}(?: {_NAME})?), (?:\\d|[a-z]+\\b)"
        ),
        # a person noun straight before the name: "that lad Jordan Mills", "a man Dave"
        re.compile(
            r"\b(?:that|this|a|an|the|some) (?:lad|man|guy|bloke|male|boy|girl|woman|female|youth)"
            f" (?P<n>{_NAME}(?: {_NAME})?)\\b"
        ),
        # "with Rhianna from school"
        re.compile(
            f"\\bwith (?P<n>{_NAME}) from (?:school|college|class|the estate|work|the park)\\b"
        ),
    )
    return _Vocab(
        rules=rules,
        rule_hints=tuple(hint_probe(pattern_hints(r)) for r in rules),
        rule_needs=(
            None,
            None,
            re.compile(r"[A-Z]{2}"),  # a SURNAME
            re.compile(r"\((?:aged )?\d"),
            re.compile(r", \d{1,2}(?:,|\)| ?yrs\b)"),
            None,
            re.compile(r", [A-Z]"),
            re.compile(r"(?:lad|man|guy|bloke|male|boy|girl|woman|female|youth) [A-Z]"),
            None,
        ),
        family_before=re.compile(
            f"\\b{p['family']}\\W*(?:\\(\\s*)?(?:{_NAME}\\s+)?$", re.IGNORECASE
        ),
        title_before=re.compile(f"(?-i:\\b{p['titles']})\\.?\\s*(?:\\d+\\s*)?$"),
        role_around=re.compile(f"\\b{p['roles']}\\s*\\(\\s*$", re.IGNORECASE),
        group_after=re.compile(f"^{_CLOSE}?\\s+{p['group_words']}\\b", re.IGNORECASE),
        not_names=frozenset(str(w) for w in p["not_names"]),
    )


def _tokens(name: str) -> frozenset[str]:
    return frozenset(t.lower() for t in _TOKEN.findall(name.replace("’", "'")))


def _clean(name: str) -> str:
    name = name.strip()
    for suffix in ("'s", "’s", "'", "’"):
        name = name.removesuffix(suffix)
    return name


@lru_cache(maxsize=8)  # the note's own reading and the person finder both ask
def guess_subject(text: str) -> str | None:
    """The young person's name when the input does not give it: the capitalised word
    that most often starts a sentence. Used only to keep them out of `person`."""
    vocab = _vocab()
    counts: dict[str, int] = {}
    for m in re.finditer(r"(?:^|[.!?]\s+|\n)([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b", text):
        word = m.group(1)
        if word not in vocab.not_names:
            counts[word] = counts.get(word, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda w: (counts[w], -text.find(w)))
    return best if counts[best] >= 2 else None


def find_persons(text: str, subject: str | None = None) -> list[EntityMention]:
    """Named adults, older associates and other named people of concern in `text`.

    `subject` is the young person's name (any part of it is excluded); when it
    is not given it is guessed from the note.
    """
    vocab = _vocab()
    guessed = guess_subject(text)
    if subject is None:
        subject = guessed
    excluded = _tokens(subject) if subject else frozenset()
    first = subject.split()[0].rstrip(".") if subject and subject.split() else ""
    if len(first) == 1 and guessed and guessed[0].upper() == first.upper():
        # only an initial was given ("C Marsden"): the note's own usage says who "C" is
        excluded |= _tokens(guessed)
    candidates: list[tuple[int, int, str]] = []
    folded = text.casefold()
    for rule, hints, needs in zip(vocab.rules, vocab.rule_hints, vocab.rule_needs, strict=True):
        if (hints is not None and not hints.search(folded)) or (
            needs is not None and not needs.search(text)
        ):
            continue
        for m in rule.finditer(text):
            group = "n" if m.groupdict().get("n") else "b"
            if not m.groupdict().get(group):
                continue
            name = _clean(m.group(group))
            words = name.split()
            if group == "b" and len(words) == 2 and _not_surname(words[0], words[1], vocab):
                name = words[0]  # "called Rico Tuesday": a name, then an ordinary word
            start = m.start(group)
            end = start + len(name)
            if _keep(text, name, start, end, excluded, vocab):
                candidates.append((start, end, name))
    # longer names first, so "Reid" does not stand beside "Thomas REID"
    candidates.sort(key=lambda c: (-len(_tokens(c[2])), c[0]))
    kept: list[tuple[int, int, str]] = []
    for start, end, name in candidates:
        toks = _tokens(name)
        if any(toks <= _tokens(k[2]) for k in kept):
            continue
        kept.append((start, end, name))
    kept.sort()
    return [EntityMention("person", name, s, e) for s, e, name in kept]


def _not_surname(first: str, word: str, vocab: _Vocab) -> bool:
    # in text all in capitals ("CALLED ZAK IN HIS 20S") a second word may be anything
    shouting = first.isupper() and word.isupper()
    return shouting or word in vocab.not_names or bool(vocab.group_after.match(" " + word))


def _keep(
    text: str, name: str, start: int, end: int, excluded: frozenset[str], vocab: _Vocab
) -> bool:
    toks = _tokens(name)
    if not toks or toks & excluded:
        return False
    words = name.split()
    if "_" in name:
        return False  # a user name ('Dan_the_man'): the handle finder takes it
    if any(w in vocab.not_names for w in words) or len(name) < 2:
        return False
    before = text[max(0, start - _FAMILY_WINDOW) : start]
    if before.endswith(("'", "‘", '"', "“")):
        before = before[:-1]
    family = vocab.family_before.search(before)
    if family and not _OTHERS_KIN.search(before, 0, family.start()):
        return False
    if vocab.title_before.search(before):
        return False
    if vocab.role_around.search(before):
        return False
    return not vocab.group_after.search(text[end : end + 20])
