"""What every Vega-Lite chart of Startklar shares: the look of text, axes and legends, and the
tooltip heading. Each feature's ``charts.py`` builds its specs with :data:`CONFIG`."""

from __future__ import annotations

from typing import Any

CONFIG: dict[str, Any] = {
    "font": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    "axis": {
        "labelFontSize": 12,
        "titleFontSize": 12,
        "titleFontWeight": "normal",
        "labelColor": "#495057",
        "titleColor": "#212529",
        "gridColor": "#e9ecef",
        "labelOverlap": True,  # hide every other label where they would touch
        "labelSeparation": 4,
    },
    "legend": {"labelFontSize": 12, "labelColor": "#212529"},
    "view": {"stroke": None},
    # The page describes the chart (role="img", aria-label, a table): no ARIA per mark.
    "aria": False,
}
# vega-tooltip shows the entry titled "title" as the tooltip's heading.
TOOLTIP_HEADING = "title"
