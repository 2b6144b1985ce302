"""The risk chart's geometry: higher levels are drawn higher, time runs left to right."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from lantern.web.chart import HEIGHT, WIDTH, risk_chart

TITLES = ["No apparent risk", "Emerging", "Moderate", "Significant", "Immediate"]
START = datetime(2026, 1, 1, tzinfo=UTC)


def test_no_assessments_no_chart() -> None:
    assert risk_chart([], TITLES) is None


def test_a_higher_level_is_drawn_higher_and_later_is_further_right() -> None:
    chart = risk_chart([(START, 1), (START + timedelta(days=30), 3)], TITLES)
    assert chart is not None
    first, second = chart.points
    assert second.x > first.x
    assert second.y < first.y  # SVG's y grows downwards
    assert chart.path.startswith(f"M{first.x},{first.y}")
    assert "Significant" in second.label


@given(st.lists(st.tuples(st.integers(0, 800), st.integers(-2, 9)), min_size=1, max_size=30))
def test_every_point_stays_inside_the_picture(raw: list[tuple[int, int]]) -> None:
    chart = risk_chart([(START + timedelta(days=d), r) for d, r in raw], TITLES)
    assert chart is not None
    for p in chart.points:
        assert 0 <= p.x <= WIDTH and 0 <= p.y <= HEIGHT
