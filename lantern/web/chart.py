"""The risk-over-time chart: screening levels as points on an inline SVG, with no script.

Pure geometry: takes (date, rank) points and the level titles and returns the
coordinates the template draws. The page shows the same data as a table for
anyone who cannot see the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

__all__ = ["Chart", "ChartPoint", "risk_chart"]

#: Drawing area in SVG units; the picture scales to the page's width.
WIDTH = 640
HEIGHT = 240
#: Room on the left for the level names and at the bottom for the dates.
LEFT = 150
BOTTOM = 30
TOP = 12
RIGHT = 16


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: tuple[ChartPoint, ...]
    path: str
    levels: tuple[tuple[float, str], ...]  # y and title of each level's grid line
    first_label: str
    last_label: str
    axis_left: int
    axis_bottom: float


def risk_chart(points: Sequence[tuple[datetime, int]], level_titles: Sequence[str]) -> Chart | None:
    """The chart for assessments (when, rank), oldest first; None when there are none."""
    if not points or not level_titles:
        return None
    ordered = sorted(points, key=lambda p: p[0])
    top_rank = max(len(level_titles) - 1, 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    start, end = ordered[0][0], ordered[-1][0]
    span = (end - start).total_seconds()

    def x_of(moment: datetime) -> float:
        if span <= 0:
            return LEFT + plot_w / 2
        return round(LEFT + plot_w * (moment - start).total_seconds() / span, 1)

    def y_of(rank: int) -> float:
        clamped = min(max(rank, 0), top_rank)
        return round(TOP + plot_h * (1 - clamped / top_rank), 1)

    drawn = tuple(
        ChartPoint(
            x_of(when),
            y_of(rank),
            f"{when.day} {when:%B %Y}: {level_titles[min(max(rank, 0), len(level_titles) - 1)]}",
        )
        for when, rank in ordered
    )
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(drawn))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=drawn,
        path=path,
        levels=tuple((y_of(rank), title) for rank, title in enumerate(level_titles)),
        first_label=f"{start.day} {start:%b %Y}",
        last_label=f"{end.day} {end:%b %Y}",
        axis_left=LEFT,
        axis_bottom=TOP + plot_h,
    )
