"""SVG charts made at build time: readable without JavaScript, nothing loaded from elsewhere.

Geometry is computed here; the markup is the Jinja2 template ``charts/bars.svg.j2``.
"""
from __future__ import annotations

from dataclasses import dataclass

PALETTE = ["#b71c1c", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#4e342e", "#37474f",
           "#9e9d24", "#283593", "#00695c", "#5d4037"]


FONT_PX = 13  # .inno-chart font-size in the site's CSS


def _text_width(text: str) -> float:
    return sum(FONT_PX if ord(ch) > 0x2E80 else FONT_PX * 0.62 for ch in str(text))


@dataclass
class Bar:
    x: float
    width: float
    color: str
    value: int
    key: str


def bars(env, chart_id: str, title: str, rows: list[tuple[str, list[tuple[str, int]]]],
         keys: list[str] | None = None, unit: str = "") -> str:
    """A horizontal (stacked) bar chart. ``rows``: (label, [(segment key, value), ...])."""
    keys = keys or sorted({k for _, segs in rows for k, _ in segs})
    colors = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(keys)}
    # the label column is as wide as the longest label at the chart's 13 px text (a CJK character is 1 em,
    # other characters about 0.62 em), so a long unit name is never cut off on the left
    longest = max([_text_width(label) for label, _ in rows] + [40])
    label_w, bar_w, row_h, top = round(longest + 14), 230, 26, 8
    total_max = max([sum(v for _, v in segs) for _, segs in rows] + [1])
    out_rows = []
    for i, (label, segs) in enumerate(rows):
        x: float = label_w
        parts = []
        for k, v in segs:
            if v <= 0:
                continue
            w = bar_w * v / total_max
            parts.append(Bar(round(x, 2), round(w, 2), colors[k], v, k))
            x += w
        out_rows.append({"label": label, "y": top + i * row_h, "bars": parts, "total": sum(v for _, v in segs),
                         "end": round(x, 2)})
    legend = [{"key": k, "color": colors[k]} for k in keys] if len(keys) > 1 else []
    legend_rows = (len(legend) + 2) // 3
    height = top + len(rows) * row_h + (legend_rows * 20 + 10 if legend else 0) + 4
    col_w = 135
    legend_pos = [{"key": item["key"], "color": item["color"], "x": (i % 3) * col_w, "y": top + len(rows) * row_h + 10
                   + (i // 3) * 20} for i, item in enumerate(legend)]
    return env.get_template("charts/bars.svg.j2").render(
        id=chart_id, title=title, rows=out_rows, legend=legend_pos,
        width=max(label_w + bar_w + 60, 3 * col_w + 10 if legend else 0), height=height,
        label_w=label_w, row_h=row_h, unit=unit)
