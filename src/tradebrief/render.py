"""Rendering executed notebooks into self-contained HTML, and printing that HTML to PDF.

Knows nothing of tariffs or talks: a notebook in, a page out.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from functools import lru_cache
from html import escape
from pathlib import Path

import nbformat

TEMPLATES = Path(__file__).parent / "templates"
# No network: inline scripts and styles, data: images and fonts; nothing may be fetched.
CSP = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
       "img-src data:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def find_chromium() -> str:
    """The Chromium to print with: $CHROMIUM, the system one, or Playwright's own build."""
    candidates = [os.environ.get("CHROMIUM", "")]
    candidates += [shutil.which(name) or "" for name in ("chromium", "chromium-browser", "google-chrome")]
    for path in candidates:
        if path and Path(path).exists():
            return path
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        path = p.chromium.executable_path
    if Path(path).exists():
        return path
    raise FileNotFoundError("no Chromium found: install Debian's 'chromium' package or set CHROMIUM")


@lru_cache(maxsize=1)
def _page_resources() -> dict:
    """What every page inlines: the Vega bundle, the versions the embed snippet checks, the CSS."""
    import vl_convert
    from altair.vegalite.v6 import display

    from .charts import PAGE_MIME

    major_minor = ".".join(display.VEGALITE_VERSION.split(".")[:2])
    versions = {
        "vega_version": display.VEGA_VERSION,
        "vegalite_version": display.VEGALITE_VERSION,
        "vegaembed_version": display.VEGAEMBED_VERSION,
    }
    bundle = vl_convert.javascript_bundle(vl_version=major_minor)
    return {
        "csp": CSP,
        # A literal "</script" inside the bundle would end the tag early.
        "vega_bundle": bundle.replace("</script", "<\\/script"),
        "vega_versions": json.dumps(versions),
        "css": (TEMPLATES / "briefing" / "briefing.css").read_text(encoding="utf-8"),
        "chart_mime": PAGE_MIME,
    }


@lru_cache(maxsize=1)
def _exporter():
    from nbconvert import HTMLExporter

    from traitlets.config import Config

    from .charts import PAGE_MIME

    # A chart's page form first; the rest as nbconvert orders them.
    priority = [PAGE_MIME] + HTMLExporter().default_config["NbConvertBase"]["display_data_priority"]
    return HTMLExporter(
        config=Config({"NbConvertBase": {"display_data_priority": priority}}),
        template_name="briefing",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def warm() -> None:
    """Load what every page needs (the Vega bundle, the exporter and its templates) ahead of the first page."""
    _page_resources()
    _exporter().template


def html(notebook: nbformat.NotebookNode, title: str) -> str:
    """The self-contained HTML page of an executed notebook."""
    notebook = nbformat.from_dict(notebook)
    notebook.metadata["title"] = title
    body, _ = _exporter().from_notebook_node(notebook, resources={"briefing": _page_resources()})
    return body


class Printer:
    """One headless Chromium that prints any number of pages to PDF; use as a context manager."""

    def __init__(self, paper: str = "A4"):
        self.paper = paper

    def __enter__(self) -> "Printer":
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        return self

    def __exit__(self, *exc) -> None:
        self._browser.close()
        self._playwright.stop()

    def pdf(self, html_path: Path, pdf_path: Path, title: str, subtitle: str, stamp: dt.datetime) -> None:
        """Print the page at `html_path` once every chart has drawn; `stamp` becomes the PDF's
        creation and modification date, so that the same inputs give the same bytes."""
        page = self._browser.new_page()
        try:
            # Nothing leaves the machine while printing, whatever the page asks for.
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort())
            page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
            page.wait_for_function(
                "() => [...document.querySelectorAll('.vega-embed')].every(e => e.querySelector('svg, canvas'))",
                timeout=30_000,
            )
            # Chromium would print a relative link as a file: URL naming the build folder; a PDF
            # links only to the web.
            page.eval_on_selector_all(
                "a[href]", "els => els.filter(a => !/^https?:/i.test(a.getAttribute('href')))"
                           ".forEach(a => a.removeAttribute('href'))")
            style = "font-size:8px; font-family:'DejaVu Sans',Arial,sans-serif; color:#4d4d4d; width:100%; margin:0 12mm;"
            page.pdf(
                path=str(pdf_path),
                format=self.paper,
                print_background=True,
                display_header_footer=True,
                header_template=f'<div style="{style} display:flex; justify-content:space-between;">'
                f"<span>{escape(title)}</span><span>{escape(subtitle)}</span></div>",
                footer_template=f'<div style="{style} text-align:center;">page <span class="pageNumber"></span>'
                ' of <span class="totalPages"></span></div>',
                margin={"top": "18mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
            )
        finally:
            page.close()
        _stamp_pdf(Path(pdf_path), stamp)


def _stamp_pdf(path: Path, stamp: dt.datetime) -> None:
    """Replace Chromium's creation and modification dates in place (same length, so the
    cross-reference offsets stay valid)."""
    fixed = stamp.astimezone(dt.timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'").encode()
    content = re.sub(rb"D:\d{14}[+\-Z]\d{2}'\d{2}'", fixed, path.read_bytes())
    path.write_bytes(content)


def page(title: str, body: str) -> str:
    """A standalone page in the house style (no scripts): `body` must already be escaped HTML."""
    css = _page_resources()["css"]
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1.0">'
            f"<title>{escape(title)}</title><style>{css}</style></head>"
            f'<body class="jp-Notebook"><main class="jp-RenderedHTMLCommon">{body}</main></body></html>\n')
