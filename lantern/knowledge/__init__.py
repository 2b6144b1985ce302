"""Lantern's knowledge base: the fixed vocabulary of factors and the public guidance, as data.

The words live in `data/vocabulary.yaml` and `data/guidance/*.md`; this package
loads and validates them. Other layers code against the names exported here.
"""

from lantern.knowledge.errors import KnowledgeError, UnknownCodeError
from lantern.knowledge.loader import load_guidance, load_vocabulary
from lantern.knowledge.models import Category, EntityType, Factor, GuidancePage, Tactic, Vocabulary

__all__ = [
    "Category",
    "EntityType",
    "Factor",
    "GuidancePage",
    "KnowledgeError",
    "Tactic",
    "UnknownCodeError",
    "Vocabulary",
    "load_guidance",
    "load_vocabulary",
]
