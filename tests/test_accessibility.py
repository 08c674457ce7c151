"""Every page a reader opens, checked in headless Chromium with the network blocked: no request
leaves the page, every chart draws, nothing errors, and axe-core finds no serious or critical
accessibility violation; the Nu Html Checker finds no error. Every PDF: page numbers, header, key
figures as text, fonts embedded."""

from pathlib import Path

import axe_playwright_python
import pytest
from pypdf import PdfReader

from conftest import DATES, NAMES, html_errors, open_offline

# axe-core's own build, as the axe-playwright-python wheel ships it.
AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def axe_serious(page) -> list:
    page.add_script_tag(content=AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], len(v["nodes"])) for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("day", DATES)
@pytest.mark.parametrize("name", NAMES)
def test_page_offline_drawn_and_accessible(real_build, browser, day, name):
    page, requests, errors = open_offline(browser, real_build / day / f"{name}.html")
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert errors == []
    charts = page.locator(".vega-embed")
    for i in range(charts.count()):
        assert charts.nth(i).locator("svg g[class^='mark-'] path, svg g[class^='mark-'] line").count() > 0
    assert page.locator(".vega-embed details, .vega-actions").count() == 0  # no actions menu
    assert page.locator(".jp-InputArea-editor, .jp-InputPrompt, .jp-OutputPrompt").count() == 0
    assert page.locator("details.tb-chart-data").count() == charts.count()  # a text alternative each
    assert axe_serious(page) == []
    levels = [int(tag[1]) for tag in page.eval_on_selector_all("main h1, main h2, main h3, main h4",
                                                               "els => els.map(e => e.tagName)")]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    page.close()


def test_index_offline_and_accessible(real_build, browser):
    page, requests, errors = open_offline(browser, real_build / "index.html")
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == [] and errors == []
    for day in DATES:
        for name in NAMES:
            assert page.locator(f'a[href="{day}/{name}.pdf"]').count() == 1
    assert axe_serious(page) == []
    page.close()


@pytest.mark.parametrize("day", DATES)
@pytest.mark.parametrize("name", NAMES)
def test_html_size(real_build, day, name):
    assert (real_build / day / f"{name}.html").stat().st_size < 3_000_000


@pytest.mark.parametrize("day", DATES)
@pytest.mark.parametrize("name", NAMES)
def test_pdf(real_build, day, name):
    reader = PdfReader(real_build / day / f"{name}.pdf")
    texts = [p.extract_text() for p in reader.pages]
    for number, text in enumerate(texts, start=1):
        assert f"page {number} of {len(texts)}" in text
        assert f"As of {day}" in text
    assert float(reader.pages[0].mediabox.width) == pytest.approx(595, abs=2)  # A4
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            for part in [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]:
                info = part.get("/FontDescriptor")
                if info is not None:
                    assert any(k in info.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                        part.get("/BaseFont")
    if name == "briefing":
        assert len(texts) <= 2  # the executive summary fits two pages


def test_the_full_talks_timeline_prints_on_eight_pages_with_every_meeting(real_build):
    import re

    import pandas as pd

    from tradebrief import asof, data

    day = "2026-05-29"
    assert len(PdfReader(real_build / day / "talks_timeline.pdf").pages) <= 8
    page = (real_build / day / "talks_timeline.html").read_text()
    meetings = re.search(r"<h2[^>]*>Meetings and outcomes.*?<tbody>(.*?)</tbody>", page, re.S).group(1)
    assert meetings.count("<tr>") == len(asof.known_on(data.load(), pd.Timestamp(day)).talks) == 42


@pytest.mark.parametrize("name", ["briefing", "tariff_trajectory"])
def test_pdf_key_figures_are_text(real_build, name):
    first = PdfReader(real_build / "2025-09-15" / f"{name}.pdf").pages[0].extract_text()
    assert "30%" in first and "10%" in first  # the two across-the-board rates on the Madrid day


@pytest.mark.parametrize("day", DATES)
@pytest.mark.parametrize("name", NAMES)
def test_nothing_is_wider_than_the_printed_page(real_build, browser, day, name):
    page, _, _ = open_offline(browser, real_build / day / f"{name}.html")
    page.set_viewport_size({"width": 703, "height": 1000})  # A4 less the 12 mm side margins, in CSS px
    page.emulate_media(media="print")
    too_wide = page.evaluate("""() => [...document.querySelectorAll('main table, main .vega-embed svg')]
        .filter(e => e.getBoundingClientRect().right > document.querySelector('main').getBoundingClientRect().right + 1)
        .map(e => e.tagName + ' ' + (e.querySelector('th') || e).textContent.slice(0, 40))""")
    assert too_wide == []
    page.close()


def test_every_page_is_valid_html(real_build):
    pages = sorted(real_build.glob("*/*.html")) + [real_build / "index.html"]
    assert len(pages) == len(DATES) * len(NAMES) + 1
    assert html_errors(pages) == []


def test_the_checker_finds_errors(tmp_path):
    """The check above can fail: the styles JupyterLab ships, unmended, are invalid."""
    page = tmp_path / "page.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>t</title><style>'
                    '.a::-webkit-scrollbar-track:horizontal { border: 0 } .b { overflow: overlay; }'
                    '</style></head><body><p>t</p></body></html>')
    errors = html_errors([page])
    assert len(errors) == 2 and "“:horizontal”" in errors[0] and "overlay" in errors[1]

