"""A real build, looked at as a reader would: in Chromium with the network blocked, and as PDF text."""

import json
import os
import re
import subprocess
import sys

import pytest
from pypdf import PdfReader

from conftest import MINI, NAMES, html_errors, open_offline
from tradebrief import build

AS_OF = "2025-06-01"


def run_build(out, *args, env=None):
    """`tradebrief build` on the fixture data, as a user runs it."""
    result = subprocess.run([sys.executable, "-m", "tradebrief.cli", "build", "--data", str(MINI),
                             "--out", str(out), "--as-of", AS_OF, *args],
                            capture_output=True, text=True, env=env)
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    result = run_build(out)
    assert result.returncode == 0, result.stderr
    return out


def test_outputs_land_in_the_as_of_folder(built):
    folder = built / AS_OF
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{n}.{ext}" for n in NAMES for ext in ("html", "ipynb", "pdf")] + ["manifest.json", "deadlines.ics", "figures.json"])
    assert not [p for p in built.iterdir() if p.name.startswith(".build-")]


def test_every_page_is_valid_html(built):
    assert html_errors([*(built / AS_OF).glob("*.html"), built / "index.html"]) == []


def test_html_is_self_contained(built):
    text = (built / AS_OF / "briefing.html").read_text()
    assert "<script src=" not in text and "require.js" not in text.lower()
    assert "cdnjs" not in text and "mathjax" not in text.lower()
    assert 'http-equiv="Content-Security-Policy"' in text
    assert text.count("window.vegaEmbed=") == 1
    assert (built / AS_OF / "briefing.html").stat().st_size < 3_000_000


@pytest.mark.parametrize("name", NAMES)
def test_html_shows_the_as_of_date_and_draws_charts_offline(built, browser, name):
    page, requests, errors = open_offline(browser, built / AS_OF / f"{name}.html")
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert errors == []
    assert "As of 2025-06-01" in page.inner_text(".tb-header")
    assert page.locator(".vega-embed").count() >= 1
    assert page.locator(".vega-embed svg g[class^='mark-'] path, .vega-embed svg g[class^='mark-'] line").count() > 0
    assert page.locator(".vega-embed details").count() == 0  # no actions menu
    assert page.locator(".jp-InputArea-editor, .jp-InputPrompt").count() == 0  # no code
    page.close()


def test_pdf_has_the_as_of_date_and_page_numbers(built):
    reader = PdfReader(built / AS_OF / "briefing.pdf")
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) >= 2
    assert "As of 2025-06-01" in pages[0]
    assert f"page 1 of {len(pages)}" in pages[0]
    assert f"page {len(pages)} of {len(pages)}" in pages[-1]
    assert "30%" in pages[0]


def test_index_links_every_output(built):
    index = (built / "index.html").read_text()
    for ext in ("html", "pdf", "ipynb"):
        assert f'href="{AS_OF}/briefing.{ext}"' in index
    assert "<script" not in index
    listed = [index.index(f'href="{AS_OF}/{name}.html"') for name in NAMES]  # in the house order
    assert listed == sorted(listed)


def test_failed_build_keeps_the_last_good_report(built, tmp_path):
    good = (built / AS_OF / "briefing.html").read_bytes()
    broken = tmp_path / "notebooks"
    broken.mkdir()
    source = (build.NOTEBOOKS / "briefing.ipynb").read_text()
    (broken / "briefing.ipynb").write_text(source.replace("facts = data.load()", "facts = data.load()\\n1 / 0"))
    result = run_build(built, "--format", "html", "--notebooks", str(broken))
    assert result.returncode == 1
    assert re.search(r"^tradebrief: build failed: briefing \(as_of 2025-06-01\) failed at cell \d+: "
                     r"ZeroDivisionError: division by zero; executed notebook kept in .*_failed/2025-06-01/briefing.ipynb$",
                     result.stderr.strip().splitlines()[-1])
    assert (built / AS_OF / "briefing.html").read_bytes() == good
    assert (built / "_failed" / AS_OF / "briefing.ipynb").exists()


def test_two_builds_are_byte_identical(built, tmp_path):
    again = tmp_path / "again"
    assert run_build(again).returncode == 0
    first = sorted(p.relative_to(built) for p in (built / AS_OF).iterdir())
    assert first == sorted(p.relative_to(again) for p in (again / AS_OF).iterdir())
    for relative in first:
        assert (built / relative).read_bytes() == (again / relative).read_bytes(), relative
    assert (built / "index.html").read_bytes() == (again / "index.html").read_bytes()


def test_no_timestamps_or_temporary_paths_in_outputs(built):
    for path in (built / AS_OF).iterdir():
        text = path.read_bytes().decode("latin-1")
        assert "/tmp/" not in text and ".build-" not in text, path.name
        if path.suffix == ".ipynb":
            for key in ("start_time", "end_time", "duration", "iopub.", "shell.execute_reply"):
                assert key not in text, (path.name, key)
    assert b"D:20260331000000+00'00'" in (built / AS_OF / "briefing.pdf").read_bytes()


def test_source_date_epoch_sets_the_pdf_date(tmp_path):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")  # 2026-01-01T00:00:00Z
    assert run_build(tmp_path, "--only", "briefing", "--format", "pdf", env=env).returncode == 0
    assert b"/CreationDate (D:20260101000000+00'00')" in (tmp_path / AS_OF / "briefing.pdf").read_bytes()


def test_two_builds_at_once_do_not_corrupt_each_other(tmp_path):
    def start(day, name):
        return subprocess.Popen([sys.executable, "-m", "tradebrief.cli", "build", "--data", str(MINI),
                                 "--out", str(tmp_path), "--as-of", day, "--only", name, "--format", "html"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    runs = [start("2025-06-01", "briefing"), start("2025-06-01", "talks_timeline"), start("2025-07-01", "briefing")]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    manifest = json.loads((tmp_path / "2025-06-01" / "manifest.json").read_text())
    assert sorted(manifest) == ["briefing", "talks_timeline"]
    index = (tmp_path / "index.html").read_text()
    for link in ("2025-06-01/briefing.html", "2025-06-01/talks_timeline.html", "2025-07-01/briefing.html"):
        assert f'href="{link}"' in index
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".build-")]


def test_a_lone_briefing_equals_the_same_briefing_built_in_a_batch(built, tmp_path):
    assert run_build(tmp_path, "--only", "tiktok_regulatory_path", "--jobs", "1").returncode == 0
    for ext in ("html", "ipynb", "pdf"):
        name = f"tiktok_regulatory_path.{ext}"
        assert (tmp_path / AS_OF / name).read_bytes() == (built / AS_OF / name).read_bytes(), name


def _build_in(data_dir, out, *args):
    return subprocess.run([sys.executable, "-m", "tradebrief.cli", "build", "--data", str(data_dir),
                           "--out", str(out), "--format", "html", *args], capture_output=True, text=True)


def _files(folder):
    """Every file of a report folder with its bytes and modification time."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


LATER_CALL = ('call-late,leaders_call,Trump–Xi call,2025-09-19,2025-09-19,,,,phone,"Donald Trump, President",'
              '"Xi Jinping, President",They discussed TikTok.,fx-b,,\n')


def test_a_report_rebuilds_only_when_what_it_could_see_changes(tmp_path, mini_copy):
    def build_here():
        return _build_in(mini_copy, tmp_path, "--as-of", AS_OF, "--only", "briefing", "--only", "talks_timeline")

    first = build_here()
    assert first.returncode == 0 and "tradebrief: 2 rendered" in first.stderr, first.stderr
    before = _files(tmp_path / AS_OF)
    assert "tradebrief: 2 cached" in build_here().stderr
    assert _files(tmp_path / AS_OF) == before

    # A call after the as_of, and a later data vintage: the reports of AS_OF cannot change, so
    # nothing is run or written, and they go on naming the vintage they were built from.
    talks, package = mini_copy / "talks.csv", mini_copy / "datapackage.json"
    talks.write_text(talks.read_text() + LATER_CALL)
    package.write_text(package.read_text().replace('"data_through": "2026-03-31"', '"data_through": "2026-04-30"'))
    later = build_here()
    assert later.returncode == 0 and "tradebrief: 2 cached" in later.stderr, later.stderr
    assert _files(tmp_path / AS_OF) == before
    assert "data through 2026-03-31" in (tmp_path / AS_OF / "briefing.html").read_text()
    assert "Data through 2026-03-31" in (tmp_path / "index.html").read_text()

    # A correction to a row known on AS_OF rebuilds both, under the new vintage.
    talks.write_text(talks.read_text().replace("Both sides agreed to cut tariffs.", "Both sides agreed to cut tariffs sharply."))
    fixed = build_here()
    assert "tradebrief: 2 rendered" in fixed.stderr, fixed.stderr
    page = (tmp_path / AS_OF / "talks_timeline.html").read_text()
    assert "cut tariffs sharply" in page and "data through 2026-04-30" in page
    assert json.loads((tmp_path / AS_OF / "manifest.json").read_text())["briefing"]["data_through"] == "2026-04-30"

    # A change of schema (a field's description) rebuilds everything.
    package.write_text(package.read_text().replace("Every source cited by a row of another table.",
                                                   "Every source cited by a row of any other table."))
    assert "tradebrief: 2 rendered" in build_here().stderr


def test_a_change_of_code_changes_every_reports_inputs(tmp_path, monkeypatch):
    import shutil

    options = build.Options(data=MINI, formats=("html",))
    job = build.Job("briefing", "Executive briefing", AS_OF)
    inputs = build.Inputs(MINI, options)
    before = inputs.quick(job), inputs.known(job)
    package = tmp_path / "tradebrief"
    shutil.copytree(build.SOURCE, package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "prose.py").write_text((package / "prose.py").read_text() + "\n# a change\n")
    monkeypatch.setattr(build, "SOURCE", package)
    after = build.Inputs(MINI, options)
    assert after.quick(job) != before[0] and after.known(job) != before[1]


def test_the_shelf_brings_every_report_and_milestone_up_to_date(tmp_path, mini_copy):
    first = _build_in(mini_copy, tmp_path, "--as-of", AS_OF, "--only", "briefing", "--since", "2025-01-01")
    assert first.returncode == 0, first.stderr
    kept = _files(tmp_path / AS_OF)
    shelf = _build_in(mini_copy, tmp_path, "--shelf", "--only", "briefing")
    assert shelf.returncode == 0, shelf.stderr
    # The report already there is current (it keeps the window it was asked with); the Geneva
    # round (ended 2025-05-11) is a milestone; the Beijing summit ends after the data vintage.
    assert "2025-05-11 briefing: rendered" in shelf.stderr and "2025-06-01 briefing: cached" in shelf.stderr
    assert "2026-05-15" not in shelf.stderr
    assert _files(tmp_path / AS_OF) == kept
    manifest = json.loads((tmp_path / AS_OF / "manifest.json").read_text())
    assert manifest["briefing"]["parameters"] == {"since": "2025-01-01"}
    index = (tmp_path / "index.html").read_text()
    assert index.index("As of 2025-06-01") < index.index("As of 2025-05-11")


def test_letter_paper_and_the_window_parameters_reach_the_briefing(tmp_path):
    result = run_build(tmp_path, "--only", "briefing", "--paper", "Letter",
                       "--compare-to", "2025-05-01", "--since", "2025-01-01")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(tmp_path / AS_OF / "briefing.pdf")
    assert float(reader.pages[0].mediabox.width) == pytest.approx(612, abs=2)  # US Letter
    text = (tmp_path / AS_OF / "briefing.html").read_text()
    assert "From 1 May 2025 to 1 June 2025" in text
    assert "from 1 January 2025 to 1 June 2025" in text


def test_thin_rows_are_marked_and_every_report_says_how_to_cite_it(built):
    tiktok = (built / AS_OF / "tiktok_regulatory_path.html").read_text()
    assert '<a href="#thin" title="Thinly sourced">†</a>' in tiktok  # eo1 rests on the fixture aggregator only
    assert "† Thinly sourced: no official text, wire or news report was found for this row" in tiktok
    assert 'href="#thin"' not in (built / AS_OF / "tariff_trajectory.html").read_text()
    for name in NAMES:
        title = json.loads((built / AS_OF / "manifest.json").read_text())[name]["title"]
        page = (built / AS_OF / f"{name}.html").read_text()
        assert (f"<strong>Cite this briefing:</strong> US–China trade briefing kit, “{title}”, as of 1 June 2025 "
                f"(data through 31 March 2026), kit version 0.1.0.</p>") in page.replace("&#x27;", "'")
