"""The command line as a user meets it: output, exit codes, one-line errors."""

import json
import subprocess
import sys

import pytest

from conftest import MINI


def run(*args):
    return subprocess.run([sys.executable, "-m", "tradebrief.cli", *args], capture_output=True, text=True)


def test_facts_prints_one_json_object():
    result = run("facts", "--data", str(MINI), "--as-of", "2025-04-10")
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert facts["as_of"] == "2025-04-10"
    assert facts["data_through"] == "2026-03-31"
    assert facts["us_on_china_pct"] == 145
    assert facts["china_on_us_pct"] == 34
    assert facts["tiktok_deadline"] == "2025-04-05"
    assert facts["latest_talks"] is None
    assert facts["upcoming"] == []


def test_facts_defaults_to_the_data_vintage():
    facts = json.loads(run("facts", "--data", str(MINI)).stdout)
    assert facts["as_of"] == "2026-03-31"
    assert facts["upcoming"] == [{"date": "2026-05-14", "what": "Beijing summit in Beijing, China"}]


@pytest.mark.parametrize("args, message", [
    (["facts", "--as-of", "2025-13-40"], "tradebrief: error: parameter as_of: '2025-13-40' is not a date, expected YYYY-MM-DD"),
    (["facts", "--as-of", "2017-12-31"], "tradebrief: error: parameter as_of: 2017-12-31 is outside the data, which covers 2018-01-01 to 2026-03-31"),
    (["facts", "--as-of", "2026-04-01"], "tradebrief: error: parameter as_of: 2026-04-01 is outside the data, which covers 2018-01-01 to 2026-03-31"),
    (["build", "--only", "nosuch"], "tradebrief: error: --only: unknown notebook 'nosuch'; choose from briefing, talks_timeline, tariff_trajectory, measures, tiktok_regulatory_path"),
    (["build", "--format", "docx"], "tradebrief: error: --format: 'docx' is not allowed; use html, pdf or html,pdf"),
    (["build", "--paper", "Legal"], "tradebrief: error: --paper: 'Legal' is not allowed; use A4 or Letter"),
    (["build", "--as-of", "2025-06-01", "--compare-to", "2025-06-01"],
     "tradebrief: error: parameter compare_to: 2025-06-01 must be before as_of 2025-06-01"),
    (["build", "--since", "2025-02-30"], "tradebrief: error: parameter since: '2025-02-30' is not a date, expected YYYY-MM-DD"),
])
def test_bad_input_gets_one_line_and_exit_2(args, message, tmp_path):
    result = run(*args, "--data", str(MINI), *(["--out", str(tmp_path)] if args[0] == "build" else []))
    assert result.returncode == 2
    assert result.stderr == message + "\n"
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_stale_date_allowed_on_request():
    result = run("facts", "--data", str(MINI), "--as-of", "2026-04-01", "--allow-stale")
    assert result.returncode == 0
    assert json.loads(result.stdout)["as_of"] == "2026-04-01"


def test_help_documents_every_build_option():
    text = run("build", "--help").stdout
    for option in ("--as-of", "--only", "--format", "--data", "--out", "--allow-stale"):
        assert option in text


def test_bad_data_stops_the_build_before_any_notebook_runs(mini_copy, tmp_path):
    path = mini_copy / "tariffs.csv"
    path.write_text(path.read_text().replace("2025-03-04", "2025-03-44", 1))
    out = tmp_path / "out"
    result = run("build", "--data", str(mini_copy), "--out", str(out))
    assert result.returncode == 2
    assert result.stderr == ("tradebrief: error: data/tariffs.csv row 3, column effective: "
                             "'2025-03-44' is not a date (YYYY-MM-DD)\n")
    assert not out.exists()
