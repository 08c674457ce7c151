"""Plain papermill on a notebook: the notebook checks its own parameters and stops with one line."""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
PAPERMILL = Path(sys.executable).with_name("papermill")


def papermill(tmp_path, *args):
    out = tmp_path / "out.ipynb"
    result = subprocess.run([str(PAPERMILL), str(ROOT / "notebooks" / "briefing.ipynb"), str(out), *args],
                            capture_output=True, text=True)
    return result, out


@pytest.mark.parametrize("args, message", [
    (["-p", "as_of", "20250915"], "parameter as_of: 20250915 is not text; expected a date 'YYYY-MM-DD' (with papermill, pass dates raw: -r as_of YYYY-MM-DD)"),
    (["-p", "as_off", "2025-09-15"], "parameter as_off: unknown; the parameters are as_of, compare_to, since"),
    (["-r", "as_of", "2025-13-40"], "parameter as_of: '2025-13-40' is not a date, expected YYYY-MM-DD"),
    (["-r", "as_of", "2025-09-15", "-r", "compare_to", "2025-10-01"],
     "parameter compare_to: 2025-10-01 must be before as_of 2025-09-15"),
    (["-r", "as_of", "2030-01-01"], "parameter as_of: 2030-01-01 is outside the data, which covers 2018-01-01 to 2026-06-29"),
])
def test_bad_parameters_stop_the_notebook_with_one_line(tmp_path, args, message):
    result, out = papermill(tmp_path, *args)
    assert result.returncode != 0
    assert f"ParameterError: {message}" in result.stderr
    executed = nbformat.read(out, as_version=4)
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert [e.evalue for e in errors] == [message]
    # nothing after the check ran: no figures were drawn from a wrong date
    assert not any(o.get("data", {}).get("text/html", "").count("tb-figures")
                   for c in executed.cells for o in c.get("outputs", []))


def test_raw_date_parameter_runs(tmp_path):
    result, out = papermill(tmp_path, "-r", "as_of", "2025-09-15")
    assert result.returncode == 0, result.stderr[-2000:]
    html = "".join(o.get("data", {}).get("text/html", "") for c in nbformat.read(out, as_version=4).cells
                   for o in c.get("outputs", []))
    assert "As of <strong>2025-09-15</strong>" in html
