"""Hostile text in the data shows as text in HTML and PDF, never as markup; only http(s) links."""

import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import NAMES, html_errors

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
AS_OF = "2025-06-01"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile")
    result = subprocess.run([sys.executable, "-m", "tradebrief.cli", "build", "--data", str(HOSTILE),
                             "--out", str(out), "--as-of", AS_OF], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out / AS_OF


def test_hostile_text_leaves_every_page_valid_html(built):
    assert html_errors([*built.glob("*.html"), built.parent / "index.html"]) == []


@pytest.mark.parametrize("name", NAMES)
def test_no_script_from_the_data_runs(built, browser, name):
    page = browser.new_page()
    page.goto((built / f"{name}.html").as_uri())
    page.wait_for_function("() => [...document.querySelectorAll('.vega-embed')].every(e => e.querySelector('svg'))")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    # no element made from the data: every <img>, <iframe>, <b>, <i> and javascript: link would be foreign
    assert page.locator("main img, main iframe, main b, main i").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    briefings = {f"{n}.html" for n in NAMES} | {"deadlines.ics"}  # the kit's own links, not from the data
    assert all(h.startswith(("http://", "https://", "#")) or h in briefings for h in hrefs), hrefs
    page.close()


def test_hostile_text_is_shown_as_text(built, browser):
    page = browser.new_page()
    page.goto((built / "talks_timeline.html").as_uri())
    text = page.inner_text("main")
    assert "Geneva <script>window.__pwned=1</script> round" in text
    assert 'Both sides <img src=x onerror="window.__pwned=2"> agreed; see [the text](javascript:window.__pwned=3).' in text
    assert 'Evil <a href="javascript:window.__pwned=6">link</a>' in text  # the title, unlinked
    assert 'Ban <img src=x onerror="window.__pwned=9"> on widgets' in text  # a measure's title
    page.goto((built / "tariff_trajectory.html").as_uri())
    assert 'Widgets <b onmouseover="window.__pwned=8">bold</b>' in page.inner_text("main")  # a product's label
    page.goto((built / "tiktok_regulatory_path.html").as_uri())
    text = page.inner_text("main")
    assert "Delay <iframe src=javascript:window.__pwned=5></iframe> granted." in text
    assert "Plain & <good> source" in text
    page.close()


def test_hostile_text_in_the_pdf(built):
    text = " ".join(p.extract_text() for p in PdfReader(built / "talks_timeline.pdf").pages)
    assert "<script>window.__pwned=1</script>" in text
    text = " ".join(p.extract_text() for p in PdfReader(built / "tiktok_regulatory_path.pdf").pages)
    assert "Plain & <good> source" in text
