"""Scope rules: negation, hypotheticals and advice, other people, topics, reporting frames."""

from __future__ import annotations

import pytest

from lantern.text import extract_note


def codes(text: str, subject: str | None = None) -> set[str]:
    return {f.code for f in extract_note(text, subject).factors}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("She denies using drugs.", "substance_misuse"),
        (
            "No concerns about attendance; attendance 60% last year was due to illness.",
            "school_absence",
        ),
        ("He has never gone missing.", "going_missing"),
        ("There is no evidence of gifts or new phones.", "unexplained_gifts"),
        ("Nothing to suggest he is involved with a gang.", "gang_association"),
        # the trigger reaches past the clause's subject and verb
        (
            "No evidence that Mia has been in contact with the adult male named.",
            "older_associates",
        ),
    ],
)
def test_negation(text: str, code: str) -> None:
    assert code not in codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("If she goes missing again, call the police.", "going_missing"),
        ("Advised mum to watch for unexplained gifts such as a new phone.", "unexplained_gifts"),
        ("Mum worried he could be drawn into a gang.", "gang_association"),
    ],
)
def test_hypothetical_and_advice(text: str, code: str) -> None:
    assert code not in codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Her friend was given a new phone by an older boy.", "unexplained_gifts"),
        ("His brother is in a gang.", "gang_association"),
        ("Her cousin was sent messages by a man on TikTok.", "online_contact"),
    ],
)
def test_other_person(text: str, code: str) -> None:
    assert code not in codes(text)


def test_parent_drug_use_is_adverse_experience_not_substance_misuse() -> None:
    found = codes("Dan told me his dad's drug use is getting worse.", "Dan Reed")
    assert "adverse_experiences" in found
    assert "substance_misuse" not in found


def test_reporting_parent_is_not_another_person() -> None:
    assert "emotional_change" in codes("Mum says she has been very low and anxious.")
    assert "older_associates" in codes("Her friends told staff she is seeing a man aged 25.")


def test_topic_only() -> None:
    assert "online_contact" not in codes("We discussed online contact with strangers.")
    assert "criminal_exploitation" not in codes("Session on county lines and knife crime.")


def test_historic_facts_still_count() -> None:
    assert "going_missing" in codes("She went missing three times last year.")


def test_authorised_absence_is_not_school_absence() -> None:
    assert "school_absence" not in codes("Absent Monday, authorised: GP appointment.")


def test_since_ends_a_negation() -> None:
    # the "not" is about going missing, not about the placement that follows "since"
    found = codes("Owen has not been missing since his placement started.")
    assert "in_care" in found
    assert "going_missing" not in found


def test_negated_return_phrase_is_still_a_late_return() -> None:
    # "not" inside the phrase itself is the sign, not a negation of it
    assert "out_late_overnight" in codes("RP STATES DAUGHTER 14YRS NOT RETURNED HOME.")
    assert "out_late_overnight" not in codes("She has not come home late since the review.")


def test_withdrawn_from_family_is_isolation_not_mood() -> None:
    found = codes("He has become increasingly withdrawn from the family.")
    assert "isolation_from_family_friends" in found
    assert "emotional_change" not in found


def test_lower_case_i_starts_a_sentence_in_quoted_messages() -> None:
    # the "dont" of one message does not reach into the next
    text = "'i dont no if i should go. i havent told my carers about him.'"
    assert "secretive_behaviour" in codes(text)


def test_dont_no_typed_for_dont_know_is_not_a_negation() -> None:
    assert "secretive_behaviour" in codes("mum dont no where she goes she wont tell her mum")


def test_a_session_on_her_phone_is_not_a_topic() -> None:
    assert "online_contact" in codes("She spent the session on her phone chatting with a man.")
    assert "online_contact" not in codes("We ran a session on online chatting with strangers.")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a parent of one sex, then a pronoun of the other: the young person again
        ("dad rung up worried she has been out till 3am", "out_late_overnight"),
        ("mum phoned in a state he hasnt been at school all week", "school_absence"),
        # reporting verbs typed as people say them
        ("nan come in today she is hanging round with older lads", "older_associates"),
        ("mum text me worried she is smoking weed", "substance_misuse"),
    ],
)
def test_a_reporting_parent_without_stops_does_not_take_the_note(text: str, code: str) -> None:
    assert code in codes(text)


def test_the_parent_is_still_the_doer_of_their_own_statement() -> None:
    # dad's drinking stays dad's, and a lift from dad is family, not an adult's
    assert "substance_misuse" not in codes("Dad drinks heavily at weekends.")
    assert "transported_by_adults" not in codes("Dad picks her up from the station in his car.")
    # mum's partner, of either sex, is the doer whatever pronoun follows
    assert "substance_misuse" not in codes("Mum's partner is smoking cannabis in the house.")


def test_and_with_a_new_subject_ends_a_negation() -> None:
    assert "family_conflict" in codes("Dad doesn't listen and they are rowing constantly.")
    assert "substance_misuse" not in codes("She has not been smoking cannabis.")


def test_talking_about_her_own_people_is_a_disclosure_not_a_topic() -> None:
    assert "older_associates" in codes("She talked about her boyfriend 'Jonno' who is 25.")
    assert "older_associates" not in codes("We discussed older boyfriends and grooming.")


def test_a_relations_partner_is_the_associate() -> None:
    # the sister's boyfriend is the young person's own older contact
    assert "older_associates" in codes("Her sister's boyfriend (25) has been messaging her.")


def test_a_parent_after_a_preposition_is_not_the_doer() -> None:
    text = "She is hostile towards her and her stepfather and comes home after midnight."
    assert {"family_conflict", "out_late_overnight"} <= codes(text)
    # but a parent as the subject is still the doer
    assert "out_late_overnight" not in codes("Her stepfather comes home after midnight.")


def test_an_initial_does_not_end_a_sentence() -> None:
    from lantern.text.segment import split_sentences

    assert split_sentences("The tenant is Mr D. Kane, 38. He has a car.").starts == (0, 30)
    assert "older_associates" in codes("The flat is let to Mr D. Kane, 38, who lets her stay.")


def test_a_dislike_is_not_a_denial() -> None:
    assert "in_care" in codes("She doesn't like living at the home and misses her mum.")


def test_a_suspicion_about_now_counts_but_a_possible_future_does_not() -> None:
    assert "substance_misuse" in codes("Staff think she might be using cannabis.")
    assert "criminal_exploitation" in codes("Mum thinks he could be selling drugs for others.")
    assert "going_missing" not in codes("She might go missing again.")
    assert "older_associates" not in codes("She could be targeted by older men.")


def test_refusing_to_say_who_does_not_deny_the_event() -> None:
    assert "threats_or_violence" in codes("She won't say who hit her.")
    assert "threats_or_violence" not in codes("She was not hit by anyone.")


def test_a_parent_with_a_relative_clause_is_the_doer_again() -> None:
    text = "Owen lives with his mother, who has alcohol misuse problems."
    assert "substance_misuse" not in codes(text)
    assert "adverse_experiences" in codes(text)
