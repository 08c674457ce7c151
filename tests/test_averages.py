"""Trade-weighted averages and coverage from the kit's layers and sourced trade weights, set
beside the averages others published and the headline figures readers meet."""

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
    # 11 April 2025: smartphones ($41.7bn) and laptops ($33.1bn) of 2024's $438.9bn leave the 125% reciprocal tariff
    before, after = average(facts, "US", "2025-04-10"), average(facts, "US", "2025-04-11")
    assert before["average_pct"] - after["average_pct"] == pytest.approx(125 * (41.7 + 33.1) / 438.947)
    assert after["coverage_pct"] == 100  # the fentanyl tariff still reaches them


@pytest.mark.parametrize("day", ["2018-09-24", "2019-12-19", "2025-04-12", "2025-05-14", "2025-11-10", "2026-03-01"])
@pytest.mark.parametrize("side", ["US", "CN"])
def test_contributions_add_up_to_the_average_less_the_base(facts, side, day):
    result = average(facts, side, day)
    assert sum(result["by_authority"].values()) == pytest.approx(result["average_pct"] - result["base_pct"])


def test_china_coverage_on_dated_cases(facts):
    assert average(facts, "CN", "2018-07-06")["coverage_pct"] == pytest.approx(34 / 130.4 * 100)
    assert average(facts, "CN", "2025-04-10")["coverage_pct"] == 100  # the reciprocal tariff on all US goods


def test_the_estimate_lands_near_peterson_before_2025_and_every_wider_gap_is_explained(facts):
    table = asof.averages_vs_published(asof.known_on(facts, facts.data_through)).set_index(["series", "measured"])
    for day in ("2018-09-24", "2019-12-19", "2020-02-14"):  # PIIE's own dates, US side
        assert abs(table.loc[("us_on_china", D(day)), "gap_pct"]) <= 3.05
    wide = table[table["gap_pct"].abs() > 3]
    assert len(wide) and (wide["left_out"].str.len() > 0).all()


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
