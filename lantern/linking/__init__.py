"""Connecting the dots: record linkage of people across reports, and the network of links.

Pure library code over plain records (no database, no web): `link_people`
resolves records of adults into identities with a Splink model on DuckDB or
Spark; `propose_young_person_merges` proposes duplicate young-person records for
a person to confirm; `network` builds the graph of young people and the adults,
phones, vehicles, handles and places that connect them.
"""

from lantern.linking.engine import (
    MATCH_WEIGHT_THRESHOLD,
    BackendUnavailable,
    LevelExplanation,
    LinkResult,
    ScoredPair,
    link_people,
)
from lantern.linking.features import INPUT_COLUMNS, prepare_records
from lantern.linking.model import MODEL_VERSION
from lantern.linking.normalise import (
    normalise_handle,
    normalise_phone,
    normalise_plate,
    normalise_postcode,
)

__all__ = [
    "INPUT_COLUMNS",
    "MATCH_WEIGHT_THRESHOLD",
    "MODEL_VERSION",
    "BackendUnavailable",
    "LevelExplanation",
    "LinkResult",
    "ScoredPair",
    "link_people",
    "normalise_handle",
    "normalise_phone",
    "normalise_plate",
    "normalise_postcode",
    "prepare_records",
]
