"""Non-tariff measures: statuses on both sides of each suspension and end, as the sources date
them, in the as-of model, `tradebrief facts` and the cliffs ahead."""

import csv
import json
import subprocess
import sys

import pandas as pd
import pytest

from tradebrief import asof, data, prose

D = pd.Timestamp


def status(facts, measure, day, known_on=None):
    table = asof.measures(asof.known_on(facts, D(known_on or day)), D(day)).set_index("id")
    if measure not in table.index:
        return None
    row = table.loc[measure]
    return row["status"], (None if pd.isna(row["until"]) else str(row["until"].date()))


@pytest.mark.parametrize("measure, day, expected", [
    # China's October 2025 rare-earth package (MOFCOM Ann. 55-58, 61, 62), suspended by Ann. 70 to 2026-11-10
    ("cn-rare-earths-2025-10", "2025-10-08", None),
    ("cn-rare-earths-2025-10", "2025-10-09", ("in force", None)),
    ("cn-rare-earths-2025-10", "2025-11-06", ("in force", None)),
    ("cn-rare-earths-2025-10", "2025-11-07", ("suspended", "2026-11-10")),
    ("cn-rare-earths-2025-10", "2026-11-10", ("suspended", "2026-11-10")),
    # ...and, with nothing later known, in force again once the suspension has run out
    ("cn-rare-earths-2025-10", "2026-11-11", ("in force", None)),
    # the US-specific gallium/germanium/antimony ban (Ann. 46 of 2024), suspended by Ann. 72 to 2026-11-27
    ("cn-us-dual-use-ban-2024", "2024-12-02", None),
    ("cn-us-dual-use-ban-2024", "2024-12-03", ("in force", None)),
    ("cn-us-dual-use-ban-2024", "2025-11-08", ("in force", None)),
    ("cn-us-dual-use-ban-2024", "2025-11-09", ("suspended", "2026-11-27")),
    # the BIS affiliates rule (effective 2025-09-29), suspended from 2025-11-10 through 2026-11-09
    ("us-affiliates-rule", "2025-09-28", None),
    ("us-affiliates-rule", "2025-09-29", ("in force", None)),
    ("us-affiliates-rule", "2025-11-09", ("in force", None)),
    ("us-affiliates-rule", "2025-11-10", ("suspended", "2026-11-09")),
    # the Section 301 port fees: announced 2025-04-17 for 2025-10-14, suspended for a year from 2025-11-10
    ("us-301-ships", "2025-04-16", None),
    ("us-301-ships", "2025-04-17", ("scheduled", None)),
    ("us-301-ships", "2025-10-14", ("in force", None)),
    ("us-301-ships", "2025-11-10", ("suspended", "2026-11-10")),
    # Phase One purchases: over 2020-2021, then ended
    ("cn-phase-one-purchases", "2021-12-31", ("in force", "2021-12-31")),
    ("cn-phase-one-purchases", "2022-01-01", ("ended", None)),
    # EDA software licence requirement, May to July 2025
    ("us-eda-2025", "2025-07-01", ("in force", None)),
    ("us-eda-2025", "2025-07-02", ("ended", None)),
])
def test_statuses_on_both_sides_of_each_change(facts, measure, day, expected):
    assert status(facts, measure, day) == expected


def test_facts_lists_the_measures_known_on_the_date():
    result = subprocess.run([sys.executable, "-m", "tradebrief.cli", "facts", "--as-of", "2025-11-15"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    measures = {m["id"]: m for m in json.loads(result.stdout)["measures"]}
    assert measures["us-affiliates-rule"] == {
        "id": "us-affiliates-rule", "actor": "US", "kind": "entity_list", "title": "Affiliates ('50 percent') Rule",
        "status": "suspended", "since": "2025-11-10", "until": "2026-11-09"}
    assert "cn-boeing-2026" not in measures  # announced in May 2026
    assert {m["status"] for m in measures.values()} <= {"in force", "suspended", "scheduled", "ended"}


def test_the_cliffs_ahead_include_the_suspensions_running_out(facts):
    coming = asof.upcoming(asof.known_on(facts, D("2026-05-29")), D("2026-05-29"))
    cliffs = coming[coming["area"] == "measures"]
    assert [str(d.date()) for d in cliffs["date"]] == ["2026-09-13", "2026-11-09", "2026-11-10", "2026-11-10", "2026-11-27"]
    assert cliffs["what"].iloc[1] == "Suspension runs out: Affiliates ('50 percent') Rule. It applies again unless extended."
    assert cliffs["what"].iloc[0] == "Scheduled to end: Anti-dumping investigation into US analog IC chips."


def test_the_state_of_play_names_the_suspensions_a_reader_can_date(facts):
    def said(day):
        return prose.measures_state(asof.measures(asof.known_on(facts, D(day)), D(day)), D(day), named=1)
    # mid-December 2025: nine suspended (MOFCOM stopped the 9 Apr listings on 2025-08-12), the affiliates
    # rule the first to run out (BIS, through 2026-11-09)
    assert said("2025-12-15")[1] == ("9 were suspended, each applying again when its suspension runs out unless it "
                                     "is extended: Affiliates ('50 percent') Rule (to 9 November 2026); 8 more.")
    # June 2025: the four suspended then had no announced end; the sentence names none and promises no list
    assert said("2025-06-01")[1] == "4 were suspended, with no end date announced."


def test_a_measure_row_with_a_bad_date_stops_the_load(mini_copy):
    with (mini_copy / "measures.csv").open("a") as handle:
        handle.write("m4,US,port_fee,us-fees,suspend,Pause,Fixture notice,2019-11-01,2019-11-31,,Paused.,fx-a,\n")
    with pytest.raises(data.DataError) as err:
        data.load(mini_copy)
    assert str(err.value) == "data/measures.csv row 5, column effective: '2019-11-31' is not a date (YYYY-MM-DD)"


def test_fixture_suspension_lapses_after_its_end(mini):
    assert status(mini, "cn-widgets-ban", "2019-08-12") == ("suspended", "2019-08-12")
    assert status(mini, "cn-widgets-ban", "2019-08-13") == ("in force", None)
    assert status(mini, "us-fees", "2019-06-01") == ("scheduled", None)
    assert status(mini, "us-fees", "2019-10-14") == ("in force", None)


def test_talks_name_what_they_produced_with_the_lag(facts):
    produced = asof.outcomes(asof.known_on(facts, D("2026-05-29")), D("2026-05-29"))
    geneva = produced[produced["meeting"] == "2025-05-geneva"]
    assert set(geneva["lag_days"]) == {3} and len(geneva) == 6  # 14 May, three days after Geneva ended
    busan = produced[produced["meeting"] == "2025-10-busan"].set_index("what")["lag_days"]
    assert busan["After the Busan summit the IEEPA fentanyl tariff on China is halved from 20% to 10%."] == 11
    assert produced.loc[produced["meeting"] == "2020-01-phase-one-signing", "lag_days"].tolist() == [30, 30, 30, 30]


def test_a_produced_row_shows_only_once_known(facts):
    early = asof.outcomes(asof.known_on(facts, D("2025-11-01")), D("2025-11-01"))
    busan = set(early.loc[early["meeting"] == "2025-10-busan", "what"])
    assert "After the Busan summit the IEEPA fentanyl tariff on China is halved from 20% to 10%." in busan
    assert "After the Busan summit China lifts its March 2025 tariffs on US farm products." not in busan  # 5 November


def test_a_link_to_a_missing_row_stops_the_load(mini_copy):
    path = mini_copy / "talks.csv"
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("produced")] = "no-such-row"
    with path.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    with pytest.raises(data.DataError) as err:
        data.load(mini_copy)
    assert str(err.value) == "data/talks.csv row 2, column produced: unknown row 'no-such-row' (not in tariffs, measures or tiktok)"


def test_the_measures_chart_counts_each_sides_levers(facts):
    from tradebrief import charts, prose

    on = D("2026-05-29")
    table = asof.measures(asof.known_on(facts, on), on)
    counts = charts.measures_by_kind(prose.live_measures(table), on, "S.").data.set_index(["lever", "status"])["measures"]
    assert counts[("China: export control", "in force")] == 5
    assert counts[("China: export control", "suspended")] == 2  # the Oct 2025 package and the US-specific ban
    assert counts[("United States: port fee", "suspended")] == 1
    assert counts.sum() == (table["status"] != "ended").sum()


def test_every_measure_action_and_kind_has_a_label_for_readers():
    descriptor, _ = data.package(data.data_dir())
    fields = {f["name"]: f for r in descriptor["resources"] if r["name"] == "measures" for f in r["schema"]["fields"]}
    assert set(fields["action"]["constraints"]["enum"]) == set(prose.ACTIONS)
    assert set(fields["kind"]["constraints"]["enum"]) == set(prose.KINDS)
