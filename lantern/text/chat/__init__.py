"""Online grooming analysis: flags tactics message by message in a chat transcript.

`analyse` takes a `Conversation` and returns a `ChatAnalysis`: the tactics
(codes from the vocabulary's "Online grooming tactics") in messages sent to
the young person, a running risk computed causally, the conversation's score
and concern, and the earliest message at which the concern could be raised.
`parse_text_export` and `parse_csv` read real-world transcript shapes.
"""

from lantern.text.chat.analyse import analyse, analyse_many
from lantern.text.chat.imports import TranscriptError, parse_csv, parse_text_export
from lantern.text.chat.lexicon import TACTIC_CODES, ChatDataError, load_lexicon
from lantern.text.chat.model import ChatAnalysis, Conversation, Message, Reason, TacticHit

__all__ = [
    "TACTIC_CODES",
    "ChatAnalysis",
    "ChatDataError",
    "Conversation",
    "Message",
    "Reason",
    "TacticHit",
    "TranscriptError",
    "analyse",
    "analyse_many",
    "load_lexicon",
    "parse_csv",
    "parse_text_export",
]
