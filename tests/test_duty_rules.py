"""The duty on a product, on the fixture data: how coverage, exemptions, stacking rules and MFN
rows combine, as known on a date. The real data's stacks are pinned in test_duty.py."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import MINI
from tradebrief import asof, data

D = pd.Timestamp


def stack(facts, product, day):
    result = asof.duty(asof.known_on(facts, D(day)), product, D(day))
    return result["total_pct"], {i["layer"]: i["rate_pct"] for i in result["layers"]}, \
        [i["layer"] for i in result["not_applied"]]


@pytest.mark.parametrize("day, total, layers, off", [
    ("2025-04-09", 104, {"us-fent": 20, "us-recip": 84}, []),
    # the exemption was announced on 11 April with effect from 5 April: unknown on the 10th
    ("2025-04-10", 145, {"us-fent": 20, "us-recip": 125}, []),
    ("2025-04-11", 20, {"us-fent": 20}, ["us-recip"]),
])
def test_an_exemption_applies_once_announced_even_retroactively(mini, day, total, layers, off):
    assert stack(mini, "gadgets", day) == (total, layers, off)


@pytest.mark.parametrize("day, total, layers, off", [
    ("2025-04-04", 2.5 + 25 + 20, {"us-fent": 20, "us-list1": 25}, []),
    ("2025-04-05", 2.5 + 25 + 20, {"us-fent": 20, "us-list1": 25}, ["us-recip"]),  # rule in force
    ("2025-05-31", 2.5 + 25 + 20, {"us-fent": 20, "us-list1": 25}, ["us-recip"]),
    ("2025-06-01", 2.5 + 25 + 20 + 10, {"us-fent": 20, "us-list1": 25, "us-recip": 10}, []),  # rule ended
])
def test_a_stacking_rule_switches_a_layer_off_while_the_other_is_on_the_good(mini, day, total, layers, off):
    assert stack(mini, "widgets", day) == (total, layers, off)


def test_across_the_board_layers_reach_only_their_importers_goods(mini):
    assert stack(mini, "beans", "2025-04-12") == (3 + 34, {"cn-recip": 34}, [])
    assert stack(mini, "gadgets", "2018-07-06") == (0, {}, [])  # List 1 does not cover gadgets


def test_a_new_mfn_rate_is_scheduled_once_announced_and_applies_from_its_date(mini):
    before = asof.duty(asof.known_on(mini, D("2025-05-19")), "beans", D("2025-05-19"))
    assert before["mfn_pct"] == 3 and before["scheduled"] == []
    announced = asof.duty(asof.known_on(mini, D("2025-05-20")), "beans", D("2025-05-20"))
    assert [(s["effective"], s["what"], s["total_pct"]) for s in announced["scheduled"]] == [
        (D("2025-06-01"), "MFN rate becomes 1%", 35)]
    assert stack(mini, "beans", "2025-06-01")[0] == 35


def test_scheduled_changes_are_those_that_move_the_duty(mini):
    result = asof.duty(asof.known_on(mini, D("2025-04-08")), "widgets", D("2025-04-08"))
    # the reciprocal steps of 9 and 10 April do not reach widgets while the stacking rule holds
    assert [(s["effective"], s["total_pct"]) for s in result["scheduled"]] == [(D("2025-06-01"), 131.5)]
    assert result["scheduled"][0]["what"] == ("Ends: The reciprocal tariff does not apply on top of the "
                                              "Section 301 list (Fixture order).")


def test_duty_steps_stack_by_authority_and_add_up(mini):
    steps = asof.duty_steps(asof.known_on(mini, D("2025-06-01")), "widgets", D("2025-01-01"), D("2025-06-01"))
    sums = steps.groupby("date")["rate_pct"].sum()
    assert (sums == steps.groupby("date")["total_pct"].first()).all()
    assert list(sums.index) == [D(d) for d in ("2025-01-01", "2025-02-04", "2025-03-04", "2025-04-05",
                                                  "2025-04-09", "2025-04-10", "2025-05-14", "2025-06-01")]
    assert sums.loc[D("2025-06-01")] == 57.5


def run(*args):
    return subprocess.run([sys.executable, "-m", "tradebrief.cli", *args], capture_output=True, text=True)


def test_cli_prints_one_object_for_one_product():
    result = run("duty", "--data", str(MINI), "--product", "gadgets", "--as-of", "2025-04-12")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert {k: out[k] for k in ("product", "importer", "as_of", "mfn_pct", "additional_pct", "total_pct")} == {
        "product": "gadgets", "importer": "US", "as_of": "2025-04-12", "mfn_pct": 0, "additional_pct": 20,
        "total_pct": 20}
    assert [(i["layer"], i["rate_pct"], i["since"]) for i in out["layers"]] == [("us-fent", 20, "2025-03-04")]
    assert out["layers"][0]["source"] == [{"citation": 'Fixture Publisher, "Fixture source A" (12 May 2025)',
                                           "url": "https://example.org/a"}]
    assert out["not_applied"][0]["why"] == "Gadgets are exempt from the reciprocal tariff."


def test_cli_prints_a_list_for_several_products_and_lists_keys():
    out = json.loads(run("duty", "--data", str(MINI), "--product", "gadgets", "--product", "beans").stdout)
    assert [(o["product"], o["as_of"]) for o in out] == [("gadgets", "2026-03-31"), ("beans", "2026-03-31")]
    listed = json.loads(run("duty", "--data", str(MINI), "--list").stdout)
    assert [item["product"] for item in listed] == ["widgets", "gadgets", "beans"]


@pytest.mark.parametrize("args, message", [
    (["--product", "gadget"], "tradebrief: error: --product: unknown product 'gadget'; did you mean gadgets or widgets?"),
    (["--product", "zzz"], "tradebrief: error: --product: unknown product 'zzz'; see tradebrief duty --list"),
    ([], "tradebrief: error: --product: give at least one product key, or --list to see them"),
    (["--product", "beans", "--as-of", "2025-02-30"],
     "tradebrief: error: parameter as_of: '2025-02-30' is not a date, expected YYYY-MM-DD"),
    (["--product", "beans", "--as-of", "2017-12-31"],
     "tradebrief: error: parameter as_of: 2017-12-31 is outside the data, which covers 2018-01-01 to 2026-03-31"),
])
def test_cli_bad_input_gets_one_line_and_exit_2(args, message):
    result = run("duty", "--data", str(MINI), *args)
    assert (result.returncode, result.stdout, result.stderr.strip()) == (2, "", message)


@pytest.mark.parametrize("file, line, message", [
    ("rules.csv", "r-bad,us-recip,,gadgets,2025-04-11,2025-04-31,,Memo,Why.,fx-a,",
     "data/rules.csv row 4, column effective: '2025-04-31' is not a date (YYYY-MM-DD)"),
    ("rules.csv", "r-bad,us-nosuch,,gadgets,2025-04-11,2025-04-05,,Memo,Why.,fx-a,",
     "data/rules.csv row 4, column layer: 'us-nosuch' matches no layer in layers.csv"),
    ("rules.csv", "r-bad,us-recip,,,2025-04-11,2025-04-05,,Memo,Why.,fx-a,",
     "data/rules.csv row 4, column product: required when unless_layer is empty (an exemption is for one product)"),
    ("rules.csv", "r-bad,us-recip,,gadgets,2025-04-11,2025-04-05,2025-04-01,Memo,Why.,fx-a,",
     "data/rules.csv row 4, column until: 2025-04-01 is before effective 2025-04-05"),
    ("coverage.csv", "beans,us-list1,fx-a,",
     "data/coverage.csv row 3, column layer: 'us-list1' is imposed by US, but 'beans' is imported by CN"),
    ("coverage.csv", "widgets,us-list1,fx-b,",
     "data/coverage.csv row 3, column layer: duplicate product/layer 'widgets us-list1' (first on row 2)"),
    ("mfn.csv", "m-x,nuts,1,,2018-01-01,,fx-a,", "data/mfn.csv row 6, column product: unknown product 'nuts' (not in products.csv)"),
    ("mfn.csv", "m-x,beans,-1,,2018-01-01,,fx-a,", "data/mfn.csv row 6, column mfn_pct: -1 is below the minimum 0"),
    ("products.csv", "nuts,Nuts,US,HTS 0802,fx-a,", "data/products.csv row 5, column key: no MFN rate in mfn.csv from 2018-01-01 for 'nuts'"),
    ("tariffs.csv", "x1,US,us-other,Basis,all,All,,impose,5,,2025-01-01,2025-01-02,What.,fx-a,,",
     "data/tariffs.csv row 15, column layer: unknown layer 'us-other' (not in layers.csv)"),
])
def test_a_bad_row_stops_the_load_naming_file_row_and_column(mini_copy, file, line, message):
    with (mini_copy / file).open("a") as handle:
        handle.write(line + "\n")
    with pytest.raises(data.DataError) as err:
        data.load(mini_copy)
    assert str(err.value) == message
