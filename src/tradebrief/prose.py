"""Sentences generated from the as-of state, so every figure and date in them fits the as_of."""

from __future__ import annotations

import pandas as pd

from . import asof
from .data import Facts


def day(value: pd.Timestamp) -> str:
    """'15 September 2025'."""
    value = pd.Timestamp(value)
    return f"{value.day} {value:%B %Y}"


def pct(value: float) -> str:
    return f"{value:g}%"


def span(start: pd.Timestamp, end: pd.Timestamp, short: bool = False) -> str:
    """Dates from `start` to `end`: '14–15 September 2025', '30 October 2025', '28 July – 1 August
    2025'; `short`, for a table cell: '14–15 Sep 2025', '28 Jul – 1 Aug 2025', '30 Dec 2019 – 2 Jan 2020'."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    month = "%b" if short else "%B"
    last = f"{end.day} {end.strftime(month)} {end.year}"
    if start == end:
        return last
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{last}"
    first = f"{start.day} {start.strftime(month)}" + ("" if start.year == end.year else f" {start.year}")
    return f"{first} – {last}"


def rates(known: Facts, on: pd.Timestamp) -> list[str]:
    us = asof.across_the_board(known.tariffs, on, "US")
    cn = asof.across_the_board(known.tariffs, on, "CN")
    return [
        f"On {day(on)} the United States charged an additional {pct(us)} on all goods from China, "
        f"and China an additional {pct(cn)} on all goods from the United States. These across-the-board "
        "figures leave out the normal (MFN) duty and every product-specific measure (Section 301 lists, "
        "Section 232, China's retaliation lists), so a product can pay far more or, where it is exempt, less.",
    ] + stack_range(known, on)


SIDES = {"US": "goods from China entering the United States", "CN": "US goods entering China"}
_ON = {"US": "on goods from China", "CN": "on US goods"}


def stack_range(known: Facts, on: pd.Timestamp) -> list[str]:
    """'On the 29 product groups tracked, the total duty (MFN included) ranged from 0% (Children's picture
    books) to 245% (Syringes and needles) on goods from China, and from ... on US goods.', or nothing."""
    table = asof.duty_table(known, on)
    if table.empty:
        return []
    parts = []
    for side, rows in table.groupby("importer", sort=False):
        low, high = rows.loc[rows["total_pct"].idxmin()], rows.loc[rows["total_pct"].idxmax()]
        parts.append(f"from {pct(low['total_pct'])} ({low['label']}) to {pct(high['total_pct'])} ({high['label']}) {_ON[side]}")
    return [f"On the {len(table)} product groups tracked, the total duty (MFN included) ranged " + ", and ".join(parts) + "."]


def talks_state(known: Facts, on: pd.Timestamp) -> list[str]:
    latest = asof.latest_talks(known.talks, on)
    if latest is None:
        return ["No in-person round or leaders' meeting had taken place yet."]
    where = f" in {latest['place']}" if latest["place"] else ""
    if latest["end"] > pd.Timestamp(on):
        return [f"The {latest['title']}{where} was under way ({span(latest['start'], latest['end'])})."]
    return [f"The latest in-person meeting was the {latest['title']}{where} "
            f"({span(latest['start'], latest['end'])}). Outcome: {latest['outcome']}"]


def tiktok_state(known: Facts, on: pd.Timestamp) -> list[str]:
    due = asof.deadline(known.tiktok, "pafaca")
    if due is None:
        passed = known.tiktok[known.tiktok["chain"] == "pafaca"]
        if passed.empty:
            return ["The divest-or-ban law had not been enacted yet."]
        return ["No enforcement deadline under the divest-or-ban law was pending."]
    return [f"The divest-or-ban law's next enforcement deadline was {day(due)} ({relative(due, on)})."]


def relative(when: pd.Timestamp, on: pd.Timestamp) -> str:
    """'today', 'in 2 days', '1 day ago'."""
    days = (pd.Timestamp(when) - pd.Timestamp(on)).days
    unit = "day" if abs(days) == 1 else "days"
    return "today" if days == 0 else f"in {days} {unit}" if days > 0 else f"{-days} {unit} ago"


def turning_points(points: pd.DataFrame) -> str:
    """' Dotted rules mark the turning points: Phase One (14 February 2020); ...', or '' when none."""
    if points.empty:
        return ""
    return " Dotted rules mark the turning points: " + "; ".join(
        f"{label} ({day(date)})" for date, label in zip(points["date"], points["label"])) + "."


def citation(source: pd.Series) -> str:
    """How a reader cites a source: the original publisher first, the copy's host after 'via'.
    'Reuters, "Title" (5 November 2025), via bdnews24.com'. An instrument is cited as lawyers cite
    it, in place of the title: 'Exec. Order No. 14195, 90 Fed. Reg. 9121 (Feb. 7, 2025); govinfo.gov (7 February 2025)'."""
    original = source.get("original") or ""
    who = original or source["publisher"]
    when = f" ({day(source['published'])})" if pd.notna(source["published"]) else ""
    via = f", via {source['publisher']}" if original else ""
    if source.get("cite_as"):
        return f"{source['cite_as']}; {who}{when}{via}"
    return f'{who}, "{source["title"]}"{when}{via}'


ACTIONS = {"impose": "imposed", "expand": "expanded", "modify": "modified", "suspend": "suspended", "restore": "restored",
           "remove": "removed", "expire": "expired", "report": "reported"}  # a measure row's action, as a table shows it
KINDS = {"export_control": "export control", "entity_list": "entity list", "unreliable_entity_list": "unreliable entity list",
         "port_fee": "port fee", "investigation": "investigation", "licence": "licence", "purchase_commitment": "purchase commitment",
         "sanction": "sanction", "other": "other"}


def measures_state(table: pd.DataFrame, on: pd.Timestamp, named: int | None = None) -> list[str]:
    """What non-tariff measures stood on `on`, from asof.measures: those in force counted by kind,
    then the suspensions, the first `named` of them (all if None) by name with the date each runs to."""
    live = table[table["status"] == "in force"]
    if live.empty and not (table["status"] == "suspended").any():
        return ["No non-tariff measure in the data was in force or suspended on this date."]
    kinds = live["kind"].map(KINDS).value_counts()
    counted = ", ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in kinds.items())
    sentences = [f"On {day(on)}, {len(live)} non-tariff measures were in force ({counted})." if len(live)
                 else f"On {day(on)}, no non-tariff measure was in force."]
    suspended = table[table["status"] == "suspended"].sort_values("until", na_position="last")
    if len(suspended):
        dated = [f"{r['title']} (to {day(r['until'])})" for _, r in suspended.iterrows() if pd.notna(r["until"])]
        shown = dated[:named]
        rest = len(suspended) - len(shown)
        were = f"{len(suspended)} {'was' if len(suspended) == 1 else 'were'} suspended"
        if not shown:
            sentences.append(f"{were}, with no end date announced.")
        else:
            more = f"{rest} more" + (" with no end date announced" if len(shown) == len(dated) else "")
            sentences.append(f"{were}, each applying again when its suspension runs out unless it is extended: "
                             + "; ".join(shown + ([more] if rest else [])) + ".")
    return sentences


def live_measures(table: pd.DataFrame) -> pd.DataFrame:
    """The measures in force, suspended or scheduled (rows of asof.measures), newest first within
    each status, with what a reader's table shows: side, kind_label and standing."""
    live = table[table["status"].isin(["in force", "suspended", "scheduled"])].sort_values(["status", "since"], ascending=[False, False])
    return live.assign(side=live["actor"], kind_label=live["kind"].map(KINDS),
                       standing=[standing(row) for _, row in live.iterrows()])


def standing(row: pd.Series) -> str:
    """Where a measure (a row of asof.measures) stands, and what a suspension waits for:
    'Suspended since 10 November 2025, to 10 November 2026; applies again after that unless extended.'"""
    since = day(row["since"])
    if row["status"] == "suspended":
        if pd.isna(row["until"]):
            return f"Suspended since {since}, with no end date announced."
        return f"Suspended since {since}, to {day(row['until'])}; applies again after that unless extended."
    until = f", to {day(row['until'])}" if pd.notna(row["until"]) else ""
    return {"in force": "In force since", "scheduled": "Scheduled from", "ended": "Ended on"}[row["status"]] + f" {since}{until}."


QUOTED_KINDS = {"headline": "A rate on all goods", "product_maximum": "The highest stack on a single product",
                "trade_weighted": "A trade-weighted average", "average_no_exemptions": "An average that ignores exemptions",
                "undefined": "Not stated by whoever quoted it"}


def quoted_vs_kit(known: Facts) -> pd.DataFrame:
    """Each headline figure published by the known date, what it measures, and the kit's figure of
    the same kind for the date it describes. Columns: figure, value_pct, describes, measures, kit, source."""
    rows = []
    for _, q in known.quoted.sort_values(["describes", "id"]).iterrows():
        day_, side = q["describes"], q["side"]
        if q["kind"] == "headline":
            kit = f"{pct(asof.across_the_board(known.tariffs, day_, side))} additional on all goods"
        elif q["kind"] == "product_maximum":
            table = asof.duty_table(known, day_)
            top = table[table["importer"] == side].sort_values("total_pct").iloc[-1]
            kit = f"{pct(top['total_pct'])} on {top['label']}, the highest of the product groups tracked"
        else:
            kit = f"{asof.average(known, day_, side)['average_pct']:.1f}% estimated trade-weighted average (MFN included)"
        rows.append({"figure": q["figure"], "value_pct": q["value_pct"], "describes": day_,
                     "measures": f"{QUOTED_KINDS[q['kind']]}: {q['method']}", "kit": kit, "source": q["source"]})
    return pd.DataFrame(rows, columns=["figure", "value_pct", "describes", "measures", "kit", "source"])


def left_out(items: list[dict]) -> str:
    """What an estimate leaves out, grouped: 'Section 232: steel, aluminum; exemption: EO 14257
    sec. 3(b)(iv), Annex II (copper)'. `items`: entries of asof.average's `unweighted`."""
    groups: dict[str, list[str]] = {}
    for item in items:
        head, _, tail = item["what"].partition(": ")
        groups.setdefault(head if tail else "", []).append(tail or head)
    return "; ".join(f"{head}: {', '.join(names)}" if head else "; ".join(names) for head, names in groups.items())


def why_gap(row: pd.Series) -> str:
    """Why the kit's estimate differs from a published average (a row of
    asof.averages_vs_published): within 3 points, or what the estimate leaves out that moves it the
    way the gap goes, and how the publisher computed its figure where its source says."""
    gap, text = row["gap_pct"], "Within 3 points."
    if abs(gap) > 3:
        way = "up" if gap > 0 else "down"
        pushing = [u for u in row["unweighted"] if u["pushes"] == way]
        text = f"The estimate is {abs(gap):.1f} points {'above' if gap > 0 else 'below'}. " + (
            f"Left out, which moves it {way}: {left_out(pushing)}." if pushing else
            "Nothing the estimate leaves out moves it that way.")
    return f"{text} Publisher's method: {row['method']}" if row["method"] else text


def coverage_pair(row: pd.Series) -> str:
    """'68.6 (published: 66.4)': the kit's coverage beside the one the publisher states, if it does
    (a row of asof.averages_vs_published)."""
    kit = f"{row['estimate_coverage_pct']:.1f}"
    return kit if pd.isna(row["coverage_pct"]) else f"{kit} (published: {row['coverage_pct']:g})"


def average_label(estimate: dict) -> str:
    """'est. trade-weighted average 34.6% incl. MFN; 100% of trade covered', from asof.average."""
    return (f"est. trade-weighted average {estimate['average_pct']:.1f}% incl. MFN; "
            f"{estimate['coverage_pct']:.0f}% of trade covered")


def key_figures(facts: Facts, as_of) -> list[tuple[str, str]]:
    """The figures the index shows for a date: each side's across-the-board rate with its estimated
    average, and the next TikTok deadline; as known on that date."""
    on = pd.Timestamp(as_of)
    known = asof.known_on(facts, on)
    due = asof.deadline(known.tiktok, "pafaca")
    return [(pct(asof.across_the_board(known.tariffs, on, side)),
             f"{label}; est. average {asof.average(known, on, side)['average_pct']:.1f}%")
            for side, label in (("US", "US on all Chinese goods"), ("CN", "China on all US goods"))] + [
        (day(due) if due is not None else "none pending", "Next TikTok deadline")]
