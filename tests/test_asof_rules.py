"""The as-of rules on the fixture data: cancellation, scheduling, no look-ahead."""

import pandas as pd
import pytest

from tradebrief import asof

D = pd.Timestamp


@pytest.mark.parametrize("day, us, cn", [
    ("2025-02-03", 0, 0),      # announced, not yet effective
    ("2025-02-04", 10, 0),     # 12:01 a.m. counts from that date
    ("2025-03-04", 20, 0),
    ("2025-04-05", 30, 0),
    ("2025-04-08", 30, 0),
    ("2025-04-09", 104, 0),    # the 84% announced later cancels the 34% of the same day
    ("2025-04-10", 145, 34),
    ("2025-05-13", 145, 34),
    ("2025-05-14", 30, 34),    # truce
    ("2025-08-11", 30, 34),
    ("2025-08-12", 30, 34),    # the extension cancelled the snap-back
    ("2025-11-09", 30, 34),
    ("2025-11-10", 54, 34),    # the second snap-back was never cancelled in the fixture
    ("2026-02-24", 20, 34),    # struck down
])
def test_across_the_board(mini, day, us, cn):
    known = asof.known_on(mini, D(day))
    assert asof.across_the_board(known.tariffs, D(day), "US") == us
    assert asof.across_the_board(known.tariffs, D(day), "CN") == cn


def test_product_lists_are_not_in_the_across_the_board_rate(mini):
    known = asof.known_on(mini, D("2019-01-01"))
    assert asof.across_the_board(known.tariffs, D("2019-01-01"), "US") == 0
    assert list(asof.in_force(known.tariffs, D("2019-01-01"))["layer"]) == ["us-list1"]


def test_scheduled_change_is_upcoming_only_once_announced(mini):
    before = asof.known_on(mini, D("2025-05-11"))
    assert asof.upcoming(before, D("2025-05-11")).empty
    after = asof.known_on(mini, D("2025-05-12"))
    coming = asof.upcoming(after, D("2025-05-12"))
    assert list(coming["date"].dt.date.astype(str)) == ["2025-05-14", "2025-08-12"]
    assert coming["what"].iloc[1] == "US reciprocal returns to 34% at the end of the suspension."


def test_cancelled_snapback_disappears_from_upcoming(mini):
    known = asof.known_on(mini, D("2025-08-11"))
    coming = asof.upcoming(known, D("2025-08-11"))
    # the extension keeps the rate as it was: not a change, so only the new snap-back is ahead
    assert list(coming["date"].dt.date.astype(str)) == ["2025-11-10"]
    assert coming["what"].iloc[0] == "US reciprocal returns to 34%."


def test_timeline_ends_each_period_with_the_next_standing_change(mini):
    timeline = asof.tariff_timeline(mini.tariffs)
    recip = timeline[timeline["layer"] == "us-recip"].set_index("id")
    assert list(recip.index) == ["r1", "r3", "r4", "r5", "r8", "r9"]
    assert recip.loc["r5", "until"] == D("2025-11-10") and recip.loc["r5", "ended_by"] == "restore"
    assert recip.loc["r8", "ended_by"] == "struck_down"
    assert pd.isna(recip.loc["r9", "until"])


def test_known_on_hides_later_rows(mini):
    known = asof.known_on(mini, D("2025-04-08"))
    assert known.tariffs["announced"].max() == D("2025-04-08")
    assert "summit" not in set(known.talks["id"])
    assert set(known.tiktok["id"]) == {"law", "eo1", "court"}
    assert known.published_averages.empty
    assert set(known.sources["id"]) == {"fx-a", "fx-b", "fx-c"}
    assert known.courts.empty and len(asof.known_on(mini, D("2025-05-28")).courts) == 1  # the fixture ruling of 28 May


def test_meeting_announced_ahead_is_upcoming(mini):
    known = asof.known_on(mini, D("2026-03-25"))
    coming = asof.upcoming(known, D("2026-03-25"))
    assert coming[coming["area"] == "talks"]["what"].tolist() == ["Beijing summit in Beijing, China"]
    assert asof.upcoming(asof.known_on(mini, D("2026-03-24")), D("2026-03-24"))["area"].tolist() == []


def test_meeting_in_progress_has_no_outcome_yet(mini):
    known = asof.known_on(mini, D("2025-05-10"))
    row = known.talks.set_index("id").loc["geneva"]
    assert row["outcome"] == asof.IN_PROGRESS
    assert asof.known_on(mini, D("2025-05-11")).talks.set_index("id").loc["geneva", "outcome"] == \
        "Both sides agreed to cut tariffs."


@pytest.mark.parametrize("day, expected", [
    ("2024-04-23", None), ("2024-04-24", "2025-01-19"), ("2025-01-19", "2025-01-19"),
    ("2025-01-20", "2025-04-05"), ("2026-01-21", "2025-04-05"), ("2026-01-22", None),
])
def test_deadline(mini, day, expected):
    due = asof.deadline(asof.known_on(mini, D(day)).tiktok)
    assert (None if due is None else str(due.date())) == expected


def test_latest_talks_skips_calls(mini):
    assert asof.latest_talks(mini.talks, D("2025-05-09")) is None
    assert asof.latest_talks(mini.talks, D("2025-06-05"))["id"] == "geneva"


def test_changes_between(mini):
    known = asof.known_on(mini, D("2025-05-14"))
    changed = asof.changes_between(known, D("2025-05-01"), D("2025-05-14"))
    assert changed["what"].tolist() == [
        "Geneva round: Both sides agreed to cut tariffs.",
        "Announced: US reciprocal cut to 10% for 90 days.",
        "Announced: US reciprocal returns to 34% at the end of the suspension.",
    ]


def test_total_steps(mini):
    known = asof.known_on(mini, D("2025-06-01"))
    steps = asof.total_steps(known.tariffs, "US", D("2025-01-01"), D("2025-06-01"))
    assert [(str(d.date()), r) for d, r in zip(steps["date"], steps["rate_pct"])] == [
        ("2025-01-01", 0), ("2025-02-04", 10), ("2025-03-04", 20), ("2025-04-05", 30),
        ("2025-04-09", 104), ("2025-04-10", 145), ("2025-05-14", 30), ("2025-06-01", 30)]


def test_a_change_cancelled_before_its_date_never_takes_effect(facts):
    # The 90-day suspensions were due to end on 2025-11-10; the Busan deal extended them first.
    known = asof.known_on(facts, D("2025-11-12"))
    changed = asof.changes_between(known, D("2025-11-06"), D("2025-11-12"))
    # the non-tariff measures of the Busan deal are there too, each on the day it took effect
    assert ("measures", "China keeps the 4 April unreliable-entity-list measures suspended for one more year "
            "from 10 Nov 2025.") in set(zip(changed["area"], changed["what"]))
    changed = changed[changed["area"].isin(["tariffs", "products"])]
    assert changed["what"].tolist() == [
        "Took effect: USTR adds a 100% Section 301 tariff on Chinese ship-to-shore cranes from 9 November 2025.",
        "Took effect: After the Busan summit China lifts its March 2025 tariffs on US farm products.",
        "Took effect: The postal duty on parcels from China falls to 20% with the IEEPA fentanyl cut, as EO 14324 "
        "sets it at the effective IEEPA rate.",
        "Took effect: Under the Busan arrangement the US pauses the 100% crane tariff for one year from 10 November 2025.",
        "Took effect: After the Busan summit the IEEPA fentanyl tariff on China is halved from 20% to 10%."]


def test_turning_points_are_the_labelled_changes_known_and_in_effect(facts):
    known = asof.known_on(facts, D("2026-05-29"))
    points = asof.turning_points(known.tariffs, D("2018-01-01"), D("2026-05-29"))
    assert [(str(d.date()), label) for d, label in zip(points["date"], points["label"])] == [
        ("2020-02-14", "Phase One"), ("2025-04-10", "April 2025 escalation"), ("2025-05-14", "Geneva truce"),
        ("2025-11-10", "Busan deal"), ("2026-02-24", "Supreme Court ruling; Section 122 surcharge")]
    # On the eve of Geneva, the truce was neither known nor in effect.
    known = asof.known_on(facts, D("2025-05-11"))
    assert asof.turning_points(known.tariffs, D("2018-01-01"), D("2025-05-11"))["label"].tolist() == [
        "Phase One", "April 2025 escalation"]


def test_rate_history_says_when_and_how_each_rate_ended(facts):
    day = D("2025-11-10")
    history = asof.rate_history(asof.known_on(facts, day).tariffs, day)
    assert [(str(r.effective.date()), r.imposer, r.rate_pct, None if pd.isna(r.until) else str(r.until.date()), r.ended)
            for r in history.itertuples()] == [
        ("2025-02-04", "US", 10, "2025-03-04", "raised"),
        ("2025-03-04", "US", 20, "2025-11-10", "cut"),
        ("2025-04-05", "US", 10, "2025-04-09", "raised"),
        ("2025-04-09", "US", 84, "2025-04-10", "raised"),
        ("2025-04-10", "CN", 84, "2025-04-12", "raised"),
        ("2025-04-10", "US", 125, "2025-05-14", "suspended"),
        ("2025-04-12", "CN", 125, "2025-05-14", "suspended"),
        ("2025-05-14", "CN", 10, None, "in force"),
        ("2025-05-14", "US", 10, None, "in force"),   # the 2026 ruling was not known yet
        ("2025-11-10", "US", 10, None, "in force"),
    ]


def test_rate_steps_run_to_the_end_of_the_window(facts):
    day = D("2025-09-15")
    steps = asof.rate_steps(asof.known_on(facts, day).tariffs, "US", D("2018-01-01"), day)
    totals = steps.groupby("date")["rate_pct"].sum()
    assert [(str(d.date()), r) for d, r in totals.items()] == [
        ("2025-02-04", 10), ("2025-03-04", 20), ("2025-04-05", 30), ("2025-04-09", 104), ("2025-04-10", 145),
        ("2025-05-14", 30), ("2025-09-15", 30)]
