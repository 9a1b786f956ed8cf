"""Charts as server-rendered SVG geometry (the templates draw them; no JavaScript)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jamsos.core.dates import month_text
from jamsos.core.numbers import grouped


@dataclass
class TrendChart:
    width: int
    height: int
    line: str                          # polyline points
    area: str                          # closed path under the line
    ticks: list[tuple[str, str]]       # (y, label) of the horizontal grid
    months: list[tuple[str, str]]      # (x, label) along the bottom
    target_y: str | None
    last: tuple[str, str]              # the current month's point
    left: int
    right: int
    bottom: int


def month_label(month: dt.date) -> str:
    return month_text(month)


def trend_chart(points: list[tuple[dt.date, int]], target: int, *, width: int = 640,
                height: int = 260) -> TrendChart | None:
    """A line of people covered per month, scaled so the target is the 100 % grid line."""
    if not points:
        return None
    left, right, top, bottom = 56, width - 12, 12, height - 28
    top_value = max(target, max(v for _, v in points), 1)
    n = len(points)

    def x(i: int) -> float:
        return round(left + (right - left) * (i / (n - 1) if n > 1 else 0.5), 1)

    def y(v: int) -> float:
        return round(bottom - (bottom - top) * v / top_value, 1)

    def s(v: float) -> str:  # SVG coordinates are written unlocalised ("12.5", never "12,5")
        return f"{v:.1f}".rstrip("0").rstrip(".")

    line = " ".join(f"{s(x(i))},{s(y(v))}" for i, (_, v) in enumerate(points))
    area = f"M{s(x(0))},{bottom} L{line.replace(' ', ' L')} L{s(x(n - 1))},{bottom} Z"
    if target:
        ticks = [(s(y(target * p // 100)), f"{p} %") for p in (0, 25, 50, 75, 100)]
    else:
        ticks = [(s(y(top_value * p // 100)), grouped(top_value * p // 100))
                 for p in (0, 50, 100)]
    # January of each year, the first month and the last, without crowding.
    marks = [i for i, (m, _) in enumerate(points) if m.month == 1 or i in (0, n - 1)]
    months, last_x = [], -100.0
    for i in marks:
        if x(i) - last_x >= 70 or i == n - 1:
            if months and x(i) - last_x < 70:
                months.pop()
            months.append((s(x(i)), month_label(points[i][0])))
            last_x = x(i)
    return TrendChart(width, height, line, area, ticks, months,
                      s(y(target)) if target else None, (s(x(n - 1)), s(y(points[-1][1]))),
                      left, right, bottom)
