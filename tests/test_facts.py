"""The curated data through the as-of model: figures pinned to what the sources state.

Each tariff change is checked on the day before and the day it takes effect; each deadline on the
day before and the day it is set.
"""

import subprocess
import sys

import json
import pandas as pd
import pytest

from tradebrief import asof, data

D = pd.Timestamp


def rates(facts, day):
    known = asof.known_on(facts, D(day))
    return asof.across_the_board(known.tariffs, D(day), "US"), asof.across_the_board(known.tariffs, D(day), "CN")


@pytest.mark.parametrize("day, us, cn", [
    ("2018-07-06", 0, 0),          # 2018-19 measures are product lists (Section 301; China's lists)
    ("2019-05-10", 0, 0),
    ("2025-02-03", 0, 0),
    ("2025-02-04", 10, 0),         # EO 14195, IEEPA fentanyl 10%
    ("2025-03-03", 10, 0),
    ("2025-03-04", 20, 0),         # EO 14228, fentanyl 20%
    ("2025-04-04", 20, 0),
    ("2025-04-05", 30, 0),         # reciprocal baseline 10%
    ("2025-04-08", 30, 0),
    ("2025-04-09", 104, 0),        # EO 14259: reciprocal 84% (+20 fentanyl)
    ("2025-04-10", 145, 84),       # EO 14266: 125%; China's No. 4 (34%) then No. 5 (84%)
    ("2025-04-11", 145, 84),
    ("2025-04-12", 145, 125),      # China's No. 6: 125%
    ("2025-05-13", 145, 125),
    ("2025-05-14", 30, 10),        # Geneva: 24 points suspended, 10% kept on both sides
    ("2025-08-12", 30, 10),        # Stockholm extension: no change
    ("2025-09-15", 30, 10),
    ("2025-11-09", 30, 10),
    ("2025-11-10", 20, 10),        # Busan: fentanyl 20% -> 10%
    ("2026-02-23", 20, 10),
    ("2026-02-24", 10, 10),        # IEEPA collection ends; Section 122 10% begins
    ("2026-03-01", 10, 10),
    ("2026-05-29", 10, 10),
])
def test_across_the_board_rates(facts, day, us, cn):
    assert rates(facts, day) == (us, cn)


@pytest.mark.parametrize("layer, day, rate", [
    ("us-s301-list1", "2018-07-05", None), ("us-s301-list1", "2018-07-06", 25),
    ("us-s301-list2", "2018-08-22", None), ("us-s301-list2", "2018-08-23", 25),
    ("us-s301-list3", "2018-09-23", None), ("us-s301-list3", "2018-09-24", 10),
    ("us-s301-list3", "2019-01-01", 10),   # the Jan 1 rise was held at Buenos Aires
    ("us-s301-list3", "2019-05-09", 10), ("us-s301-list3", "2019-05-10", 25),
    ("us-s301-list4a", "2019-08-31", None), ("us-s301-list4a", "2019-09-01", 15),
    ("us-s301-list4a", "2020-02-13", 15), ("us-s301-list4a", "2020-02-14", 7.5),
    ("us-s301-list4b", "2019-12-15", None),  # never took effect
    # the four-year-review layers start when their new rate does (before, the goods sat in Lists 1-3)
    ("us-s301-review-ev", "2024-09-26", None), ("us-s301-review-ev", "2024-09-27", 100),
    ("us-s301-review-semiconductors", "2024-12-31", None), ("us-s301-review-semiconductors", "2025-01-01", 50),
    ("cn-s301-2018-list1", "2018-07-06", 25),
    ("cn-fent-2025-farm", "2025-03-09", None), ("cn-fent-2025-farm", "2025-03-10", 15), ("cn-fent-2025-farm", "2025-11-10", None),
])
def test_product_list_rates(facts, layer, day, rate):
    current = asof.in_force(asof.known_on(facts, D(day)).tariffs, D(day)).set_index("layer")
    assert (current.loc[layer, "rate_pct"] if layer in current.index else None) == rate


@pytest.mark.parametrize("day, expected", [
    ("2024-04-23", None),
    ("2024-04-24", "2025-01-19"),     # PAFACA signed: 270 days
    ("2025-01-19", "2025-01-19"),
    ("2025-01-20", "2025-04-05"),     # EO 14166: 75 days
    ("2025-04-03", "2025-04-05"),
    ("2025-04-04", "2025-06-19"),     # EO 14258
    ("2025-06-19", "2025-09-17"),     # EO 14310
    ("2025-09-15", "2025-09-17"),
    ("2025-09-16", "2025-12-16"),     # EO 14350
    ("2025-09-25", "2026-01-23"),     # EO 14352: 120 days
    ("2026-01-21", "2026-01-23"),
    ("2026-01-22", None),             # joint venture closed
    ("2026-05-29", None),
])
def test_tiktok_deadline(facts, day, expected):
    due = asof.deadline(asof.known_on(facts, D(day)).tiktok, "pafaca")
    assert (None if due is None else str(due.date())) == expected


@pytest.mark.parametrize("day, place, start", [
    ("2018-05-02", None, None),
    ("2018-12-01", "Buenos Aires, Argentina", "2018-12-01"),
    ("2025-04-12", "Washington, United States", "2019-10-10"),
    ("2025-05-10", "Geneva, Switzerland", "2025-05-10"),
    ("2025-09-15", "Madrid, Spain", "2025-09-14"),
    ("2025-10-30", "Busan, South Korea", "2025-10-30"),
    ("2026-03-01", "Busan, South Korea", "2025-10-30"),
    ("2026-05-29", "Beijing, China", "2026-05-14"),
])
def test_latest_talks(facts, day, place, start):
    latest = asof.latest_talks(asof.known_on(facts, D(day)).talks, D(day))
    assert (None if latest is None else (latest["place"], str(latest["start"].date()))) == \
        (None if place is None else (place, start))


def test_upcoming_on_the_madrid_day(facts):
    coming = asof.upcoming(asof.known_on(facts, D("2025-09-15")), D("2025-09-15"))
    first = [(str(d.date()), area) for d, area in zip(coming["date"], coming["area"])][:5]
    assert first == [("2025-09-17", "tiktok"), ("2025-09-19", "talks"), ("2025-10-14", "measures"),  # port fees
                     ("2025-11-10", "tariffs"), ("2025-11-10", "tariffs")]


def test_upcoming_threat_then_withdrawal(facts):
    threat = asof.upcoming(asof.known_on(facts, D("2025-10-15")), D("2025-10-15"))
    assert ("2025-11-01", "tariffs") in set(zip(threat["date"].dt.date.astype(str), threat["area"]))
    withdrawn = asof.upcoming(asof.known_on(facts, D("2025-10-26")), D("2025-10-26"))
    # what is left on 1 November is the Section 232 truck tariff (a product list), not the threat
    assert set(withdrawn.loc[withdrawn["date"] == D("2025-11-01"), "area"]) == {"products"}


def test_beijing_summit_upcoming_once_announced(facts):
    before = asof.upcoming(asof.known_on(facts, D("2026-03-24")), D("2026-03-24"))
    after = asof.upcoming(asof.known_on(facts, D("2026-03-25")), D("2026-03-25"))
    assert "2026-05-14" not in set(before["date"].dt.date.astype(str))
    assert ("2026-05-14", "talks") in set(zip(after["date"].dt.date.astype(str), after["area"]))


def test_vintage_upcoming(facts):
    coming = asof.upcoming(asof.known_on(facts, facts.data_through), facts.data_through)
    assert [(str(d.date()), area) for d, area in zip(coming["date"], coming["area"])] == [
        ("2026-07-24", "products"), ("2026-07-24", "tariffs"),  # the postal duty ends with the Section 122 surcharge
        ("2026-09-13", "measures"),  # end of China's analog-chip anti-dumping probe
        ("2026-11-09", "measures"), ("2026-11-10", "measures"), ("2026-11-10", "measures"),  # suspensions run out
        ("2026-11-10", "products"), ("2026-11-10", "tariffs"), ("2026-11-27", "measures"),
        ("2027-01-01", "products"), ("2027-01-01", "products")]  # the postponed wood steps


def test_piie_series_kept_apart(facts):
    averages = facts.published_averages.set_index(["series", "measured"])["value_pct"]
    assert averages[("us_on_china", D("2025-05-14"))] == 51.1
    assert averages[("china_on_us", D("2025-05-14"))] == 32.6
    assert set(facts.published_averages["series"]) == {"us_on_china", "china_on_us"}


def test_every_source_is_cited_and_every_row_cites_one(facts):
    cited = set()
    for name in data.TABLES:
        table = getattr(facts, name)
        if "source" not in table:
            continue
        assert table["source"].str.len().min() > 0
        cited.update(s for ids in table["source"] for s in ids.split(" "))
    assert set(facts.sources["id"]) == cited


def test_data_ends_at_the_vintage(facts):
    """The vintage is the last day the data was checked to: no row is dated after it, and the last
    rows (CBP's 23 June notice, dated from its 29 June start; China's 22 June listing) lie close."""
    assert str(facts.data_through.date()) == "2026-06-29"
    latest = max(facts.talks["start"].max(), facts.tariffs["announced"].max(), facts.tiktok["date"].max(),
                 facts.published_averages["published"].max(), facts.measures["announced"].max(), facts.courts["date"].max())
    assert latest == D("2026-06-23")


@pytest.mark.parametrize("day", ["2018-06-30", "2019-12-13", "2025-04-12", "2025-09-15", "2026-03-01"])
def test_no_look_ahead(facts, day, tmp_path):
    """Deleting every row published after D from the files changes nothing in the facts for D."""
    import shutil

    target = tmp_path / "data"
    shutil.copytree(data.data_dir(), target, ignore=shutil.ignore_patterns("_staging"))
    columns = {"talks": "start", "tariffs": "announced", "tiktok": "date", "published_averages": "published"}
    for table, column in columns.items():
        frame = pd.read_csv(target / f"{table}.csv", dtype=str, keep_default_na=False)
        early = frame[column] <= day
        if table == "talks":
            early = frame["announced"].where(frame["announced"] != "", frame["start"]) <= day
        frame[early].to_csv(target / f"{table}.csv", index=False)
    assert asof.summary(data.load(target), D(day)) == asof.summary(facts, D(day))


def test_cli_default_is_the_vintage():
    result = subprocess.run([sys.executable, "-m", "tradebrief.cli", "facts"], capture_output=True, text=True)
    facts = json.loads(result.stdout)
    assert facts["as_of"] == facts["data_through"] == "2026-06-29"
    assert (facts["us_on_china_pct"], facts["china_on_us_pct"]) == (10, 10)
    assert facts["latest_talks"] == {"place": "Beijing, China", "start": "2026-05-14", "end": "2026-05-15"}
