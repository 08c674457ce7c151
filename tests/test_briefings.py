"""The four briefings on the real data, for the dates readers ask about: they build, their
figures equal `tradebrief facts` for that date, and nothing announced later appears."""

import html
import json
import re
import subprocess
import sys

import pandas as pd
import pytest

from tradebrief import asof

DATES = ["2018-01-01", "2025-04-12", "2025-09-15", "2026-03-01", "2026-05-29"]
NAMES = ["briefing", "talks_timeline", "tariff_trajectory", "tiktok_regulatory_path"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("briefings")
    days = [a for day in DATES for a in ("--as-of", day)]
    result = subprocess.run([sys.executable, "-m", "tradebrief.cli", "build", "--out", str(out),
                             "--format", "html", *days], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def page(built, day, name):
    return (built / day / f"{name}.html").read_text(encoding="utf-8")


def figures(text):
    """The key figures a reader sees: value -> label."""
    pairs = re.findall(r'<span class="tb-value">(.*?)</span><span class="tb-label">(.*?)</span>', text)
    return {html.unescape(label): html.unescape(value) for value, label in pairs}


@pytest.mark.parametrize("day", DATES)
def test_briefing_figures_equal_the_facts(built, day):
    facts = json.loads(subprocess.run([sys.executable, "-m", "tradebrief.cli", "facts", "--as-of", day],
                                      capture_output=True, text=True, check=True).stdout)
    shown = figures(page(built, day, "briefing"))
    assert shown["US additional tariff on all Chinese goods"] == f"{facts['us_on_china_pct']:g}%"
    assert shown["China's additional tariff on all US goods"] == f"{facts['china_on_us_pct']:g}%"
    due = facts["tiktok_deadline"]
    assert shown["Next TikTok enforcement deadline"] == (
        "none pending" if due is None else f"{pd.Timestamp(due).day} {pd.Timestamp(due):%B %Y}")
    latest = facts["latest_talks"]
    assert shown["Latest in-person talks"] == ("none yet" if latest is None else latest["place"])
    tariffs = figures(page(built, day, "tariff_trajectory"))
    assert tariffs["US additional tariff on all Chinese goods"] == f"{facts['us_on_china_pct']:g}%"


@pytest.mark.parametrize("day", DATES)
@pytest.mark.parametrize("name", NAMES)
def test_nothing_announced_later_appears(built, facts, day, name):
    text = html.unescape(page(built, day, name)).replace('\\"', '"')
    later = pd.concat([
        facts.talks.loc[facts.talks["announced"].fillna(facts.talks["start"]) > day, "outcome"],
        facts.talks.loc[(facts.talks["start"] <= day) & (facts.talks["end"] > day), "outcome"],
        facts.tariffs.loc[facts.tariffs["announced"] > day, "what"],
        facts.tiktok.loc[facts.tiktok["date"] > day, "event"],
    ])
    leaked = [sentence for sentence in later if len(sentence) > 40 and sentence[:60] in text]
    assert leaked == []
    if name == "tiktok_regulatory_path" and day > "2019-10-09":  # the check can see: earlier events do show
        earlier = facts.tiktok.loc[facts.tiktok["date"] <= day, "event"]
        assert all(sentence[:60] in text for sentence in earlier)


@pytest.mark.parametrize("day", DATES)
def test_header_shows_as_of_and_vintage(built, day):
    for name in NAMES:
        assert f"As of <strong>{day}</strong> · data through 2026-05-29" in page(built, day, name)


def test_madrid_day_state_of_play(built):
    text = html.unescape(page(built, "2025-09-15", "briefing"))
    assert "The latest in-person meeting was the Madrid round in Madrid, Spain (14–15 September 2025)." in text
    assert "The divest-or-ban law's next enforcement deadline was 17 September 2025 (in 2 days)." in text


def test_first_day_has_empty_states(built):
    text = html.unescape(page(built, "2018-01-01", "tiktok_regulatory_path"))
    assert "No milestone of TikTok's regulatory path had happened yet." in text
    assert "No enforcement deadline had been set yet." in text
    assert "No meeting or call had taken place yet." in html.unescape(page(built, "2018-01-01", "talks_timeline"))
