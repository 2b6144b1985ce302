"""Shared helpers for the chat-analysis tests: building conversations and scoring them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lantern.text.chat import ChatAnalysis, Conversation, Message

OWN_CHATS = Path(__file__).parent / "data" / "chats_own.jsonl"


def conversation(child: str, *lines: tuple[str, str], cid: str = "t") -> Conversation:
    """A conversation from (speaker, text) pairs."""
    return Conversation(cid, child, tuple(Message(s, t) for s, t in lines))


def load_labelled(path: Path) -> list[dict[str, Any]]:
    """Labelled conversations in the shared data format (id, child, label, messages, tactics)."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def as_conversation(item: dict[str, Any]) -> Conversation:
    """A labelled item as the library's input."""
    messages = tuple(Message(m["speaker"], m["text"]) for m in item["messages"])
    return Conversation(item["id"], item["child"], messages)


def codes(result: ChatAnalysis) -> set[tuple[int, str]]:
    """The (message, code) pairs a result flags."""
    return {(t.message, t.code) for t in result.tactics}
