"""Altair charts drawn from as-of frames, in one house theme."""

from __future__ import annotations

import altair as alt
import pandas as pd

US, CN = "United States", "China"
# A colour-blind-safe pair (blue / orange); each country always has its own colour.
COUNTRY_COLOURS = {US: "#0b5394", CN: "#b45f06"}
SIDE = {"US": f"{US} on goods from {CN}", "CN": f"{CN} on goods from the {US}"}
SIDE_COLOURS = {SIDE["US"]: COUNTRY_COLOURS[US], SIDE["CN"]: COUNTRY_COLOURS[CN]}
FONT = "DejaVu Sans, Helvetica Neue, Arial, sans-serif"
WIDTH = 640


@alt.theme.register("tradebrief", enable=True)
def theme() -> alt.theme.ThemeConfig:
    """Readable at print size: 11-13 px text, light grid, no chart border."""
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": 300},
            "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 12, "subtitleColor": "#4d4d4d"},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e3e3e3", "labelColor": "#1a1a1a",
                     "titleColor": "#1a1a1a"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "top", "labelLimit": 400},
            "text": {"fontSize": 11},
        }
    }


# Vector output for print, and no "..." actions menu (it fails accessibility checks and prints).
alt.renderers.set_embed_options(actions=False, renderer="svg")


def tariff_lines(steps: pd.DataFrame, as_of: pd.Timestamp, source_line: str) -> alt.Chart:
    """Across-the-board additional rate each side charges the other, as steps up to `as_of`.

    `steps`: columns date, side ('US' or 'CN'), rate_pct.
    """
    data = steps.assign(who=steps["side"].map(SIDE))
    return (
        alt.Chart(data, title=alt.Title(
            "Across-the-board additional tariff each side charges the other",
            subtitle=[f"Statutory rates on all goods, as known on {as_of.date()}. {source_line}"]))
        .mark_line(interpolate="step-after", strokeWidth=2.5)
        .encode(
            x=alt.X("date:T", title="Date", axis=alt.Axis(format="%b %Y")),
            y=alt.Y("rate_pct:Q", title="Additional tariff (%)"),
            color=alt.Color("who:N", title=None,
                            scale=alt.Scale(domain=list(SIDE_COLOURS), range=list(SIDE_COLOURS.values()))),
            tooltip=[alt.Tooltip("who:N", title="Side"), alt.Tooltip("date:T", title="From"),
                     alt.Tooltip("rate_pct:Q", title="Rate (%)")],
        )
        .properties(width=WIDTH, height=280)
    )
