"""Trade-weighted averages and coverage from the kit's layers and sourced trade weights, set
beside the averages others published and the headline figures readers meet."""

import dataclasses

import pandas as pd
import pytest

from tradebrief import asof, prose

D = pd.Timestamp
US_2018 = 539.676  # US goods imports from China, 2018 (Commerce): the year USTR's list values are in


def average(facts, side, day):
    return asof.average(asof.known_on(facts, D(day)), D(day), side)


@pytest.mark.parametrize("day, expected, coverage", [
    ("2018-01-01", 3.1, 0),  # PIIE's average when Trump took office, before any additional tariff
    ("2018-09-24", 3.1 + (25 * 34 + 25 * 16 + 10 * 200) / US_2018, (34 + 16 + 200) / US_2018 * 100),
    ("2019-09-01", 3.1 + (25 * 34 + 25 * 16 + 25 * 200 + 15 * 120) / US_2018, (34 + 16 + 200 + 120) / US_2018 * 100),
    ("2020-02-14", 3.1 + (25 * 34 + 25 * 16 + 25 * 200 + 7.5 * 120) / US_2018, (34 + 16 + 200 + 120) / US_2018 * 100),
])
def test_the_us_average_and_coverage_on_dated_cases(facts, day, expected, coverage):
    result = average(facts, "US", day)
    assert result["average_pct"] == pytest.approx(expected)
    assert result["coverage_pct"] == pytest.approx(coverage)


def test_an_exemption_with_a_trade_value_comes_off_the_average(facts):
    # 11 April 2025: the electronics memorandum's goods, 'roughly 22%' of US imports from China, leave
    # the 125% reciprocal tariff, taken off once though two of its rules (laptops, smartphones) apply
    before, after = average(facts, "US", "2025-04-10"), average(facts, "US", "2025-04-11")
    assert before["average_pct"] - after["average_pct"] == pytest.approx(125 * 0.22)
    assert after["by_authority"]["IEEPA reciprocal"] == pytest.approx(125 * 0.78)
    assert after["coverage_pct"] == 100  # the fentanyl tariff still reaches them


def with_weight(facts, key, value_usd_bn=float("nan"), share_pct=float("nan"), year=2024):
    """`facts` with one more US trade weight, as if trade.csv had the row."""
    row = {"id": "test-weight", "importer": "US", "key": key, "year": float(year), "value_usd_bn": value_usd_bn,
           "share_pct": share_pct, "source": "", "note": "", "_row": 999}
    return dataclasses.replace(facts, trade=pd.concat([facts.trade, pd.DataFrame([row])], ignore_index=True))


def test_a_stacking_rule_without_its_own_weight_borrows_the_trade_of_the_layer_it_gives_way_to(facts):
    # 10 April 2025: goods under Section 232 steel (25%) are outside the 125% reciprocal tariff (EO 14257 sec. 3(b)(ii))
    base, weighted = average(facts, "US", "2025-04-10"), average(with_weight(facts, "us-s232-steel", 20.0), "US", "2025-04-10")
    assert weighted["average_pct"] - base["average_pct"] == pytest.approx((25 - 125) * 20 / 438.947)
    assert weighted["by_authority"]["Section 232"] == pytest.approx(25 * 20 / 438.947)
    assert "Section 232: steel" not in [u["what"] for u in weighted["unweighted"]]
    assert "Section 232: steel" in [u["what"] for u in base["unweighted"]]


def test_an_exemption_that_leaves_nothing_on_its_goods_comes_off_the_coverage(facts):
    # 5 March 2025: parcels under de minimis were outside the 20% fentanyl tariff (EO 14200); say 2.4% of imports
    base, weighted = average(facts, "US", "2025-03-05"), average(with_weight(facts, "deminimis-*", share_pct=2.4), "US", "2025-03-05")
    assert base["average_pct"] - weighted["average_pct"] == pytest.approx(20 * 0.024)
    assert (base["coverage_pct"], weighted["coverage_pct"]) == (100, pytest.approx(97.6))


@pytest.mark.parametrize("day", ["2018-09-24", "2019-12-19", "2025-04-12", "2025-05-14", "2025-11-10", "2026-03-01"])
@pytest.mark.parametrize("side", ["US", "CN"])
def test_contributions_add_up_to_the_average_less_the_base(facts, side, day):
    result = average(facts, side, day)
    assert sum(result["by_authority"].values()) == pytest.approx(result["average_pct"] - result["base_pct"])


CN_2017 = 153.943  # China's imports from the US in 2017 by China's customs: the base of its 2018 list values


@pytest.mark.parametrize("side", ["US", "CN"])
def test_every_date_from_2018_has_an_average_and_a_coverage(facts, side):
    known = asof.known_on(facts, facts.data_through)
    steps = asof.average_steps(known, side, D("2018-01-01"), facts.data_through)
    assert steps["date"].min() == D("2018-01-01") and steps["date"].max() == facts.data_through
    assert steps["average_pct"].notna().all() and (steps["average_pct"] >= steps["base_pct"]).all()
    assert steps["coverage_pct"].between(0, 100).all()
    assert steps["coverage_pct"].iloc[-1] == 100  # an across-the-board tariff each way on the last day


def test_china_coverage_on_dated_cases(facts):
    # the April 2018 pork tier ($1.992bn) and the $34bn list of 6 July 2018, over China's own 2017 imports
    assert average(facts, "CN", "2018-07-06")["coverage_pct"] == pytest.approx((1.992 + 34) / CN_2017 * 100)
    assert average(facts, "CN", "2018-09-24")["average_pct"] == pytest.approx(8 + (25 * 1.992 + 25 * 34 + 25 * 16 + 10 * 60) / CN_2017)
    assert average(facts, "CN", "2025-04-10")["coverage_pct"] == 100  # the reciprocal tariff on all US goods


def test_the_estimate_lands_near_peterson_before_2025_and_every_wider_gap_is_explained(facts):
    table = asof.averages_vs_published(asof.known_on(facts, facts.data_through)).set_index(["series", "measured"])
    for series, day in [("us_on_china", "2018-07-01"), ("us_on_china", "2018-09-24"), ("us_on_china", "2019-06-14"),
                        ("us_on_china", "2019-12-19"), ("us_on_china", "2020-02-14"),
                        ("china_on_us", "2018-07-01"), ("china_on_us", "2018-09-24")]:  # PIIE's own dates
        assert abs(table.loc[(series, D(day)), "gap_pct"]) <= 3.05, (series, day)
    wide = table[table["gap_pct"].abs() > 3]
    assert len(wide) >= 5
    for (series, day), row in wide.iterrows():  # something left out moves the estimate the way the gap goes
        way = "up" if row["gap_pct"] > 0 else "down"
        assert any(item["pushes"] == way for item in row["unweighted"]), (series, day)
        why = prose.why_gap(row)
        assert why.startswith(f"The estimate is {abs(row['gap_pct']):.1f} points")
        assert why.count("(") == why.count(")"), why  # citations are shortened whole, not inside brackets


def test_the_reason_for_a_gap_reads_plainly():
    row = pd.Series({"gap_pct": -7.04, "method": "Counts the Section 232 tariffs.", "unweighted": [
        {"what": "Section 232: steel", "authority": "Section 232", "pushes": "down"},
        {"what": "Section 232: aluminum", "authority": "Section 232", "pushes": "down"},
        {"what": "exemption: EO 14257 sec. 3(b)(iv), Annex II (copper)", "authority": "IEEPA reciprocal", "pushes": "up"}]})
    assert prose.why_gap(row) == ("The estimate is 7.0 points below. Left out, which moves it down: Section 232: steel, aluminum. "
                                  "Publisher's method: Counts the Section 232 tariffs.")
    assert prose.why_gap(pd.Series({**row, "gap_pct": 2.9, "method": ""})) == "Within 3 points."


def test_facts_carry_the_averages(facts):
    summary = asof.summary(facts, D("2025-05-20"))
    assert (summary["us_on_china_pct"], summary["us_coverage_pct"], summary["china_coverage_pct"]) == (30, 100, 100)
    assert summary["us_avg_on_china_pct"] == round(average(facts, "US", "2025-05-20")["average_pct"], 1)
    assert summary["latest_published_average"] == {"publisher": "PIIE (Chad Bown)", "series": "us_on_china",
                                                   "value_pct": 51.1, "describes": "2025-05-14", "published": "2025-05-14"}


def test_the_numbers_people_quote_beside_the_kits_own(facts):
    quoted = prose.quoted_vs_kit(asof.known_on(facts, facts.data_through)).set_index("figure")
    assert quoted.loc["White House official: total US tariff on Chinese imports 145%", "kit"] == "145% additional on all goods"
    assert quoted.loc["White House fact sheet: China faces 'up to a 245% tariff'", "kit"] == (
        "245% on Syringes and needles, the highest of the product groups tracked")
    assert quoted["measures"].str.len().min() > 20


def test_figures_from_different_page_versions_are_different_series(facts):
    versions = facts.published_averages.set_index("id")["version"]
    # May 2019 (18.3%) is from PIIE's August 2019 page; 14 June 2019 (12.0%) from its September 2019 chart
    assert versions["piie-us-on-china-2019-05"] != versions["piie-us-on-china-2019-06-14"]


def test_the_trade_weights_say_what_share_of_trade_each_covers(facts):
    weights = asof.trade_weights(facts).set_index("id")
    assert weights.loc["us-list1", "of_trade_pct"] == pytest.approx(34 / US_2018 * 100)  # a value over its year's total
    assert weights.loc["us-electronics-exempt", "of_trade_pct"] == 22  # a share as its source gives it
    assert weights.loc["cn-list-60bn", "of_trade_pct"] == pytest.approx(60 / CN_2017 * 100)
    assert weights.loc[weights["key"] == "", "of_trade_pct"].isna().all()
    assert weights["what"].str.len().min() > 10


def test_coverage_stands_beside_the_coverage_the_publisher_states(facts):
    table = asof.averages_vs_published(asof.known_on(facts, facts.data_through)).set_index(["series", "measured"])
    # PIIE after Phase One: US tariffs 'cover 66.4 percent of US imports from China', China's 58.3 percent;
    # the kit: Lists 1-4A at USTR's values over 2018 imports, China's lists at its values over its 2017 imports
    assert prose.coverage_pair(table.loc[("us_on_china", D("2020-02-14"))]) == "68.6 (published: 66.4)"
    assert prose.coverage_pair(table.loc[("china_on_us", D("2020-02-14"))]) == "72.7 (published: 58.3)"
    assert prose.coverage_pair(table.loc[("us_on_china", D("2025-05-14"))]) == "100.0 (published: 100)"
    assert prose.coverage_pair(table.loc[("us_on_china", D("2018-09-24"))]) == "46.3"
