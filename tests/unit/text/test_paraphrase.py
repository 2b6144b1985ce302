"""Each factor's lexicon reaches wording the rules were not written from: one short sentence
per paraphrase (inflection, synonym, abbreviation, informal British wording, word order),
written for these tests in styles unlike the development notes; and ordinary, negated,
hypothetical or someone else's statements that must stay silent."""

from __future__ import annotations

import pytest

from lantern.text import extract_note

POSITIVE = [
    ("school_absence", "He has been truanting most afternoons."),
    ("school_absence", "She keeps bunking off maths."),
    ("school_absence", "Attendance is currently sitting at 62%."),
    ("school_absence", "He walked out of school at 11am without telling anyone."),
    ("school_absence", "Absent without explanation on 6 of the last 10 days."),
    ("school_absence", "School report she is regularly marked absent in the afternoons."),
    ("out_late_overnight", "She rolled in at 3am on Saturday."),
    ("out_late_overnight", "He stayed out all night on Friday and came back at lunchtime."),
    ("out_late_overnight", "Came home at ten past one in the morning."),
    ("out_late_overnight", "She has been staying out past her curfew most weekends."),
    ("out_late_overnight", "He wasn't home until gone midnight."),
    ("unexplained_gifts", "He has a new PS5 and says a mate gave it to him."),
    ("unexplained_gifts", "She came home with a designer handbag she could not explain."),
    ("unexplained_gifts", "Someone keeps topping up her phone."),
    ("unexplained_gifts", "He has been flashing cash around at school."),
    ("unexplained_gifts", "She has had her eyelashes done and says a friend paid."),
    ("substance_misuse", "He was caught smoking weed behind the sports hall."),
    ("substance_misuse", "She came back drunk and was sick in the hallway."),
    ("substance_misuse", "He admits to taking ket at weekends."),
    ("substance_misuse", "Staff could smell cannabis on her clothes."),
    ("substance_misuse", "She was found unconscious after drinking vodka in the park."),
    ("secretive_behaviour", "She won't let anyone see her phone."),
    ("secretive_behaviour", "He keeps his phone locked and snatches it away."),
    ("secretive_behaviour", "She has a phone we didn't buy her that she keeps hidden."),
    ("secretive_behaviour", "He is very cagey about where he goes after school."),
    ("secretive_behaviour", "She lied about staying at her friend's house."),
    ("older_associates", "She is in a relationship with a 22-year-old."),
    ("older_associates", "He hangs around with men much older than him."),
    ("older_associates", "Her boyfriend is an adult with his own flat and car."),
    ("older_associates", "She has been seen with a man in his thirties near the shops."),
    ("older_associates", "Her new friends are all over 18."),
    ("online_contact", "He has been chatting to an adult he met on Fortnite."),
    (
        "online_contact",
        "She has been receiving messages on Instagram from a man she does not know.",
    ),
    ("online_contact", "She met her boyfriend on Snapchat and has never met him in person."),
    ("online_contact", "A stranger added her on TikTok and has been sending her messages."),
    ("sexual_images", "She was pressured into sending nudes."),
    ("sexual_images", "A video of her is being passed around on Snapchat."),
    (
        "sexual_images",
        "He said he would share her pictures with her school if she did not meet him.",
    ),
    ("parties_unknown_addresses", "She goes to parties at a flat where older men are present."),
    ("parties_unknown_addresses", "He has been staying at addresses unknown to his mum."),
    ("parties_unknown_addresses", "Police found her at a house in Walsall with three adults."),
    ("gang_association", "He is known to associate with members of a local gang."),
    ("gang_association", "Police intelligence links him to the Northside gang."),
    ("transported_by_adults", "An older man picks her up from the end of the road in a red car."),
    ("transported_by_adults", "She was dropped back by a male driver in a grey van."),
    ("transported_by_adults", "He was found in Birmingham, 60 miles from home."),
    ("transported_by_adults", "A man gives her lifts to and from school."),
    ("isolation_from_family_friends", "She has cut herself off from her family."),
    ("isolation_from_family_friends", "He no longer sees his old friends from school."),
    ("isolation_from_family_friends", "She spends all her time in her room and avoids the family."),
    ("threats_or_violence", "She has bruises on her arms that she will not explain."),
    ("threats_or_violence", "He says he is scared of the lads he owes money to."),
    ("threats_or_violence", "She was threatened with a knife."),
    ("threats_or_violence", "He came home with a black eye."),
    ("sexual_health", "She has had a termination."),
    ("sexual_health", "Pregnancy test was positive."),
    ("sexual_health", "She was treated for gonorrhoea at the clinic."),
    ("emotional_change", "He has been very short-tempered lately."),
    ("emotional_change", "She is having panic attacks."),
    ("emotional_change", "His behaviour has changed a lot since September."),
    ("emotional_change", "She has been self-harming again."),
    ("homelessness", "He is staying with different friends each night."),
    ("homelessness", "The family are in temporary accommodation."),
    ("homelessness", "She has nowhere to stay."),
    ("going_missing", "She ran off from the children's home on Friday."),
    ("going_missing", "He has been reported missing four times this year."),
    ("going_missing", "She has gone missing again."),
    ("low_self_esteem", "She says she hates the way she looks."),
    ("low_self_esteem", "He has very low confidence."),
    ("additional_needs", "He has a learning disability."),
    ("additional_needs", "She has an EHCP."),
    ("additional_needs", "He is on the autistic spectrum."),
    ("in_care", "She is a looked after child placed with foster carers."),
    ("in_care", "He lives in a residential children's home."),
    ("bereavement_loss", "Her dad died last year."),
    ("bereavement_loss", "His mum has terminal cancer."),
    ("new_to_area", "They moved to the area six months ago."),
    ("new_to_area", "He started at the school in January having moved from London."),
    ("time_poor_family", "Mum works long hours and he is often left alone."),
    ("time_poor_family", "Both parents work full time and she is unsupervised after school."),
    ("criminal_exploitation", "He is suspected of being involved in county lines."),
    ("criminal_exploitation", "He has been made to hold drugs for older boys."),
    ("criminal_exploitation", "Found in a cuckooed address in Shrewsbury."),
    ("adverse_experiences", "There is a history of domestic abuse in the home."),
    ("adverse_experiences", "Her mum's partner hits her mum."),
    ("adverse_experiences", "She was sexually abused as a child."),
    ("family_conflict", "There is a lot of arguing at home."),
    ("family_conflict", "He was kicked out by his dad last week."),
    ("family_conflict", "She has fallen out with her mum and moved to her nan's."),
    (
        "sexualised_behaviour",
        "Staff report she talks about sex in a way that is not age-appropriate.",
    ),
    ("sexualised_behaviour", "He made explicit sexual gestures at girls in class."),
]

SILENT = [
    "Attendance is 96% and she is doing well.",
    "He was off school with tonsillitis for three days.",
    "She was home by 9pm every night this week.",
    "He got a new coat from his nan for his birthday.",
    "She denies using cannabis and there is no smell of alcohol.",
    "He lets his mum check his phone whenever she asks.",
    "Her brother is in a relationship with a 22-year-old.",
    "If she goes missing again, call the police.",
    "Discussed online safety and sharing images.",
    "He was assaulted by unknown males while walking home.",
    "She went to a birthday party with her family.",
    "Dad drives her to school every morning.",
    "She has a good relationship with her mum and sees her friends at weekends.",
    "He was calm and chatty in the session.",
    "Mum works part-time in the mornings and is home after school.",
    "The family has lived in the area for ten years.",
    "No concerns about his attendance, which is 98%.",
    "She has never been reported missing.",
    "Advised mum to look out for unexplained gifts or a second phone.",
    "Her friend has been sending pictures to an older boy.",
    "Staff discussed the risks of county lines with the group.",
    "The meeting was held at 10:30 in the school library.",
    "Grandad passed his driving test and picks her up from school.",
]

#: Of SILENT, the sentences whose wording is a factor for someone, and which factor is
#: expected there instead (an assault by strangers is violence, not an association).
ELSEWHERE = {"He was assaulted by unknown males while walking home.": {"threats_or_violence"}}


def _codes(text: str) -> set[str]:
    return {f.code for f in extract_note(text, "Sam Test").factors}


@pytest.mark.parametrize(("code", "sentence"), POSITIVE)
def test_paraphrase_is_found(code: str, sentence: str) -> None:
    assert code in _codes(sentence)


@pytest.mark.parametrize("sentence", SILENT)
def test_ordinary_negated_or_other_wording_stays_silent(sentence: str) -> None:
    assert _codes(sentence) == ELSEWHERE.get(sentence, set())


def test_every_factor_has_paraphrases() -> None:
    from lantern.text.lexicon import lexicons

    covered = {code for code, _ in POSITIVE}
    missing = {lex.code for lex in lexicons()} - covered
    assert not missing
