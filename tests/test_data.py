"""Validation on load: every defect stops with one line naming file, row and column."""

import csv

import pytest

from tradebrief import data


def edit(folder, table, row, column, value):
    """Set one cell of a fixture CSV (row numbers as a spreadsheet shows them, header = 1)."""
    path = folder / f"{table}.csv"
    rows = list(csv.reader(path.open(newline="")))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)


@pytest.mark.parametrize("table, row, column, value, message", [
    ("talks", 2, "start", "2025-13-40", "data/talks.csv row 2, column start: '2025-13-40' is not a date (YYYY-MM-DD)"),
    ("talks", 3, "start", "05/06/2025", "data/talks.csv row 3, column start: '05/06/2025' is not a date (YYYY-MM-DD)"),
    ("talks", 2, "end", "2025-05-01", "data/talks.csv row 2, column end: 2025-05-01 is before start 2025-05-10"),
    ("talks", 2, "source", "fx-zz", "data/talks.csv row 2, column source: unknown source id 'fx-zz'"),
    ("talks", 3, "id", "geneva", "data/talks.csv row 3, column id: duplicate id 'geneva' (first on row 2)"),
    ("talks", 2, "kind", "dinner", "data/talks.csv row 2, column kind: 'dinner' is not one of: round, leaders_meeting, leaders_call, ministerial_call, visit"),
    ("tariffs", 4, "rate_pct", "-5", "data/tariffs.csv row 4, column rate_pct: -5 is below the minimum 0"),
    ("tariffs", 4, "rate_pct", "ten", "data/tariffs.csv row 4, column rate_pct: 'ten' is not a number"),
    ("tariffs", 5, "source", "", "data/tariffs.csv row 5, column source: is required"),
    ("tariffs", 2, "effective", "2025-01-01", "data/tariffs.csv row 2, column effective: 2025-01-01 is before announced 2025-02-01"),
    ("tiktok", 2, "deadline", "", "data/tiktok.csv row 2, column deadline: required when deadline_action is 'set'"),
    ("published_averages", 2, "value_pct", "-1", "data/published_averages.csv row 2, column value_pct: -1 is below the minimum 0"),
    ("sources", 2, "accessed", "yesterday", "data/sources.csv row 2, column accessed: 'yesterday' is not a date (YYYY-MM-DD)"),
    ("courts", 2, "layer", "us-nosuch", "data/courts.csv row 2, column layer: unknown layer 'us-nosuch' (not in layers.csv)"),
    ("courts", 2, "kind", "verdict", "data/courts.csv row 2, column kind: 'verdict' is not one of: ruling, order, stay, appeal, refund"),
    ("trade", 5, "share_pct", "20", "data/trade.csv row 5, column value_usd_bn: give a value or a share_pct, not both or neither"),
    ("trade", 5, "value_usd_bn", "", "data/trade.csv row 5, column value_usd_bn: give a value or a share_pct, not both or neither"),
    ("trade", 5, "key", "r-nosuch-*", "data/trade.csv row 5, column key: 'r-nosuch-*' is neither a layer nor a rule nor a family of rules"),
    ("trade", 5, "share_pct", "120", "data/trade.csv row 5, column share_pct: 120 is above the maximum 100"),
    ("trade", 3, "importer", "US", "data/trade.csv row 3, column year: a second total for US in 2017"),
])
def test_defects_are_named_by_file_row_and_column(mini_copy, table, row, column, value, message):
    edit(mini_copy, table, row, column, value)
    with pytest.raises(data.DataError) as caught:
        data.load(mini_copy)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_wrong_header_is_named(mini_copy):
    path = mini_copy / "talks.csv"
    path.write_text(path.read_text().replace("china_leads", "cn_leads", 1))
    with pytest.raises(data.DataError, match=r"^data/talks.csv row 1: header is .*cn_leads.*expected .*china_leads"):
        data.load(mini_copy)


def test_short_row_is_named(mini_copy):
    with (mini_copy / "sources.csv").open("a") as handle:
        handle.write("fx-d,Publisher,Title\n")
    with pytest.raises(data.DataError, match=r"^data/sources.csv row 5: 3 cells, expected 11$"):
        data.load(mini_copy)


def test_missing_file_is_named(mini_copy):
    (mini_copy / "tiktok.csv").unlink()
    with pytest.raises(data.DataError, match=r"^data/tiktok.csv: file not found$"):
        data.load(mini_copy)


def test_bad_vintage_is_named(mini_copy):
    path = mini_copy / "datapackage.json"
    path.write_text(path.read_text().replace('"2026-03-31"', '"2026-02-30"'))
    with pytest.raises(data.DataError, match=r"^data/datapackage.json, data_through: '2026-02-30' is not a date"):
        data.load(mini_copy)


def test_loaded_types(mini):
    assert str(mini.data_through.date()) == "2026-03-31"
    assert mini.tariffs["effective"].dtype.kind == "M"
    assert mini.tariffs["rate_pct"].dtype == float
    assert list(mini.talks["id"]) == ["geneva", "call-1", "summit"]


@pytest.mark.parametrize("fixture", ["mini", "hostile"])
def test_fixtures_use_the_real_schema(fixture):
    import json

    from conftest import ROOT

    real = json.loads((ROOT / "data" / "datapackage.json").read_text())
    copy = json.loads((ROOT / "tests" / "fixtures" / fixture / "datapackage.json").read_text())
    assert copy["resources"] == real["resources"]


def test_a_row_resting_only_on_aggregators_says_so_or_stops_the_load(mini_copy):
    edit(mini_copy, "tiktok", 3, "note", "")
    with pytest.raises(data.DataError) as caught:
        data.load(mini_copy)
    assert str(caught.value) == ("data/tiktok.csv row 3, column note: every source is of kind 'other'; cite an official "
                                 "text, a wire or an outlet, or begin the note with 'Thinly sourced:' and say what was looked for")
    edit(mini_copy, "tiktok", 3, "source", "fx-c fx-b")  # one official source beside the aggregator is enough
    data.load(mini_copy)


def test_the_sourcing_report_counts_rows_by_their_best_source(mini):
    shares, thin = data.sourcing(mini)
    tiktok = shares.set_index("table").loc["tiktok"]
    assert tiktok["rows"] == 4 and tiktok["official"] == 0.75 and tiktok["other"] == 0.25
    assert thin.values.tolist() == [["tiktok", "eo1", "Thinly sourced: only a fixture aggregator."]]


def test_real_rows_are_well_sourced():
    """Issue 16's aim: at least 85% of the rows of the event tables rest on an official text, a
    wire or an outlet; and every thin row is marked (the load enforces it)."""
    shares, thin = data.sourcing(data.load())
    by_table = shares.set_index("table")["official_wire_outlet"]
    for table in ("talks", "tariffs", "tiktok", "measures", "rules", "coverage", "mfn", "products"):
        assert by_table[table] >= 0.85, table
    assert all(note.startswith(data.THIN) for note in thin["note"])
