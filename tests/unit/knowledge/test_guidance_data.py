"""The shipped guidance pages: required topics and numbers, seed points covered, nothing copied."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from lantern.knowledge import GuidancePage, Vocabulary

from .textcheck import contains, overlap, sentences, shared_run, words

SEED_POINTS = Path(__file__).with_name("seed_points.yaml")

#: The spec's rule: no run of this many words from a seed page may appear in Lantern's text.
VERBATIM_RUN = 8
#: Above this share of a seed sentence's three-word phrases repeated in one of our
#: sentences, ours reads as a close paraphrase rather than Lantern's own words.
PARAPHRASE_SHARE = 0.4
#: Seed sentences shorter than this are headings or list items ("Staying out late or
#: overnight"), which name the shared vocabulary and which our text may echo.
MIN_SEED_SENTENCE_WORDS = 7

#: Topics the guidance must cover: each is met when one page holds all its keywords.
TOPICS: dict[str, list[str]] = {
    "what CSE is: the exchange": ["exchange|in return|traded", "attention", "money", "gifts"],
    "what CSE is: online, no physical contact": ["online", "no physical contact"],
    "what CSE is: may not see themselves as a victim": ["see themselves as a victim"],
    "how: online": ["social media", "games"],
    "how: people they know": ["peers", "family friends", "positions of power"],
    "how: parties, gangs": ["parties", "gangs"],
    "how: grooming and coercion": ["grooming", "coercion"],
    "how: opportunist situations": ["opportunist|take advantage"],
    "how: moved between towns": ["towns", "avoid detection"],
    "who: any child, any background, boys too": ["boys", "background", "ethnicity"],
    "staying safe online": ["privacy", "block", "report"],
    "power imbalance": [
        "age",
        "gender",
        "intellect",
        "physical strength",
        "resources",
        "status",
    ],
    "never the young person's fault": ["never to blame|never the young person's fault"],
    "immediate danger": ["immediate danger", "999"],
    "children's social care front door or MASH": [
        "children's social care|children's services",
        "MASH",
    ],
    "police non-emergency": ["101"],
    "NSPCC helpline": ["NSPCC", "0808 800 5000"],
    "Childline for young people": ["Childline", "0800 1111"],
    "CEOP for online abuse": ["CEOP", "National Crime Agency", "online"],
}

#: Numbers the guidance may print: emergency and helpline services people need to reach.
#: Any other number must be from Ofcom's ranges reserved for fiction.
PUBLIC_NUMBERS = {"999", "101", "08088005000", "08001111", "0800555111"}
_DRAMA = re.compile(r"^(07700900\d{3}|01632960\d{3}|0(113|114|117|118|121|131|151|161)496\d{4})$")
_PHONE_LIKE = re.compile(r"(?<![\w.])(?:0\d[\d ]{7,12}\d|999|101)(?![\w.])")


def _load_points() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SEED_POINTS.read_text(encoding="utf-8"))
    return data


_POINTS = _load_points()


def _page(pages: tuple[GuidancePage, ...], slug: str) -> GuidancePage:
    return next(p for p in pages if p.slug == slug)


def _all_text(pages: tuple[GuidancePage, ...]) -> str:
    return "\n\n".join(f"{p.title}\n\n{p.summary}\n\n{p.body}" for p in pages)


def _vocabulary_text(vocab: Vocabulary) -> list[str]:
    texts = []
    for f in vocab.factors.values():
        texts += [f.title, f.description, f.why_it_matters, *f.in_practice, f.not_this or ""]
    for t in vocab.tactics.values():
        texts += [t.title, t.description, *t.examples]
    return [t for t in texts if t]


def test_pages_are_in_order_with_unique_slugs(pages: tuple[GuidancePage, ...]) -> None:
    assert [p.order for p in pages] == sorted(p.order for p in pages)
    assert len({p.slug for p in pages}) == len(pages)
    assert len(pages) >= 6


@pytest.mark.parametrize("topic", list(TOPICS))
def test_each_required_topic_is_covered_on_one_page(
    pages: tuple[GuidancePage, ...], topic: str
) -> None:
    keywords = TOPICS[topic]
    assert any(all(contains(p.body, k) for k in keywords) for p in pages), (
        f"no page covers {topic!r}: {keywords}"
    )


def test_signs_page_lists_every_sign_by_its_title(
    pages: tuple[GuidancePage, ...], vocab: Vocabulary
) -> None:
    body = _page(pages, "signs").body
    missing = [c for c in vocab.sign_codes if f"**{vocab.factor(c).title}**" not in body]
    assert not missing


def test_risk_page_lists_every_vulnerability_by_its_title(
    pages: tuple[GuidancePage, ...], vocab: Vocabulary
) -> None:
    body = _page(pages, "who-is-at-risk").body
    missing = [c for c in vocab.vulnerability_codes if f"**{vocab.factor(c).title}**" not in body]
    assert not missing


def test_internal_links_point_at_real_pages(pages: tuple[GuidancePage, ...]) -> None:
    slugs = {p.slug for p in pages}
    for page in pages:
        for target in re.findall(r"\]\(([^)]+)\)", page.body):
            assert target in slugs, f"{page.slug} links to {target!r}"


def test_only_public_helplines_or_fictional_numbers_appear(
    pages: tuple[GuidancePage, ...], vocab: Vocabulary
) -> None:
    text = "\n".join([_all_text(pages), *_vocabulary_text(vocab)])
    text += "\n".join(e.example_text for e in vocab.entity_types.values())
    for match in _PHONE_LIKE.finditer(text):
        digits = match.group(0).replace(" ", "")
        assert digits in PUBLIC_NUMBERS or _DRAMA.match(digits), match.group(0)


def test_seed_checklist_names_both_seed_pages(seeds_dir: Path) -> None:
    on_disk = {p.name for p in seeds_dir.glob("*.txt")}
    assert set(_POINTS["seeds"]) == on_disk
    assert {p["source"] for p in _POINTS["points"]} == on_disk
    ids = [p["id"] for p in _POINTS["points"]]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("point", _POINTS["points"], ids=lambda p: str(p["id"]))
def test_every_seed_point_is_covered_on_one_page(
    pages: tuple[GuidancePage, ...], point: dict[str, Any]
) -> None:
    keywords = point["keywords"]
    assert keywords
    assert any(all(contains(p.body, k) for k in keywords) for p in pages), (
        f"{point['id']} not covered ({point['point']}); keywords {keywords}"
    )


def _seed_texts(seeds_dir: Path) -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(seeds_dir.glob("*.txt"))]


def test_no_run_of_eight_seed_words_is_copied(
    seeds_dir: Path, pages: tuple[GuidancePage, ...], vocab: Vocabulary
) -> None:
    ours = [*(f"{p.title}\n{p.summary}\n{p.body}" for p in pages), *_vocabulary_text(vocab)]
    for name, seed in _seed_texts(seeds_dir):
        for text in ours:
            run = shared_run(seed, text, VERBATIM_RUN)
            assert run is None, f"copied from {name}: {' '.join(run or ())!r}"


def test_no_sentence_closely_paraphrases_a_seed_sentence(
    seeds_dir: Path, pages: tuple[GuidancePage, ...], vocab: Vocabulary
) -> None:
    ours = [s for p in pages for s in sentences(p.body)] + _vocabulary_text(vocab)
    for name, seed in _seed_texts(seeds_dir):
        for seed_sentence in sentences(seed):
            if len(words(seed_sentence)) < MIN_SEED_SENTENCE_WORDS:
                continue
            share, ours_sentence = overlap(seed_sentence, ours)
            assert share <= PARAPHRASE_SHARE, (
                f"too close to {name}: {seed_sentence!r} ~ {ours_sentence!r} ({share:.2f})"
            )


#: Common US spellings; Lantern writes UK English.
_US_SPELLINGS = re.compile(
    r"\b(behavior\w*|color\w*|center|organiz\w*|recogniz\w*|realiz\w*|sexualized"
    r"|program(?!me)|neighbor\w*|favor\w*|apologiz\w*|counselor)\b",
    re.IGNORECASE,
)


def test_uses_uk_spelling(pages: tuple[GuidancePage, ...], vocab: Vocabulary) -> None:
    text = "\n".join([_all_text(pages), *_vocabulary_text(vocab)])
    assert not _US_SPELLINGS.findall(text)


def test_summaries_are_short(pages: tuple[GuidancePage, ...]) -> None:
    # Summaries appear on index pages and in search results, so they stay to a sentence or two.
    assert all(len(p.summary.split()) <= 45 for p in pages)


@pytest.mark.parametrize("audience", ["young people", "parents and carers", "professional"])
def test_each_audience_has_its_own_section(pages: tuple[GuidancePage, ...], audience: str) -> None:
    headings = [
        line.lstrip("#").strip().lower()
        for p in pages
        for line in [p.title, *p.body.splitlines()]
        if line.startswith("#") or line == p.title
    ]
    assert any(audience in h for h in headings), f"no section addressed to {audience}"
