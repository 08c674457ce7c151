"""The duty on each product group in the curated data, pinned to what the sources state.

Totals come from published breakdowns (data/published_stacks.csv); each stacking rule and
exemption is checked on a product where it bites, on both sides of its date.
"""

import json
import subprocess
import sys

import pandas as pd
import pytest

from tradebrief import asof

D = pd.Timestamp


def stack(facts, product, day, known_on=None):
    known = asof.known_on(facts, D(known_on or day))
    result = asof.duty(known, product, D(day))
    return result["total_pct"], {i["layer"]: i["rate_pct"] for i in result["layers"]}


def test_every_published_total_is_reconciled(facts):
    """Where the kit agrees with a publisher it matches to the publisher's rounding; where it
    does not, the gap is real (and the row's note says why)."""
    table = asof.published_vs_kit(facts, facts.data_through)
    assert len(table) == len(facts.published_stacks) == 32
    agree = table[table["agrees"] == "yes"]
    assert (agree["gap_pct"].abs() <= 0.5).all(), agree.loc[agree["gap_pct"].abs() > 0.5, ["id", "value_pct", "kit_pct"]]
    differ = table[table["agrees"] == "no"].set_index("id")
    assert differ["kit_pct"].to_dict() == {"ps-pork-2024-08-19": 37, "ps-ev-2025-04-16-wh": 147.5}
    assert (differ["note"].str.len() > 0).all()


@pytest.mark.parametrize("product, day, total, layers", [
    # White House fact sheet of 15 April 2025, 'up to 245%': syringes (NYT, WSJ)
    ("syringes-needles", "2025-04-16", 245, {"us-s301-review-syringes-needles": 100, "us-ieepa-fentanyl": 20,
                                            "us-ieepa-reciprocal": 125}),
    ("electric-vehicles", "2025-04-16", 147.5, {"us-s301-review-ev": 100, "us-s232-autos": 25, "us-ieepa-fentanyl": 20}),
    ("smartphones", "2025-04-13", 20, {"us-ieepa-fentanyl": 20}),
    ("childrens-books", "2025-04-16", 0, {}),
    # after the Busan deal: soybeans 13% (Reuters: 'a preexisting 3% base tariff' plus 10%)
    ("soybeans", "2025-11-10", 13, {"cn-recip-2025": 10}),
    ("pork", "2025-05-14", 57, {"cn-s232-2018": 25, "cn-fent-2025-farm-10pct": 10, "cn-recip-2025": 10}),
    ("large-cars", "2018-12-14", 40, {"cn-s301-2018-list1-vehicles": 25}),
])
def test_published_stacks_layer_by_layer(facts, product, day, total, layers):
    assert stack(facts, product, day) == (total, layers)


@pytest.mark.parametrize("product, before, after, total_before, total_after", [
    # the four-year review's rate replaces the list rate (EVs: List 1 25% -> 100%)
    ("electric-vehicles", "2024-09-26", "2024-09-27", 27.5, 102.5),
    # reciprocal not on Section 232 steel: on 5 April steel gets 232 + 301 + fentanyl, no reciprocal
    ("steel", "2025-04-04", "2025-04-05", 0 + 25 + 25 + 20, 0 + 25 + 25 + 20),
    # auto parts: reciprocal until the parts tariff starts on 3 May 2025, then 232 instead
    ("auto-parts", "2025-05-02", "2025-05-03", 2.5 + 25 + 20 + 125, 2.5 + 25 + 20 + 25),
    # cabinets: reciprocal 10% until the wood tariff (25%) takes over on 14 October 2025
    ("furniture", "2025-10-13", "2025-10-14", 25 + 20 + 10, 25 + 20 + 25),
    # copper: Annex II until 1 August 2025, then the Section 232 rule; the 50% starts
    ("copper", "2025-07-31", "2025-08-01", 1 + 25 + 20, 1 + 25 + 20 + 50),
    # Section 122 not on Section 232 goods, but on goods without a 232 layer
    ("steel", "2026-02-23", "2026-02-24", 0 + 50 + 25 + 10, 0 + 50 + 25),
    ("toys", "2026-02-23", "2026-02-24", 0 + 10 + 10, 0 + 10),
    # informational materials: books pay nothing extra under Section 122 either
    ("childrens-books", "2026-02-23", "2026-02-24", 0, 0),
    # China's market-based exclusions from 2 March 2020 reach soybeans' Section 301 countermeasures
    ("soybeans", "2020-03-01", "2020-03-02", 3 + 25 + 2.5, 3),
    # ...but not pork's April 2018 Section 232 countermeasure
    ("pork", "2020-03-01", "2020-03-02", 8 + 25 + 25 + 5, 8 + 25),
    # the 11 April 2025 memorandum, known only once issued, though retroactive to 5 April
    ("laptops", "2025-04-10", "2025-04-11", 145, 20),
    # Semiconductors: Annex II from the start of the reciprocal tariff
    ("semiconductors", "2025-04-04", "2025-04-05", 50 + 20, 50 + 20),
])
def test_rules_on_both_sides_of_their_date(facts, product, before, after, total_before, total_after):
    assert stack(facts, product, before)[0] == total_before
    assert stack(facts, product, after)[0] == total_after


def test_each_rule_names_why_it_switched_a_layer_off(facts):
    result = asof.duty(asof.known_on(facts, D("2025-04-16")), "semiconductors", D("2025-04-16"))
    assert [(i["layer"], i["why"]) for i in result["not_applied"]] == [
        ("us-ieepa-reciprocal", "Semiconductors are listed in Annex II of the reciprocal-tariff order and are exempt "
                                "from the reciprocal tariff."),
        ("us-s301-list2", "The four-year review raised the product's existing Section 301 rate: its rate replaces "
                          "the 2018-2019 list rate rather than adding to it.")]


@pytest.mark.parametrize("product, day, change, before, after", [
    ("steel", "2025-06-03", "2025-06-04", 25 + 25 + 20, 50 + 25 + 20),    # Proclamation 10947: 25% -> 50%
    ("electric-vehicles", "2025-04-02", "2025-04-03", 2.5 + 100 + 20, 2.5 + 100 + 20 + 25),  # Section 232 autos
    ("lng", "2019-05-31", "2019-06-01", 10, 25),                          # China's $60bn list: 10% -> 25%
    ("large-cars", "2018-12-31", "2019-01-01", 15 + 25, 15),              # car tariff suspended
    ("large-cars", "2019-12-14", "2019-12-15", 15, 15),                   # restoration cancelled on the day
    ("cranes", "2025-11-09", "2025-11-10", 25 + 100 + 20 + 10, 25 + 10 + 10),  # crane 100% paused; fentanyl 10%
    ("soybeans", "2025-11-09", "2025-11-10", 3 + 10 + 10, 3 + 10),        # Busan: farm tariffs lifted
])
def test_as_of_on_both_sides_of_a_change(facts, product, day, change, before, after):
    assert (stack(facts, product, day)[0], stack(facts, product, change)[0]) == (before, after)


def test_a_scheduled_step_shows_as_scheduled_and_a_postponed_one_never_applies(facts):
    # On 1 December 2025 the cabinets step to 50% was due on 1 January 2026.
    due = asof.duty(asof.known_on(facts, D("2025-12-01")), "furniture", D("2025-12-01"))
    assert [(str(s["effective"].date()), s["total_pct"]) for s in due["scheduled"]][:1] == [("2026-01-01", 25 + 50 + 10)]
    # The proclamation of 31 December postponed it a year: on 1 January it did not apply...
    assert stack(facts, "furniture", "2026-01-01")[1]["us-s232-cabinets"] == 25
    # ...and as known on 2025-12-01, looking at 2026-01-02, it would have.
    assert stack(facts, "furniture", "2026-01-02", known_on="2025-12-01")[1]["us-s232-cabinets"] == 50
    later = asof.duty(asof.known_on(facts, D("2026-01-01")), "furniture", D("2026-01-01"))
    assert "2027-01-01" in [str(s["effective"].date()) for s in later["scheduled"]]


def test_every_product_has_a_duty_on_every_change_date(facts):
    known = asof.known_on(facts, facts.data_through)
    days = sorted({D("2018-01-01"), facts.data_through, *facts.tariffs["effective"][facts.tariffs["effective"] <= facts.data_through]})
    assert len(facts.products) == 30
    for day in days:
        table = asof.duty_table(known, day)
        assert len(table) == 30
        assert (table["total_pct"] >= table["mfn_pct"]).all()


def test_cli_on_the_real_data():
    result = subprocess.run([sys.executable, "-m", "tradebrief.cli", "duty", "--product", "syringes-needles",
                             "--as-of", "2025-04-16"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["importer"], out["mfn_pct"], out["additional_pct"], out["total_pct"]) == ("US", 0, 245, 245)
    assert [(i["layer"], i["legal_basis"], i["since"]) for i in out["layers"]] == [
        ("us-ieepa-fentanyl", "IEEPA fentanyl (EO 14195, amended by EO 14228)", "2025-03-04"),
        ("us-ieepa-reciprocal", "IEEPA reciprocal (EO 14257, amended by EO 14266)", "2025-04-10"),
        ("us-s301-review-syringes-needles", "Section 301 four-year review (USTR final notice of 2024-09-13)", "2024-09-27")]


@pytest.mark.parametrize("day, total, layers", [
    ("2025-02-03", 0, {}),                                  # de minimis: parcels enter duty-free
    ("2025-02-05", 10, {"us-ieepa-fentanyl": 10}),          # EO 14195 denied de minimis from 4 February...
    ("2025-02-07", 0, {}),                                  # ...until EO 14200 restored it (CBP, 7 February)
    ("2025-05-01", 0, {}),                                  # the reciprocal tariff kept de minimis too
    ("2025-05-02", 120, {"us-deminimis-postal": 120}),      # EO 14256 as raised by EO 14266, in lieu of all duties
    ("2025-05-14", 54, {"us-deminimis-postal": 54}),        # EO 14298 after Geneva
    ("2026-02-24", 10, {"us-deminimis-postal": 10}),        # equal to the Section 122 surcharge, not on top of it
])
def test_low_value_parcels_through_the_end_of_de_minimis(facts, day, total, layers):
    assert stack(facts, "postal-parcels", day) == (total, layers)


def test_us_coal_pays_what_platts_reported_with_the_2018_layer_excluded(facts):
    """Coal was on China's August 2018 list, but from 2 March 2020 importers could have it excluded
    (Platts, Argus), and Platts' November 2025 total counts 15% + 10% on top of the 3% MFN."""
    total, layers = stack(facts, "coal", "2025-11-10")
    assert (total, layers) == (28, {"cn-fent-2025-energy": 15, "cn-recip-2025": 10})
    assert stack(facts, "coal", "2020-03-01")[1] == {"cn-s301-2018-list2": 25}
    assert stack(facts, "coal", "2020-03-02")[1] == {}


def test_medical_gloves_were_excluded_from_list_4a_for_as_long_as_ustr_extended_it(facts):
    assert stack(facts, "medical-gloves", "2019-12-01")[1] == {"us-s301-list4a": 15}  # the exclusion came in March 2020
    assert stack(facts, "medical-gloves", "2019-12-01", known_on="2020-03-10")[1] == {}  # retroactive to 1 Sept 2019
    assert stack(facts, "medical-gloves", "2021-11-30")[1] == {}
    assert stack(facts, "medical-gloves", "2021-12-01")[1] == {"us-s301-list4a": 7.5}  # not among the 81 kept

