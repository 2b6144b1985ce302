"""The factor lexicons are held to the shared vocabulary and each one finds its factor."""

from __future__ import annotations

import re

import pytest

from lantern.text import extract_note
from lantern.text.lexicon import FactorLexicon, lexicons
from tests.paths import SHARED

FACTORS_MD = SHARED / "spec" / "factors.md"


def _vocabulary() -> set[str]:
    text = FACTORS_MD.read_text(encoding="utf-8")
    signs_and_vulns = text.split("## Signs")[1].split("## When a factor applies")[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", signs_and_vulns, re.MULTILINE))


@pytest.mark.skipif(not FACTORS_MD.exists(), reason="shared/ not beside the clone")
def test_one_lexicon_per_code_of_the_vocabulary() -> None:
    assert {lex.code for lex in lexicons()} == _vocabulary()


# One plain sentence per factor, in a style unlike the dev set, that must be found.
EXAMPLES = {
    "school_absence": "She has been truanting most afternoons this term.",
    "out_late_overnight": "He stayed out all night on Saturday and came back at 5am.",
    "unexplained_gifts": "She turned up with a new designer handbag she cannot explain.",
    "substance_misuse": "He was seen smoking cannabis behind the sports hall.",
    "secretive_behaviour": "She deletes her messages every night and has a second phone.",
    "sexualised_behaviour": "Staff noted sexualised language towards younger pupils.",
    "older_associates": "She is spending time with a man in his 30s from the estate.",
    "online_contact": "He has been chatting on Discord with people he does not know.",
    "sexual_images": "A man asked her to send photos of herself.",
    "parties_unknown_addresses": "She has been going to parties at a flat in town.",
    "gang_association": "He is believed to be part of the Eastside crew, linked to robberies.",
    "transported_by_adults": "She was dropped off by an unknown man in a red car.",
    "isolation_from_family_friends": "He has cut off contact with his old friends.",
    "threats_or_violence": "She has been threatened by older girls at the bus stop.",
    "sexual_health": "She disclosed that she is pregnant.",
    "emotional_change": "Her mood has been very low and she is self-harming.",
    "homelessness": "He has been sofa-surfing since October.",
    "going_missing": "She was reported missing by her carers on Friday.",
    "low_self_esteem": "She says she feels worthless.",
    "additional_needs": "He has ADHD and an EHCP.",
    "in_care": "She lives in a residential children's home.",
    "bereavement_loss": "His dad died last spring.",
    "new_to_area": "The family moved here from Glasgow in the summer.",
    "time_poor_family": "Mum works long hours and he is often home alone.",
    "criminal_exploitation": "Police believe he is involved in county lines.",
    "adverse_experiences": "She has witnessed domestic abuse at home.",
    "family_conflict": "There have been constant arguments at home with her mum.",
}


def test_every_code_has_an_example() -> None:
    assert set(EXAMPLES) == {lex.code for lex in lexicons()}


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_lexicon_finds_its_factor(code: str) -> None:
    text = EXAMPLES[code]
    found = {f.code: f for f in extract_note(text).factors}
    assert code in found, f"{code} not found in {text!r}"
    f = found[code]
    assert text[f.start : f.end] == f.evidence


@pytest.mark.parametrize("lex", lexicons(), ids=lambda lex: lex.code)
def test_every_pattern_has_hints_that_its_example_matches_hold(lex: FactorLexicon) -> None:
    # a pattern without hints would be tried in every sentence; a hint missing from
    # a match would mean the hint gate could hide it
    text = EXAMPLES[lex.code].casefold()
    for alternative, sets in zip(lex.alternatives, lex.hints, strict=True):
        assert sets, f"{alternative.pattern!r} has no hints"
        for m in alternative.finditer(text):
            for hints in sets:
                assert any(h in m.group() for h in hints), (alternative.pattern, m.group())


# Further wording for the rules added for other writers' habits (log capitals, speech,
# text-speak, letters), each in words not used by the held-out notes.
STYLE_EXAMPLES = [
    ("Her boyfriend is 'about 24', she thinks.", "older_associates"),
    ("Mum thinks the lad is thirty-something.", "older_associates"),
    ("Driver described as IC3 male, 30s.", "older_associates"),
    ("He said his olders would sort it.", "older_associates"),
    ("shes sayin hes 21 but he looks older", "older_associates"),
    ("She got in at 11.15pm and went straight upstairs.", "out_late_overnight"),
    ("He was found the following morning in the park.", "out_late_overnight"),
    ("Kayla has not returned home and her phone is off.", "out_late_overnight"),
    ("He was missing for two days over the weekend.", "going_missing"),
    ("Grazes on his hands which he refused to explain.", "threats_or_violence"),
    ("He has been told to work off the debt.", "threats_or_violence"),
    ("She puts her phone face down when staff come in.", "secretive_behaviour"),
    ("He told her never to tell her mum about him.", "secretive_behaviour"),
    ("He has been kipping on his cousin's sofa.", "homelessness"),
    ("She rides around in his car most evenings.", "transported_by_adults"),
    ("A van is ferrying kids between Leeds and Bradford.", "transported_by_adults"),
    ("Letters sent home about his poor attendance.", "school_absence"),
    ("Overheard talking about sex positions in the changing room.", "sexualised_behaviour"),
    ("She says she isn't good enough for anyone.", "low_self_esteem"),
    ("He started at the academy in September.", "new_to_area"),
    ("Her dad had a stroke in March and is still in hospital.", "bereavement_loss"),
    ("There was a massive row on Sunday and she left.", "family_conflict"),
    ("Her mood has been really down since Christmas.", "emotional_change"),
]


@pytest.mark.parametrize(("text", "code"), STYLE_EXAMPLES)
def test_other_styles(text: str, code: str) -> None:
    assert code in {f.code for f in extract_note(text).factors}, text
