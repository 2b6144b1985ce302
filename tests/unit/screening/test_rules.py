"""The rules file: held to the vocabulary, and broken rule files rejected clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lantern.knowledge import load_vocabulary
from lantern.screening import RulesError, load_rules
from lantern.screening.rules import DEFAULT_RULES


def test_every_factor_has_exactly_one_weight() -> None:
    assert set(load_rules().factors) == set(load_vocabulary().factors)


def test_significant_signs_include_those_practice_treats_as_strong() -> None:
    significant = {c for c, r in load_rules().factors.items() if r.significant}
    assert {
        "going_missing",
        "older_associates",
        "transported_by_adults",
        "unexplained_gifts",
        "sexual_images",
        "sexual_health",
    } <= significant


def test_actions_use_uk_practice_terms() -> None:
    text = " ".join(a for lvl in load_rules().levels for a in lvl.actions).lower()
    for phrase in (
        "designated safeguarding lead",
        "children's social care",
        "mash",
        "same day",
        "strategy discussion",
        "early help",
        "multi-agency meeting",
        "re-screen within 3 months",
        "healthy relationships",
        "online safety",
    ):
        assert phrase in text, phrase


def _write(tmp_path: Path, change: dict[str, object]) -> Path:
    data = yaml.safe_load(DEFAULT_RULES.read_text())
    data.update(change)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_missing_weight_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_RULES.read_text())
    del data["factors"]["going_missing"]
    with pytest.raises(RulesError, match="going_missing"):
        load_rules(_write(tmp_path, {"factors": data["factors"]}))


def test_unknown_code_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_RULES.read_text())
    data["factors"]["wearing_hats"] = {"weight": 1, "why": "no"}
    with pytest.raises(RulesError, match="wearing_hats"):
        load_rules(_write(tmp_path, {"factors": data["factors"]}))


def test_single_sign_floor_must_require_action(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_RULES.read_text())
    data["floors"]["single_significant_sign"] = "emerging"
    with pytest.raises(RulesError, match="requiring action"):
        load_rules(_write(tmp_path, {"floors": data["floors"]}))


def test_older_band_may_not_outweigh_recent(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_RULES.read_text())
    data["time_bands"][1]["multiplier"] = 1.0
    data["time_bands"][0]["multiplier"] = 0.5
    with pytest.raises(RulesError, match="older time bands"):
        load_rules(_write(tmp_path, {"time_bands": data["time_bands"]}))


def test_top_level_must_start_with_999(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_RULES.read_text())
    data["levels"][-1]["actions"] = ["Tell someone."]
    with pytest.raises(RulesError, match="999"):
        load_rules(_write(tmp_path, {"levels": data["levels"]}))


def test_bad_yaml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("levels: [unclosed")
    with pytest.raises(RulesError, match="YAML"):
        load_rules(bad)
    with pytest.raises(RulesError, match="cannot read"):
        load_rules(tmp_path / "absent.yaml")
