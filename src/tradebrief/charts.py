"""Altair charts drawn from as-of frames, in one house theme."""

from __future__ import annotations

import hashlib
import json

import altair as alt
import pandas as pd
from altair.utils.display import HTMLRenderer
from altair.utils.mimebundle import spec_to_mimebundle
from altair.vegalite.v6 import display

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
                     "titleColor": "#1a1a1a", "labelOverlap": "greedy", "labelSeparation": 6},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "top", "labelLimit": 400},
            "text": {"fontSize": 11},
        }
    }


class _ScriptSafeJSON(json.JSONEncoder):
    """JSON that cannot end the <script> it is embedded in: '<', '>' and '&' as \\u escapes.
    A '</script>' in the data would otherwise close the chart's script and turn the rest of the
    spec into markup."""

    def encode(self, o) -> str:
        return super().encode(o).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# The two forms of every chart a notebook displays: the page's own HTML, which only our nbconvert
# template renders (render.py), and the spec under the Vega-Lite 5 mime type, which JupyterLab's
# built-in renderer draws offline (it knows no Vega-Lite 6 type; these specs draw the same under
# Vega-Lite 5, a test checks). JupyterLab ranks text/html above Vega, so the HTML form must not be
# text/html: there its script would fetch Vega from a CDN.
PAGE_MIME = "application/vnd.tradebrief.chart+html"
LAB_MIME = "application/vnd.vegalite.v5+json"


class _StableHTMLRenderer(HTMLRenderer):
    """Altair's HTML renderer with chart divs named by their content, not by a random UUID, so
    that two runs of a notebook give the same page; the spec is embedded script-safe."""

    def __init__(self):
        super().__init__(mode="vega-lite", template="universal", vega_version=display.VEGA_VERSION,
                         vegaembed_version=display.VEGAEMBED_VERSION, vegalite_version=display.VEGALITE_VERSION,
                         json_kwds={"cls": _ScriptSafeJSON})

    def __call__(self, spec: dict, **metadata) -> tuple[dict, dict]:
        # Named by content: the same chart gets the same id in any run, on any kernel.
        digest = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()[:16]
        kwargs = {**self.kwargs, **metadata, "output_div": f"tradebrief-chart-{digest}"}
        page = spec_to_mimebundle(spec, format="html", **kwargs)["text/html"]
        title = spec.get("title", {})
        text = title.get("text", "") if isinstance(title, dict) else str(title)
        bundle = {PAGE_MIME: page, LAB_MIME: spec, "text/plain": f"Chart: {text}"}
        return bundle, {LAB_MIME: {"embed_options": kwargs.get("embed_options", {})}}


alt.renderers.register("tradebrief", _StableHTMLRenderer())
alt.renderers.enable("tradebrief")
# Vector output for print, and no "..." actions menu (it fails accessibility checks and prints).
alt.renderers.set_embed_options(actions=False, renderer="svg")


def time_axis(start: pd.Timestamp, end: pd.Timestamp, title: str = "Date") -> alt.Axis:
    """Year ticks over long spans, Altair's own month/day ticks over short ones."""
    if (pd.Timestamp(end) - pd.Timestamp(start)).days > 3 * 365:
        return alt.Axis(title=title, format="%Y", tickCount={"interval": "year", "step": 1})
    return alt.Axis(title=title)


def tariff_lines(path: pd.DataFrame, as_of: pd.Timestamp, source_line: str, height: int = 280,
                 points: pd.DataFrame | None = None) -> alt.Chart:
    """Across-the-board additional rate each side charges the other, as steps; changes already
    scheduled after `as_of` dashed. `path`: asof.rate_path rows of both sides; `points`:
    asof.turning_points rows, each drawn as a labelled rule."""
    data = path.assign(who=path["side"].map(SIDE))
    lines = (
        alt.Chart(data)
        .mark_line(interpolate="step-after", strokeWidth=2.5)
        .encode(
            x=alt.X("date:T", axis=time_axis(data["date"].min(), data["date"].max())),
            y=alt.Y("rate_pct:Q", title="Additional tariff (%)"),
            color=alt.Color("who:N", title=None,
                            scale=alt.Scale(domain=list(SIDE_COLOURS), range=list(SIDE_COLOURS.values()))),
            strokeDash=alt.StrokeDash("phase:N", title=None,
                                      scale=alt.Scale(domain=["in force", "scheduled"], range=[[1, 0], [6, 4]])),
            detail="phase:N",
            tooltip=[alt.Tooltip("who:N", title="Side"), alt.Tooltip("date:T", title="From"),
                     alt.Tooltip("rate_pct:Q", title="Rate (%)"), alt.Tooltip("phase:N", title="Status")],
        )
    )
    today = alt.Chart(pd.DataFrame({"date": [as_of], "label": [f"as of {as_of.date()}"]})).encode(x="date:T")
    marker = today.mark_rule(color="#4d4d4d", strokeDash=[2, 2]) + today.mark_text(
        align="left", dx=4, dy=-6, baseline="bottom", color="#4d4d4d").encode(y=alt.value(0), text="label:N")
    layers = [lines, marker]
    if points is not None and len(points):
        layers.append(_turning_points(points, data["date"].min(), data["date"].max()))
    return alt.layer(*layers).properties(
        width=WIDTH, height=height,
        title=alt.Title("Across-the-board additional tariff each side charges the other",
                        subtitle=[f"Statutory rates on all goods, as known on {as_of.date()}; dashed: already scheduled. {source_line}"]))


def _turning_points(points: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> alt.LayerChart:
    """A thin rule at each turning point, its label on a line of its own from the top down (so that
    close dates do not overwrite each other), running away from the nearer edge."""
    middle = start + (end - start) / 2
    data = points.assign(y=[6 + 14 * i for i in range(len(points))],
                         side=["right" if d > middle else "left" for d in points["date"]])
    base = alt.Chart(data).encode(x="date:T", tooltip=[alt.Tooltip("label:N", title="Turning point"),
                                                       alt.Tooltip("date:T", title="Took effect")])
    rule = base.mark_rule(color="#7f7f7f", strokeWidth=1, strokeDash=[1, 2])
    labels = [base.transform_filter(alt.datum.side == side)
              .mark_text(align=side, dx=3 if side == "left" else -3, baseline="top", color="#1a1a1a", fontSize=11)
              .encode(y=alt.Y("y:Q", scale=None, axis=None), text="label:N")
              for side in ("left", "right")]
    return alt.layer(rule, *labels)


# Okabe-Ito colours: distinguishable with the common forms of colour blindness.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
TIKTOK_TYPES = {"law": "Law", "executive_order": "Executive order", "court": "Court",
                "deal": "Deal", "deadline": "Deadline", "talks": "Talks and reviews"}
CHAIN_LABELS = {"pafaca": "Divest-or-ban law (2024)", "eo13942": "EO 13942 (2020)",
                "cfius2020": "CFIUS divestment order (2020)"}


def tiktok_milestones(events: pd.DataFrame, as_of: pd.Timestamp, source_line: str) -> alt.Chart:
    """Every milestone on a timeline, one row per type. `events`: the known tiktok table."""
    data = events.assign(kind=events["type"].map(TIKTOK_TYPES))[["date", "kind", "instrument", "event", "source"]]
    order = list(TIKTOK_TYPES.values())
    return (
        alt.Chart(data, title=alt.Title("TikTok's US regulatory path: milestones by type",
                                         subtitle=[f"As known on {as_of.date()}. {source_line}"]))
        .mark_circle(size=90, opacity=0.85)
        .encode(
            x=alt.X("date:T", axis=time_axis(data["date"].min(), data["date"].max())),
            y=alt.Y("kind:N", title=None, sort=order),
            color=alt.Color("kind:N", title="Type", sort=order, legend=None,
                            scale=alt.Scale(domain=order, range=OKABE_ITO[:len(order)])),
            tooltip=[alt.Tooltip("date:T", title="Date"), alt.Tooltip("kind:N", title="Type"),
                     alt.Tooltip("instrument:N", title="Instrument"), alt.Tooltip("event:N", title="Event"),
                     alt.Tooltip("source:N", title="Source ids")],
        )
        .properties(width=WIDTH, height=220)
    )


def deadline_ladder(ladder: pd.DataFrame, as_of: pd.Timestamp, source_line: str, row: int = 26) -> alt.Chart:
    """Each deadline drawn from the day it was set to the date it set. `ladder`: asof.deadline_ladder rows."""
    steps = ladder[ladder["action"] == "set"].copy()
    steps["chain_label"] = steps["chain"].map(CHAIN_LABELS)
    # A short name on the axis (the instrument before any parenthesis) and the date, so no label is
    # cut; the full instrument is in the tooltip and the chart's data table.
    short = steps["instrument"].fillna("").str.split(" (", regex=False).str[0]
    steps["step"] = short + " (" + steps["set_on"].dt.strftime("%Y-%m-%d") + ")"
    order = list(steps.sort_values("set_on")["step"])
    chains = [label for key, label in CHAIN_LABELS.items() if key in set(steps["chain"])]
    base = alt.Chart(steps).encode(
        y=alt.Y("step:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)),
        color=alt.Color("chain_label:N", title="Deadline chain",
                        scale=alt.Scale(domain=chains, range=OKABE_ITO[:len(chains)])),
        tooltip=[alt.Tooltip("instrument:N", title="Set by"), alt.Tooltip("set_on:T", title="Set on"),
                 alt.Tooltip("deadline:T", title="Deadline"), alt.Tooltip("replaced:T", title="Replaced"),
                 alt.Tooltip("event:N", title="Event")],
    )
    rule = base.mark_rule(strokeWidth=3).encode(x=alt.X("set_on:T", axis=time_axis(steps["set_on"].min(), steps["deadline"].max())),
                                                x2="deadline:T")
    end = base.mark_point(shape="triangle-right", size=80, filled=True).encode(x="deadline:T")
    start = base.mark_tick(thickness=2, size=12).encode(x="set_on:T")
    return (rule + start + end).properties(
        width=WIDTH, height=max(4 * row, row * len(steps)),
        title=alt.Title("Enforcement deadlines: each step from the day it was set to the date it set",
                        subtitle=[f"As known on {as_of.date()}. {source_line}"]))


TALK_KINDS = {"round": "Negotiating round", "leaders_meeting": "Leaders' meeting",
              "leaders_call": "Leaders' call", "ministerial_call": "Ministerial call", "visit": "Visit"}


def talks_timeline(talks: pd.DataFrame, as_of: pd.Timestamp, source_line: str, height: int = 200) -> alt.Chart:
    """Every meeting and call on a timeline, coloured by format. `talks`: the known talks table."""
    data = talks.assign(kind_label=talks["kind"].map(TALK_KINDS),
                        where=talks["place"].fillna("").replace("", "(call)"))
    data = data[["start", "end", "title", "kind_label", "where", "us_leads", "china_leads", "outcome", "source"]]
    order = list(TALK_KINDS.values())
    return (
        alt.Chart(data, title=alt.Title("US–China trade talks: meetings and calls",
                                         subtitle=[f"As known on {as_of.date()}. {source_line}"]))
        .mark_point(filled=True, size=110 if height >= 200 else 60, opacity=0.9)
        .encode(
            x=alt.X("start:T", axis=time_axis(data["start"].min(), data["start"].max())),
            y=alt.Y("kind_label:N", title=None, sort=order),
            color=alt.Color("kind_label:N", title="Format", sort=order, legend=None,
                            scale=alt.Scale(domain=order, range=OKABE_ITO[:len(order)])),
            shape=alt.Shape("kind_label:N", sort=order, legend=None),
            tooltip=[alt.Tooltip("title:N", title="Meeting"), alt.Tooltip("start:T", title="Start"),
                     alt.Tooltip("end:T", title="End"), alt.Tooltip("where:N", title="Place"),
                     alt.Tooltip("us_leads:N", title="US leads"), alt.Tooltip("china_leads:N", title="China leads"),
                     alt.Tooltip("outcome:N", title="Outcome"), alt.Tooltip("source:N", title="Source ids")],
        )
        .properties(width=WIDTH, height=height)
    )


def tariff_layers(layers: pd.DataFrame, imposer: str, as_of: pd.Timestamp, source_line: str) -> alt.Chart:
    """One side's across-the-board rate stacked by legal basis, as steps.

    `layers`: columns date, legal_basis, rate_pct (asof.rate_steps).
    """
    who = SIDE[imposer]
    bases = list(dict.fromkeys(layers.sort_values("date")["legal_basis"]))
    return (
        alt.Chart(layers, title=alt.Title(f"{who}: additional tariff by legal basis",
                                          subtitle=[f"Across-the-board layers, stacked; as known on {as_of.date()}. {source_line}"]))
        .mark_area(interpolate="step-after", opacity=0.85)
        .encode(
            x=alt.X("date:T", axis=time_axis(layers["date"].min(), layers["date"].max())),
            y=alt.Y("rate_pct:Q", title="Additional tariff (%)", stack="zero"),
            color=alt.Color("legal_basis:N", title="Legal basis", sort=bases,
                            scale=alt.Scale(domain=bases, range=OKABE_ITO[:len(bases)]),
                            legend=alt.Legend(orient="bottom", columns=1, labelLimit=WIDTH)),
            order=alt.Order("legal_basis:N"),
            tooltip=[alt.Tooltip("legal_basis:N", title="Legal basis"), alt.Tooltip("date:T", title="From"),
                     alt.Tooltip("rate_pct:Q", title="Rate (%)")],
        )
        .properties(width=WIDTH, height=240)
    )


def averages(estimates: pd.DataFrame, published: pd.DataFrame, as_of: pd.Timestamp, source_line: str) -> alt.LayerChart:
    """The kit's estimated trade-weighted averages (step lines, asof.average_steps of both sides)
    with every published average as points; points of one page version are joined, and only they."""
    est = estimates.assign(who=estimates["importer"].map(SIDE))
    pub = published.assign(who=published["series"].map({"us_on_china": SIDE["US"], "china_on_us": SIDE["CN"]}))
    x = alt.X("date:T", axis=time_axis(est["date"].min(), est["date"].max()))
    colour = alt.Color("who:N", title=None, scale=alt.Scale(domain=list(SIDE_COLOURS), range=list(SIDE_COLOURS.values())))
    lines = alt.Chart(est).mark_line(interpolate="step-after", strokeWidth=2.5).encode(
        x=x, y=alt.Y("average_pct:Q", title="Trade-weighted average tariff (%)"), color=colour,
        tooltip=[alt.Tooltip("who:N", title="Side"), alt.Tooltip("date:T", title="From"),
                 alt.Tooltip("average_pct:Q", title="Kit estimate (%)", format=".1f")])
    points = alt.Chart(pub).encode(
        x=alt.X("measured:T"), y=alt.Y("value_pct:Q"), color=colour, detail="version:N",
        tooltip=[alt.Tooltip("who:N", title="Side"), alt.Tooltip("measured:T", title="Describes"),
                 alt.Tooltip("value_pct:Q", title="Published (%)"), alt.Tooltip("publisher:N", title="Published by"),
                 alt.Tooltip("version:N", title="Version")])
    marks = [lines] + ([points.mark_line(strokeDash=[2, 2], opacity=0.6), points.mark_point(shape="diamond", filled=True, size=70)]
                       if len(pub) else [])  # an empty mark would be an unlabelled graphic to a screen reader
    return alt.layer(*marks).properties(
        width=WIDTH, height=260,
        title=alt.Title("Trade-weighted average tariffs: the kit's estimate and the published figures",
                        subtitle=[f"Lines: the kit's estimate, MFN base included; diamonds: published averages, joined within one page version; as known on {as_of.date()}. {source_line}"]))


# Colours for the legal authorities of a product's duty: the MFN base in grey, then the house
# colour-blind-safe palette, then Paul Tol's muted colours where more are needed.
STACK_COLOURS = ["#bdbdbd", *OKABE_ITO, "#882255", "#44AA99", "#332288", "#999933"]


def duty_stacks(steps: pd.DataFrame, as_of: pd.Timestamp, source_line: str) -> alt.VConcatChart:
    """One stacked step chart per product: its duty over time, by legal authority, MFN at the
    bottom. `steps`: asof.duty_steps rows of one or more products."""
    base = steps["authority"].iloc[0]  # duty_steps puts the MFN base first on every date
    authorities = [base] + sorted(set(steps["authority"]) - {base})
    colour = alt.Color("authority:N", title="Legal basis", sort=authorities,
                       scale=alt.Scale(domain=authorities, range=STACK_COLOURS[:len(authorities)]),
                       legend=alt.Legend(orient="bottom", columns=2))
    rank = {a: i for i, a in enumerate(authorities)}
    data = steps.assign(rank=steps["authority"].map(rank))
    charts = []
    for label, one in data.groupby("label", sort=False):
        x = alt.X("date:T", axis=time_axis(one["date"].min(), one["date"].max()))
        areas = alt.Chart(one).mark_area(interpolate="step-after", opacity=0.9).encode(
            x=x, y=alt.Y("rate_pct:Q", title="Duty (%)", stack="zero"), color=colour, order=alt.Order("rank:Q"),
            tooltip=[alt.Tooltip("label:N", title="Product"), alt.Tooltip("authority:N", title="Legal basis"),
                     alt.Tooltip("date:T", title="From"), alt.Tooltip("rate_pct:Q", title="Rate (%)"),
                     alt.Tooltip("total_pct:Q", title="Total duty (%)")])
        last = one[one["date"] == one["date"].max()].head(1).assign(text=lambda f: f["total_pct"].map("{:g}%".format))
        total = alt.Chart(last).mark_text(align="left", dx=4, fontWeight="bold").encode(x=x, y="total_pct:Q", text="text:N")
        charts.append(alt.layer(areas, total, title=alt.Title(label, fontSize=13)).properties(width=WIDTH, height=110))
    return alt.vconcat(*charts, spacing=18).resolve_scale(color="shared").properties(
        title=alt.Title("What a product pays: the duty stack over time",
                        subtitle=[f"MFN duty plus every additional layer in force, stacked by legal basis; the total on {as_of.date()} at the right. {source_line}"]))


def average_by_basis(estimates: pd.DataFrame, as_of: pd.Timestamp, source_line: str) -> alt.VConcatChart:
    """One stacked step chart per side: the kit's estimated average over time, the MFN base at the
    bottom and each legal basis's points above it, each side with its own legend.
    `estimates`: asof.average_steps of one or both sides."""
    fixed = ["date", "importer", "average_pct", "coverage_pct", "base_pct"]
    long = (estimates.rename(columns={"base_pct": "MFN base"})
            .melt(id_vars=["date", "importer", "average_pct"], value_vars=[c for c in estimates if c not in fixed] + ["MFN base"],
                  var_name="authority", value_name="points").fillna({"points": 0.0}))
    charts = []
    for importer in [s for s in SIDE if s in set(long["importer"])]:
        one = long[long["importer"] == importer]
        one = one[one.groupby("authority")["points"].transform(lambda p: p.abs().max()) > 0]
        authorities = ["MFN base"] + sorted(set(one["authority"]) - {"MFN base"})
        one = one.assign(rank=one["authority"].map({a: i for i, a in enumerate(authorities)}))
        x = alt.X("date:T", axis=time_axis(one["date"].min(), one["date"].max()))
        charts.append(alt.Chart(one, title=alt.Title(SIDE[importer], fontSize=13)).mark_area(interpolate="step-after", opacity=0.9).encode(
            x=x, y=alt.Y("points:Q", title="Points of the average", stack="zero"), order=alt.Order("rank:Q"),
            color=alt.Color("authority:N", title="Legal basis", sort=authorities,
                            scale=alt.Scale(domain=authorities, range=STACK_COLOURS[:len(authorities)]),
                            legend=alt.Legend(orient="bottom", columns=2, labelLimit=WIDTH // 2)),
            tooltip=[alt.Tooltip("authority:N", title="Legal basis"), alt.Tooltip("date:T", title="From"),
                     alt.Tooltip("points:Q", title="Points", format=".1f"),
                     alt.Tooltip("average_pct:Q", title="Estimated average (%)", format=".1f")],
        ).properties(width=WIDTH, height=150))
    return alt.vconcat(*charts, spacing=18).resolve_scale(color="independent").properties(
        title=alt.Title("The estimated average by legal basis",
                        subtitle=[f"The MFN base plus the points each legal basis adds, weighted by trade and stacked; as known on {as_of.date()}. {source_line}"]))


MEASURE_STATUS_COLOURS = {"in force": "#0b5394", "suspended": "#e69f00", "scheduled": "#999999"}


def measures_by_kind(table: pd.DataFrame, as_of: pd.Timestamp, source_line: str) -> alt.Chart:
    """How many measures each side had in force, suspended or scheduled on `as_of`, by kind.
    `table`: prose.live_measures rows."""
    data = (table.assign(lever=table["actor"].map({"US": US, "CN": CN}) + ": " + table["kind_label"])
            .groupby(["lever", "status"], as_index=False).size().rename(columns={"size": "measures"}))
    return (
        alt.Chart(data, title=alt.Title("Non-tariff measures each side holds, by kind",
                                        subtitle=[f"In force, suspended or scheduled on {as_of.date()}. {source_line}"]))
        .mark_bar()
        .encode(
            y=alt.Y("lever:N", title=None, sort="ascending", axis=alt.Axis(labelLimit=260, labelOverlap=False)),
            x=alt.X("measures:Q", title="Measures", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("status:N", title="Status", sort=list(MEASURE_STATUS_COLOURS),
                            scale=alt.Scale(domain=list(MEASURE_STATUS_COLOURS), range=list(MEASURE_STATUS_COLOURS.values())),
                            legend=alt.Legend(orient="top")),
            order=alt.Order("status:N"),
            tooltip=[alt.Tooltip("lever:N", title="Side and kind"), alt.Tooltip("status:N", title="Status"),
                     alt.Tooltip("measures:Q", title="Measures")],
        )
        .properties(width=WIDTH - 260, height=alt.Step(18))
    )
