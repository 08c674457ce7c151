"""The cliffs ahead as an iCalendar file: parsed back with the library that wrote it."""

import subprocess
import sys

import icalendar
import pytest

from conftest import DATES


def run(*args):
    return subprocess.run([sys.executable, "-m", "tradebrief.cli", "calendar", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def busan(tmp_path_factory):
    path = tmp_path_factory.mktemp("ics") / "cliffs.ics"
    result = run("--as-of", "2025-11-15", "--out", str(path))
    assert result.returncode == 0, result.stderr
    return icalendar.Calendar.from_ical(path.read_bytes())


def events(cal):
    return [(e.decoded("dtstart").isoformat(), str(e.get("summary")), str(e.get("description"))) for e in cal.walk("VEVENT")]


def test_nothing_on_or_before_as_of(busan):
    assert events(busan) and min(day for day, _, _ in events(busan)) > "2025-11-15"


def test_the_sourced_cliffs_are_there(busan):
    days = {(day, summary) for day, summary, _ in events(busan)}
    assert ("2026-11-10", "Tariffs: The one-year suspension is scheduled to end at 12:01 a.m. EST on November 10, "
                          "2026, returning the rate to 34%.") in days
    assert ("2026-11-09", "Measures: Suspension runs out: Affiliates ('50 percent') Rule. "
                          "It applies again unless extended.") in days
    assert ("2026-11-27", "Measures: Suspension runs out: US-specific ban on gallium, germanium, antimony and "
                          "superhard-material exports. It applies again unless extended.") in days
    assert ("2026-01-23", "TikTok: TikTok enforcement deadline under the divest-or-ban law (PAFACA)") in days
    # the cabinets step was still due on 1 January 2026 as known on 15 November 2025 (postponed on 31 December)
    assert any(day == "2026-01-01" and "cabinets" in summary for day, summary in days)
    # the Section 122 surcharge was not yet known
    assert not any("Section 122" in summary for _, summary in days)


def test_each_event_carries_its_sources(busan):
    for _, _, description in events(busan):
        assert "\n\nSources:\n" in description and "https://" in description


def test_the_same_inputs_give_the_same_bytes(tmp_path):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    for path in (first, second):
        assert run("--as-of", "2026-03-01", "--out", str(path)).returncode == 0
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("args, message", [
    (["--out", "/tmp/cliffs.txt"], "tradebrief: error: --out: '/tmp/cliffs.txt' must name a .ics file"),
    (["--as-of", "2025-02-30", "--out", "/tmp/cliffs.ics"],
     "tradebrief: error: parameter as_of: '2025-02-30' is not a date, expected YYYY-MM-DD"),
])
def test_bad_input(args, message):
    result = run(*args)
    assert (result.returncode, result.stderr.strip()) == (2, message)


def test_the_build_writes_a_calendar_per_date_and_links_it(real_build):
    for day in DATES:
        cal = icalendar.Calendar.from_ical((real_build / day / "deadlines.ics").read_bytes())
        assert all(e.decoded("dtstart").isoformat() > day for e in cal.walk("VEVENT"))
        assert 'href="deadlines.ics"' in (real_build / day / "briefing.html").read_text()
    assert f'href="{DATES[-1]}/deadlines.ics"' in (real_build / "index.html").read_text()
