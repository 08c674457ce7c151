"""What was known on a date: pure functions of (facts, date), with no look-ahead.

`known_on(facts, D)` keeps only what had been announced by D; every other function here takes
those known facts, so nothing published after D can reach a report as of D.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from .data import Facts, matches

IN_PERSON_KINDS = ("round", "leaders_meeting")
TARIFF_AREA = {"all": "tariffs", "list": "products"}  # short: the briefing's narrow Area column
IN_PROGRESS = "Talks in progress on this date; no outcome announced yet."
CHAINS = {
    "pafaca": "the divest-or-ban law (PAFACA)",
    "eo13942": "Executive Order 13942",
    "cfius2020": "the 2020 CFIUS divestment order",
}


def known_on(facts: Facts, as_of: pd.Timestamp) -> Facts:
    """The facts as they stood on `as_of`: rows announced on or before it, sources they cite.

    A meeting that began but had not ended by `as_of` keeps its row, without its outcome.
    """
    as_of = pd.Timestamp(as_of)
    talks = facts.talks[facts.talks["announced"].fillna(facts.talks["start"]) <= as_of].copy()
    talks.loc[talks["end"] > as_of, "outcome"] = IN_PROGRESS
    tables = {
        "talks": talks,
        "tariffs": facts.tariffs[facts.tariffs["announced"] <= as_of],
        "mfn": facts.mfn[facts.mfn["announced"].fillna(facts.mfn["effective"]) <= as_of],
        "rules": facts.rules[facts.rules["announced"] <= as_of],
        "tiktok": facts.tiktok[facts.tiktok["date"] <= as_of],
        "published_averages": facts.published_averages[facts.published_averages["published"] <= as_of],
        "published_stacks": facts.published_stacks[facts.published_stacks["published"] <= as_of],
        "measures": facts.measures[facts.measures["announced"] <= as_of],
        "quoted": facts.quoted[facts.quoted["published"] <= as_of],
        "courts": facts.courts[facts.courts["date"] <= as_of],
    }
    cited = set()
    for table in [*tables.values(), facts.products, facts.coverage, facts.trade, facts.base_averages]:
        cited.update(sid for ids in table["source"] for sid in ids.split(" "))
    sources = facts.sources[facts.sources["id"].isin(cited)]
    return dataclasses.replace(facts, sources=sources, **tables)


def tariff_timeline(tariffs: pd.DataFrame) -> pd.DataFrame:
    """The changes that stand, layer by layer, with when each one's rate stopped applying.

    Rows are applied in announcement order; a row cancels the rows of its layer that were
    announced earlier and scheduled on or after its own effective date. Rows that leave the rate
    unchanged are dropped. Adds `until` (the next standing change of the layer, NaT if none) and
    `ended_by` (that change's action).
    """
    columns = list(tariffs.columns) + ["until", "ended_by"]
    standing = _standing(tariffs, "layer", "effective")
    if standing.empty:
        return pd.DataFrame(columns=columns)
    timeline = standing.sort_values(["layer", "effective", "announced"], kind="stable")
    # A standing row that leaves the rate as it was (a hold, an extension at the same rate, a
    # withdrawn threat) changes nothing: it neither ends a period nor is a scheduled change.
    before = timeline.groupby("layer")["rate_pct"].shift(1).fillna(0.0)
    timeline = timeline[timeline["rate_pct"] != before]
    by_layer = timeline.groupby("layer")
    timeline["until"] = by_layer["effective"].shift(-1)
    timeline["ended_by"] = by_layer["action"].shift(-1)
    return timeline.reset_index(drop=True)


def _standing(rows: pd.DataFrame, key: str, when: str) -> pd.DataFrame:
    """The rows that stand, `key` by `key`, applied in announcement order: a row cancels the rows
    of its key that were announced earlier and scheduled (column `when`) on or after its own date."""
    kept: dict = {}
    for row in rows.sort_values(["announced", when, "_row"], kind="stable").to_dict("records"):
        earlier = kept.setdefault(row[key], [])
        earlier[:] = [k for k in earlier if not (k["announced"] < row["announced"] and k[when] >= row[when])]
        earlier.append(row)
    return pd.DataFrame([row for group in kept.values() for row in group], columns=rows.columns)


def in_force(tariffs: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    """Each layer's standing change in force on `on`, with a rate above zero."""
    return _in_force(tariff_timeline(tariffs), on)


def _in_force(timeline: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    on = pd.Timestamp(on)
    current = timeline[(timeline["effective"] <= on) & ~(timeline["until"] <= on)]
    return current[current["rate_pct"] > 0].reset_index(drop=True)


def across_the_board(tariffs: pd.DataFrame, on: pd.Timestamp, imposer: str) -> float:
    """The additional duty `imposer` charges on all goods from the other side on `on`, in percent."""
    return _across_the_board(tariff_timeline(tariffs), on, imposer)


def _across_the_board(timeline: pd.DataFrame, on: pd.Timestamp, imposer: str) -> float:
    current = _in_force(timeline, on)
    mask = (current["imposer"] == imposer) & (current["scope"] == "all")
    return float(current.loc[mask, "rate_pct"].sum())


def scheduled(tariffs: pd.DataFrame, after: pd.Timestamp) -> pd.DataFrame:
    """Standing changes that take effect after `after` (as known from the rows given)."""
    timeline = tariff_timeline(tariffs)
    return timeline[timeline["effective"] > pd.Timestamp(after)].sort_values("effective").reset_index(drop=True)


def turning_points(tariffs: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """The labelled turning points (the `milestone` column) among the standing changes that took
    effect from `start` to `end`, one row per date. Columns: date, label."""
    timeline = tariff_timeline(tariffs)
    marked = timeline[(timeline["milestone"] != "") & (timeline["effective"] >= pd.Timestamp(start))
                      & (timeline["effective"] <= pd.Timestamp(end))]
    points = marked.groupby("effective", sort=True)["milestone"].agg(lambda labels: "; ".join(dict.fromkeys(labels)))
    return pd.DataFrame({"date": points.index, "label": points.values}, columns=["date", "label"])


ENDED = {"impose": "replaced", "raise": "raised", "cut": "cut", "suspend": "suspended", "extend": "extended",
         "restore": "suspension ended", "remove": "removed", "struck_down": "struck down", "expire": "expired",
         "modify": "modified"}


def rate_history(tariffs: pd.DataFrame, on: pd.Timestamp, scope: str = "all") -> pd.DataFrame:
    """How the rates got where they are on `on`: every standing change of `scope` that had taken
    effect, with the date it stopped applying and why (`ended`: 'in force' if it still applied).
    Columns: those of tariff_timeline, plus `ended`."""
    on = pd.Timestamp(on)
    timeline = tariff_timeline(tariffs)
    history = timeline[(timeline["scope"] == scope) & (timeline["effective"] <= on) & (timeline["rate_pct"] > 0)].copy()
    over = history["until"] <= on
    history["ended"] = history["ended_by"].map(ENDED).where(over, "in force")
    history.loc[~over, "until"] = pd.NaT
    return history.sort_values(["effective", "imposer"], kind="stable").reset_index(drop=True)


def rate_steps(tariffs: pd.DataFrame, imposer: str, start: pd.Timestamp, end: pd.Timestamp,
               scope: str = "all") -> pd.DataFrame:
    """The rate of each layer of `imposer` at every date from `start` to `end` on which any of them
    changed, and at `end`, so that the last step is drawn up to it.

    Columns: date, layer, legal_basis, rate_pct; one row per (date, layer), zeros included,
    ready for a stacked step chart.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    timeline = tariff_timeline(tariffs)
    timeline = timeline[(timeline["imposer"] == imposer) & (timeline["scope"] == scope)]
    changes_in = [d for d in timeline["effective"].unique() if start <= d <= end]
    dates = sorted(changes_in) + [end] if changes_in else []
    rows = []
    for layer, changes in timeline.groupby("layer"):
        label = changes["legal_basis"].iloc[0]  # the instrument that created the layer: short, and stable over time
        for date in dict.fromkeys(dates):
            current = changes[changes["effective"] <= date]
            rate = float(current["rate_pct"].iloc[-1]) if len(current) else 0.0
            rows.append({"date": date, "layer": layer, "legal_basis": label, "rate_pct": rate})
    return pd.DataFrame(rows, columns=["date", "layer", "legal_basis", "rate_pct"])


def deadline(tiktok: pd.DataFrame, chain: str = "pafaca") -> pd.Timestamp | None:
    """The enforcement deadline pending on `chain` after the rows given, or None."""
    acting = tiktok[(tiktok["chain"] == chain) & (tiktok["deadline_action"] != "")]
    if acting.empty:
        return None
    last = acting.sort_values(["date", "_row"], kind="stable").iloc[-1]
    return last["deadline"] if last["deadline_action"] == "set" else None


def deadline_ladder(tiktok: pd.DataFrame) -> pd.DataFrame:
    """Every deadline set: the day it was set, the date it set, and the date it replaced."""
    acting = tiktok[tiktok["deadline_action"] != ""].sort_values(["chain", "date", "_row"], kind="stable")
    rows = []
    for chain, steps in acting.groupby("chain", sort=False):
        previous = pd.NaT
        for _, step in steps.iterrows():
            rows.append({
                "chain": chain, "set_on": step["date"], "deadline": step["deadline"], "replaced": previous,
                "action": step["deadline_action"], "instrument": step["instrument"],
                "event": step["event"], "source": step["source"],
            })
            previous = step["deadline"] if step["deadline_action"] == "set" else pd.NaT
    return pd.DataFrame(rows, columns=["chain", "set_on", "deadline", "replaced", "action",
                                       "instrument", "event", "source"])


def latest_talks(talks: pd.DataFrame, on: pd.Timestamp) -> pd.Series | None:
    """The latest in-person round or leaders' meeting that began on or before `on`."""
    began = talks[talks["kind"].isin(IN_PERSON_KINDS) & (talks["format"] == "in_person")
                  & (talks["start"] <= pd.Timestamp(on))]
    if began.empty:
        return None
    return began.sort_values(["start", "_row"], kind="stable").iloc[-1]


def upcoming(facts: Facts, on: pd.Timestamp) -> pd.DataFrame:
    """Dated events after `on` that the facts given already announce. Columns: date, area, what, source."""
    on = pd.Timestamp(on)
    rows = []
    talks = facts.talks[facts.talks["start"] > on]
    for _, t in talks.iterrows():
        where = f" in {t['place']}" if t["place"] else ""
        rows.append((t["start"], "talks", f"{t['title']}{where}", t["source"]))
    for _, change in scheduled(facts.tariffs, on).iterrows():
        rows.append((change["effective"], TARIFF_AREA[change["scope"]], change["what"], change["source"]))
    for chain, label in CHAINS.items():
        due = deadline(facts.tiktok, chain)
        if due is not None and due > on:
            setter = facts.tiktok[(facts.tiktok["chain"] == chain) & (facts.tiktok["deadline"] == due)].iloc[-1]
            rows.append((due, "tiktok", f"TikTok enforcement deadline under {label}", setter["source"]))
    for _, m in measures(facts, on).iterrows():
        if m["status"] == "scheduled":
            rows.append((m["since"], "measures", m["what"], m["source"]))
        elif pd.notna(m["until"]) and m["until"] > on:
            what = (f"Suspension runs out: {m['title']}. It applies again unless extended."
                    if m["status"] == "suspended" else f"Scheduled to end: {m['title']}.")
            rows.append((m["until"], "measures", what, m["source"]))
    return _events(rows)


def _events(rows: list[tuple]) -> pd.DataFrame:
    """Dated events, in date order, each (date, what) once (one announcement can move several layers)."""
    frame = pd.DataFrame(rows, columns=["date", "area", "what", "source"])
    frame = frame.sort_values(["date", "area"], kind="stable").drop_duplicates(["date", "what"])
    return frame.reset_index(drop=True)


def changes_between(facts: Facts, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """What happened after `start` up to and including `end`. Columns: date, area, what, source."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)

    def window(dates: pd.Series) -> pd.Series:
        return (dates > start) & (dates <= end)

    rows = []
    for _, t in facts.talks[window(facts.talks["start"])].iterrows():
        rows.append((t["start"], "talks", f"{t['title']}: {t['outcome']}", t["source"]))
    tariffs = facts.tariffs
    for _, c in tariffs[window(tariffs["announced"])].iterrows():
        rows.append((c["announced"], TARIFF_AREA[c["scope"]], f"Announced: {c['what']}", c["source"]))
    # Only standing changes take effect: one cancelled before its date (a suspension's end that a
    # later extension replaced) never did.
    standing = tariff_timeline(tariffs)
    for _, c in standing[window(standing["effective"]) & ~window(standing["announced"])].iterrows():
        rows.append((c["effective"], TARIFF_AREA[c["scope"]], f"Took effect: {c['what']}", c["source"]))
    for _, e in facts.tiktok[window(facts.tiktok["date"])].iterrows():
        rows.append((e["date"], "tiktok", e["event"], e["source"]))
    for _, c in facts.courts[window(facts.courts["date"])].iterrows():
        rows.append((c["date"], "courts", c["what"], c["source"]))
    measures = measure_changes(facts)
    for _, m in measures[window(measures["date"])].iterrows():
        rows.append((m["date"], "measures", m["what"], m["source"]))
    return _events(rows)


def summary(facts: Facts, as_of: pd.Timestamp) -> dict:
    """The key figures on `as_of`, as `tradebrief facts` prints them."""
    as_of = pd.Timestamp(as_of)
    known = known_on(facts, as_of)
    talks = latest_talks(known.talks, as_of)
    due = deadline(known.tiktok, "pafaca")

    def day(value) -> str:
        return value.date().isoformat()

    return {
        "as_of": day(as_of),
        "data_through": day(facts.data_through),
        "us_on_china_pct": across_the_board(known.tariffs, as_of, "US"),
        "china_on_us_pct": across_the_board(known.tariffs, as_of, "CN"),
        "tiktok_deadline": day(due) if due is not None else None,
        "latest_talks": None if talks is None else {
            "place": talks["place"], "start": day(talks["start"]), "end": day(talks["end"])},
        "upcoming": [{"date": day(r["date"]), "what": r["what"]}
                     for _, r in upcoming(known, as_of).iterrows()],
        **_averages_summary(known, as_of),
        "measures": [{"id": r["id"], "actor": r["actor"], "kind": r["kind"], "title": r["title"], "status": r["status"],
                      "since": day(r["since"]), "until": day(r["until"]) if pd.notna(r["until"]) else None}
                     for _, r in measures(known, as_of).iterrows()],
    }


def _averages_summary(known: Facts, on: pd.Timestamp) -> dict:
    """The estimated averages and coverage both ways, and the latest published average known."""
    us, cn = average(known, on, "US"), average(known, on, "CN")
    published = known.published_averages.sort_values(["published", "measured", "_row"])
    latest = published.iloc[-1] if len(published) else None
    return {
        "us_avg_on_china_pct": round(us["average_pct"], 1), "china_avg_on_us_pct": round(cn["average_pct"], 1),
        "us_coverage_pct": round(us["coverage_pct"], 1), "china_coverage_pct": round(cn["coverage_pct"], 1),
        "latest_published_average": None if latest is None else {
            "publisher": latest["publisher"], "series": latest["series"], "value_pct": float(latest["value_pct"]),
            "describes": latest["measured"].date().isoformat(), "published": latest["published"].date().isoformat()},
    }


def total_steps(tariffs: pd.DataFrame, imposer: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """The across-the-board rate of `imposer` from `start` to `end`: one point at `start`, one at
    each change in between, one at `end`. Columns: date, side, rate_pct."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    timeline = tariff_timeline(tariffs)
    mine = timeline[(timeline["imposer"] == imposer) & (timeline["scope"] == "all")]
    dates = [start] + sorted(d for d in mine["effective"].unique() if start < d <= end) + [end]
    rows = [(day, imposer, _across_the_board(timeline, day, imposer)) for day in dict.fromkeys(dates)]
    return pd.DataFrame(rows, columns=["date", "side", "rate_pct"])


def rate_path(tariffs: pd.DataFrame, imposer: str, start: pd.Timestamp, as_of: pd.Timestamp) -> pd.DataFrame:
    """total_steps up to `as_of` (phase 'in force'), then through the changes already scheduled
    after it (phase 'scheduled', ending 30 days after the last one)."""
    past = total_steps(tariffs, imposer, start, as_of).assign(phase="in force")
    ahead = scheduled(tariffs, as_of)
    ahead = ahead[(ahead["imposer"] == imposer) & (ahead["scope"] == "all")]
    if ahead.empty:
        return past
    end = ahead["effective"].max() + pd.Timedelta(days=30)
    return pd.concat([past, total_steps(tariffs, imposer, as_of, end).assign(phase="scheduled")],
                     ignore_index=True)


# The duty on a product: every layer of one model (tariffs.csv), the coverage of product groups
# (coverage.csv), and exemptions and stacking rules (rules.csv), applied the same way to every layer.

MFN = "MFN (normal duty)"


class _Product:
    """What the duty on one product group needs from the known facts: the standing changes of the
    layers that reach it, its MFN rows, the rules that can concern it, and the layers' labels.
    `stack(on)` then costs no pandas work per date. Build them with `_products`."""

    def __init__(self, group: dict, changes: list[dict], mfn: list[dict], rules: list[dict], labels: dict):
        self.key, self.group, self.changes, self.mfn, self.labels = group["key"], group, changes, mfn, labels
        self.rules = [r for r in rules if any(matches(r["layer"], c["layer"]) for c in changes)]

    def stack(self, on: pd.Timestamp) -> dict:
        """The duty on `on`: MFN, the layers in force on the good, the layers rules switched off."""
        mfn = [m for m in self.mfn if m["effective"] <= on][-1]
        applied = {c["layer"]: c for c in _charged(self.changes, on)}
        live = [r for r in self.rules if _in_effect(r, on)]
        not_applied = []
        # Exemptions first (unconditional for the product), then stacking rules, judged against the
        # layers the exemptions left: a layer switched off by a rule can still switch off another.
        for stacking in (False, True):
            present = set(applied)
            for rule in (r for r in live if bool(r["unless_layer"]) == stacking):
                for layer in sorted(present):
                    if layer not in applied or not matches(rule["layer"], layer):
                        continue
                    if stacking and not any(matches(rule["unless_layer"], o) for o in present if o != layer):
                        continue
                    del applied[layer]
                    not_applied.append({"layer": layer, "label": self.labels[layer]["label"], "why": rule["why"],
                                        "legal_basis": rule["legal_basis"], "source": rule["source"], "rule": rule["id"]})
        layers = sorted(({"layer": key, **self.labels[key], "legal_basis": c["legal_basis"], "rate_pct": float(c["rate_pct"]),
                          "since": c["effective"], "source": c["source"]} for key, c in applied.items()),
                        key=lambda item: (item["authority"], item["since"], item["layer"]))
        additional = sum(item["rate_pct"] for item in layers)
        return {"product": self.key, "label": self.group["label"], "importer": self.group["importer"],
                "headings": self.group["headings"], "on": pd.Timestamp(on), "mfn_pct": float(mfn["mfn_pct"]),
                "mfn_source": mfn["source"], "additional_pct": additional,
                "total_pct": float(mfn["mfn_pct"]) + additional, "layers": layers, "not_applied": not_applied}

    def ahead(self, on: pd.Timestamp) -> list[tuple]:
        """(date, what, source) of every known change after `on` that can move the duty."""
        rows = [(c["effective"], c["what"], c["source"]) for c in self.changes if c["effective"] > on]
        for rule in self.rules:
            for when, verb in ((rule["effective"], "Takes effect"), (rule["until"], "Ends")):
                if pd.notna(when) and when > on:
                    rows.append((when, f"{verb}: {rule['why'].rstrip('.')} ({rule['legal_basis']}).", rule["source"]))
        rows += [(m["effective"], f"MFN rate becomes {m['mfn_pct']:g}%", m["source"]) for m in self.mfn if m["effective"] > on]
        return sorted(rows, key=lambda row: row[0])


def _in_effect(row: dict, on: pd.Timestamp) -> bool:
    """Whether a standing change or a rule (a record with `effective` and `until`, the first day
    it no longer applies, NaT if open) applies on `on`."""
    return row["effective"] <= on and not row["until"] <= on


def _charged(changes: list[dict], on: pd.Timestamp) -> list[dict]:
    """The standing changes (tariff_timeline records) in effect on `on` with a rate above zero."""
    return [c for c in changes if _in_effect(c, on) and c["rate_pct"] > 0]


def _labels(known: Facts) -> dict[str, dict]:
    """Each layer's reader-facing label and authority, by layer key."""
    return known.layers.set_index("layer")[["label", "authority"]].to_dict("index")


def _products(known: Facts) -> dict[str, _Product]:
    """Every product group of `known`, keyed, each with the facts that can reach it."""
    changes = tariff_timeline(known.tariffs).to_dict("records")
    mfn = known.mfn.sort_values(["effective", "_row"], kind="stable").to_dict("records")
    rules = known.rules.sort_values(["effective", "_row"], kind="stable").to_dict("records")
    labels = _labels(known)
    covered: dict[str, set] = {}
    for row in known.coverage.to_dict("records"):
        covered.setdefault(row["product"], set()).add(row["layer"])
    return {group["key"]: _Product(
        group,
        [c for c in changes if c["imposer"] == group["importer"]
         and (c["scope"] == "all" or c["layer"] in covered.get(group["key"], ()))],
        [m for m in mfn if m["product"] == group["key"]],
        [r for r in rules if r["product"] in ("", group["key"])], labels)
        for group in known.products.to_dict("records")}


def duty(known: Facts, product: str, on: pd.Timestamp) -> dict:
    """What `product` paid on `on`, as known from `known` (see known_on): its MFN rate, every
    additional layer in force on it, the layers that rules switched off and why, and the
    changes already scheduled after `on` with the total each would bring."""
    on = pd.Timestamp(on)
    group = _products(known)[product]
    result = group.stack(on)
    result["scheduled"], total = [], result["total_pct"]
    ahead = pd.DataFrame(group.ahead(on), columns=["effective", "what", "source"])
    for when, same_day in ahead.groupby("effective", sort=True):
        after = group.stack(when)["total_pct"]
        if after != total:  # only dates that move the duty
            result["scheduled"].append({"effective": when, "what": " ".join(dict.fromkeys(same_day["what"])),
                                        "source": " ".join(dict.fromkeys(same_day["source"])), "total_pct": after})
        total = after
    return result


def duty_steps(known: Facts, product: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """The product's duty by authority at `start`, at every change up to `end`, and at `end`.
    Columns: date, product, label, authority, rate_pct (the MFN rate under authority MFN),
    total_pct; one row per (date, authority), zeros included, ready for a stacked step chart."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    group = _products(known)[product]
    dates = [start] + [d for d, _, _ in group.ahead(start) if d <= end] + [end]
    stacks = [group.stack(d) for d in dict.fromkeys(dates)]
    authorities = list(dict.fromkeys(item["authority"] for s in stacks for item in s["layers"]))
    rows = []
    for s in stacks:
        by = {a: 0.0 for a in authorities}
        for item in s["layers"]:
            by[item["authority"]] += item["rate_pct"]
        rows.append({"date": s["on"], "authority": MFN, "rate_pct": s["mfn_pct"], "total_pct": s["total_pct"]})
        rows += [{"date": s["on"], "authority": a, "rate_pct": r, "total_pct": s["total_pct"]} for a, r in by.items()]
    frame = pd.DataFrame(rows, columns=["date", "authority", "rate_pct", "total_pct"])
    return frame.assign(product=product, label=group.group["label"])[["date", "product", "label", "authority", "rate_pct", "total_pct"]]


def duty_table(known: Facts, on: pd.Timestamp) -> pd.DataFrame:
    """Every product group on `on`: one row each, with its layers as text and its total.
    Columns: product, label, importer, mfn_pct, layers, not_applied, additional_pct, total_pct, source."""
    on = pd.Timestamp(on)
    rows = []
    for group in _products(known).values():
        s = group.stack(on)
        rows.append({
            "product": s["product"], "label": s["label"], "importer": s["importer"], "mfn_pct": s["mfn_pct"],
            "layers": "; ".join(f"{i['label']} {i['rate_pct']:g}%" for i in s["layers"]) or "none",
            "not_applied": "; ".join(f"{i['label']}: {i['why'].rstrip('.')}" for i in s["not_applied"]),
            "additional_pct": s["additional_pct"], "total_pct": s["total_pct"],
            "source": " ".join(dict.fromkeys(" ".join([s["mfn_source"]] + [i["source"] for i in s["layers"] + s["not_applied"]]).split())),
        })
    return pd.DataFrame(rows, columns=["product", "label", "importer", "mfn_pct", "layers", "not_applied",
                                       "additional_pct", "total_pct", "source"])


def published_vs_kit(facts: Facts, as_of: pd.Timestamp) -> pd.DataFrame:
    """Every product total published by `as_of` beside the kit's figure for the same product and
    date: as known on `as_of`, or, for a projection (a date after publication), as known on the
    day it was published. Columns: those of published_stacks, plus label, kit_pct and gap_pct."""
    as_of = pd.Timestamp(as_of)
    known = known_on(facts, as_of)
    rows = []
    for _, row in known.published_stacks.sort_values(["on", "product"]).iterrows():
        basis = known if row["on"] <= row["published"] else known_on(facts, row["published"])
        stack = _products(basis)[row["product"]].stack(row["on"])
        kit = stack["total_pct"] if row["figure"] == "total" else stack["additional_pct"]
        rows.append({**row.to_dict(), "label": stack["label"], "kit_pct": kit, "gap_pct": kit - row["value_pct"]})
    columns = list(facts.published_stacks.columns) + ["label", "kit_pct", "gap_pct"]
    return pd.DataFrame(rows, columns=columns)


# Non-tariff measures: the status of each on a date, from its rows (measures.csv).

STATUS_BY_ACTION = {"impose": "in force", "expand": "in force", "modify": "in force", "restore": "in force",
                    "suspend": "suspended", "remove": "ended", "expire": "ended"}


def measures(known: Facts, on: pd.Timestamp) -> pd.DataFrame:
    """Every measure known on `on` with its status then: 'in force', 'suspended', 'scheduled' (its
    first change not yet in effect) or 'ended'. `until` is the date a suspension runs to, as its
    source states it: after that date, with no later row, the measure is in force again. A measure
    past its own scheduled end has ended.

    Columns: id (the measure key), actor, kind, title, status, since (when that status began),
    until (the date the suspension or the measure runs to, else NaT), instrument and what (of the
    row that set the status), source (every row's sources)."""
    on = pd.Timestamp(on)
    rows = measure_changes(known)
    changed = _standing(rows[rows["action"] != "report"], "measure", "date").sort_values(["date", "announced", "_row"], kind="stable")
    out = []
    for key, steps in rows.groupby("measure", sort=False):
        changes = changed[changed["measure"] == key]
        first, done = changes.iloc[0], changes[changes["date"] <= on]
        title = steps.sort_values("_row")["title"].iloc[0]  # the measure's first row names it
        ends = changes["until"][changes["action"] != "suspend"].dropna()
        end = ends.iloc[-1] if len(ends) else pd.NaT  # the measure's own scheduled end, if any
        if done.empty:
            status, since, until, last = "scheduled", first["date"], pd.NaT, first
        else:
            last = done.iloc[-1]
            status, since, until = STATUS_BY_ACTION[last["action"]], last["date"], last["until"]
            if status == "suspended" and pd.notna(until) and until < on:
                status, since, until = "in force", until, end  # the suspension ran out
            elif status == "in force":
                until = end
                if pd.notna(end) and end < on:
                    status, since, until = "ended", end, pd.NaT
        out.append({"id": key, "actor": first["actor"], "kind": first["kind"], "title": title,
                    "status": status, "since": since, "until": until if status != "ended" else pd.NaT,
                    "instrument": last["instrument"], "what": last["what"],
                    "source": " ".join(dict.fromkeys(" ".join(steps["source"]).split()))})
    columns = ["id", "actor", "kind", "title", "status", "since", "until", "instrument", "what", "source"]
    return pd.DataFrame(out, columns=columns)


def measure_changes(known: Facts) -> pd.DataFrame:
    """Every measure row known, with `date`: the day it took or takes effect, or, where no
    effective date is given, the day it was announced."""
    return known.measures.assign(date=known.measures["effective"].fillna(known.measures["announced"]))


def outcomes(known: Facts, on: pd.Timestamp) -> pd.DataFrame:
    """What each meeting produced, as known on `on`: one row per (meeting, row it names), with the
    date the row took or takes effect and the lag in days from the meeting's last day.

    Columns: meeting, title, ended, area, what, effective, lag_days, source."""
    on = pd.Timestamp(on)
    rows = {}
    for area, table, when, text in (("tariffs", known.tariffs, "effective", "what"),
                                    ("measures", measure_changes(known), "date", "what"),
                                    ("tiktok", known.tiktok, "date", "event")):
        for row_id, day, what, source in zip(table["id"], table[when], table[text], table["source"]):
            rows[row_id] = (area, day, what, source)
    out = []
    for _, meeting in known.talks[(known.talks["produced"] != "") & (known.talks["end"] <= on)].iterrows():
        for row_id in meeting["produced"].split():
            if row_id in rows:  # a row announced after `on` is not known yet
                area, day, what, source = rows[row_id]
                out.append({"meeting": meeting["id"], "title": meeting["title"], "ended": meeting["end"], "area": area,
                            "what": what, "effective": day, "lag_days": (day - meeting["end"]).days, "source": source})
    frame = pd.DataFrame(out, columns=["meeting", "title", "ended", "area", "what", "effective", "lag_days", "source"])
    return frame.drop_duplicates(["meeting", "what", "effective"]).reset_index(drop=True)  # one step that moved several layers


# Trade-weighted averages, from the same layers and rules as the duties on products.

def trade_weights(known: Facts) -> pd.DataFrame:
    """The trade weights of the averages: trade.csv with of_trade_pct, the share of that year's
    imports from the other side a keyed row covers (its value over the year's total, or the share
    its source gives); empty for the totals."""
    trade = known.trade
    totals = trade[trade["key"] == ""].set_index(["importer", "year"])["value_usd_bn"]
    keyed = trade["key"] != ""
    over_total = trade["value_usd_bn"] / [totals.get((i, y), float("nan")) for i, y in zip(trade["importer"], trade["year"])] * 100
    return trade.assign(of_trade_pct=over_total.where(trade["value_usd_bn"].notna(), trade["share_pct"]).where(keyed))


def average(known: Facts, on: pd.Timestamp, importer: str) -> dict:
    """The average tariff `importer` charged on the other side's goods on `on`, weighted by trade,
    and the share of that trade an additional tariff covered.

    Method (the report states it in the same two sentences): the average starts from the published
    average before any additional tariff (base_averages.csv) and adds each layer's rate times the
    share of trade it covers (all of it for an across-the-board layer, else the layer's sourced
    trade value over that year's total, or its sourced share). An exemption or stacking rule takes
    off what it takes off a product's duty, times the trade it covers (its own sourced value, a
    family's under a trade key ending in '*', or for a stacking rule without one the trade of the
    layer it gives way to, which then reaches only across-the-board layers, the product lists being
    taken as disjoint); whatever has no sourced trade value is left out and listed in `unweighted`
    with the way leaving it out moves the estimate, as are tiered lists weighted at their top rate.

    Returns base_pct, average_pct, coverage_pct, by_authority ({authority: points}) and unweighted
    (a list of {what, authority, pushes}: pushes is 'down' when leaving it out lowers the estimate)."""
    return _Side(known, importer).at(pd.Timestamp(on))


class _Side:
    """What one side's average needs from the known facts, gathered once (see `average`)."""

    def __init__(self, known: Facts, importer: str):
        base = known.base_averages[known.base_averages["importer"] == importer].sort_values("effective")
        self.base = base.to_dict("records")
        weights = trade_weights(known)
        weights = weights[(weights["importer"] == importer) & (weights["key"] != "")]
        self.shares = dict(zip(weights["key"], weights["of_trade_pct"] / 100))
        self.labels = _labels(known)
        timeline = tariff_timeline(known.tariffs)
        self.changes = timeline[timeline["imposer"] == importer].to_dict("records")
        self.rules = known.rules.to_dict("records")
        self.products = _products(known)

    def _weight(self, rule: dict) -> tuple[str, float] | None:
        """The rule's own trade key and share: its id, or a family key ending in '*' that matches it."""
        for key, share in self.shares.items():
            if key == rule["id"] or (key.endswith("*") and matches(key, rule["id"])):
                return key, share
        return None

    def at(self, on: pd.Timestamp) -> dict:
        earlier = [b for b in self.base if b["effective"] <= on]
        base = (earlier or self.base)[-1]["value_pct"]
        current = {c["layer"]: c for c in _charged(self.changes, on)}
        by_authority: dict[str, float] = {}
        unweighted, layer_share, everything = [], {}, False

        def leave_out(what: str, authority: str, pushes: str) -> None:
            unweighted.append({"what": what, "authority": authority, "pushes": pushes})

        def take(layer: str, points: float) -> None:
            authority = self.labels[layer]["authority"]
            by_authority[authority] = by_authority.get(authority, 0.0) + points

        for key, layer in current.items():
            label, authority = self.labels[key]["label"], self.labels[key]["authority"]
            if layer["scope"] == "all":
                everything, share = True, 1.0
            elif key in self.shares:
                share = layer_share[key] = self.shares[key]
                if layer["rate_text"]:  # a tiered list weighted whole at its top rate overstates the average
                    leave_out(f"{label}: weighted whole at its top rate (tiers {layer['rate_text']})", authority, "up")
            else:
                leave_out(label, authority, "down")
                continue
            take(key, layer["rate_pct"] * share)
        on_lists, bare, done = sum(layer_share.values()), 0.0, set()
        for rule in self.rules:
            if not _in_effect(rule, on):
                continue
            hit = [key for key in current if matches(rule["layer"], key)]
            if not hit or (rule["unless_layer"] and not any(matches(rule["unless_layer"], key) for key in current)):
                continue
            own = self._weight(rule)
            if own and own[0] in done:
                continue
            if rule["product"]:
                if own is None:
                    leave_out(f"exemption: {_short(rule['legal_basis'])}", self.labels[hit[0]]["authority"], "up")
                    continue
                stack = self.products[rule["product"]].stack(on)
                off = {n["layer"] for n in stack["not_applied"] if n["rule"] == rule["id"]}
                for key in off:
                    take(key, -current[key]["rate_pct"] * own[1])
                if off and not stack["layers"]:  # nothing additional left on these goods
                    bare += own[1]
            elif own is not None:  # the rule's goods sit on the hit lists in proportion to their trade
                lists = [key for key in hit if key in layer_share]
                for key in hit:
                    if current[key]["scope"] == "all":
                        take(key, -current[key]["rate_pct"] * own[1])
                for key in lists:
                    take(key, -current[key]["rate_pct"] * own[1] * layer_share[key] / sum(layer_share[k] for k in lists))
                on_lists -= own[1] if lists else 0.0  # counted already under the layer they give way to
            else:
                borrowed = sum(layer_share.get(key, 0.0) for key in current if matches(rule["unless_layer"], key))
                if not borrowed:
                    leave_out(f"stacking rule: {_short(rule['legal_basis'])}", self.labels[hit[0]]["authority"], "up")
                    continue
                for key in hit:
                    if current[key]["scope"] == "all":
                        take(key, -current[key]["rate_pct"] * borrowed)
            if own:
                done.add(own[0])
        return {"base_pct": float(base), "average_pct": float(base) + sum(by_authority.values()),
                "coverage_pct": min(100.0, max(0.0, ((1.0 if everything else on_lists) - bare) * 100)),
                "by_authority": by_authority, "unweighted": list({u["what"]: u for u in unweighted}.values())}


def _short(legal_basis: str) -> str:
    """An instrument's citation without its tariff headings: the text before the first ';' outside
    brackets."""
    depth = 0
    for i, char in enumerate(legal_basis):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth == 0:
            return legal_basis[:i].strip()
    return legal_basis.strip()


def average_steps(known: Facts, importer: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """The estimated average at `start`, at every change of `importer`'s layers or of a rule up to
    `end`, and at `end`. Columns: date, importer, average_pct, coverage_pct, base_pct, and one
    column per authority (its points)."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    side = _Side(known, importer)
    changes = [c["effective"] for c in side.changes]
    rules = [r["effective"] for r in side.rules] + [r["until"] for r in side.rules if pd.notna(r["until"])]
    dates = sorted({start, end, *[d for d in [*changes, *rules] if start < d < end]})
    rows = []
    for day in dates:
        a = side.at(day)
        rows.append({"date": day, "importer": importer, "average_pct": a["average_pct"], "coverage_pct": a["coverage_pct"],
                     "base_pct": a["base_pct"], **a["by_authority"]})
    return pd.DataFrame(rows).fillna(0.0)


def averages_vs_published(known: Facts) -> pd.DataFrame:
    """Every published average in `known` beside the kit's estimate for the same side and date.
    Columns: those of published_averages, plus importer, estimate_pct, gap_pct (estimate minus
    published), estimate_coverage_pct and unweighted (what the estimate could not weight on that
    date, as `average` lists it)."""
    rows, sides = [], {side: _Side(known, side) for side in ("US", "CN")}
    for _, pub in known.published_averages.sort_values(["measured", "series"]).iterrows():
        importer = "US" if pub["series"] == "us_on_china" else "CN"
        est = sides[importer].at(pub["measured"])
        rows.append({**pub.to_dict(), "importer": importer, "estimate_pct": est["average_pct"],
                     "gap_pct": est["average_pct"] - pub["value_pct"], "estimate_coverage_pct": est["coverage_pct"],
                     "unweighted": est["unweighted"]})
    columns = list(known.published_averages.columns) + ["importer", "estimate_pct", "gap_pct", "estimate_coverage_pct", "unweighted"]
    return pd.DataFrame(rows, columns=columns)
