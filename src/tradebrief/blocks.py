"""HTML blocks the notebooks display: header, key figures, tables, chart captions, sources.

Every piece of text from the data is escaped here, so nothing in the data can become markup;
only http(s) URLs become links.
"""

from __future__ import annotations

from html import escape

import pandas as pd
from IPython.display import HTML, display

from . import __version__
from .data import KINDS, THIN, Facts, best_kind
from .prose import citation, day

# The page being built. header() starts a page: its title and dates (for "Cite this briefing"),
# the kind of each source it may cite, its numbered references (source id -> number, in order of
# first citation, from [1]), and whether a thinly sourced row was shown (for the note on the mark).
_REFS: dict[str, int] = {}
_PAGE: dict = {}
THIN_MARK = "†"


def _ref(source_id: str) -> int:
    return _REFS.setdefault(source_id, len(_REFS) + 1)


def _day(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _cell(value) -> str:
    if isinstance(value, pd.Timestamp) or (value is not None and not isinstance(value, str) and pd.isna(value)):
        return escape(_day(value))
    if isinstance(value, float):
        return escape(f"{value:g}")
    return escape(str(value))


def link(url: str, text: str) -> str:
    """A link when `url` is http(s); otherwise the text alone, escaped."""
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{escape(url)}">{escape(text)}</a>'
    return escape(text)


def header(title: str, kicker: str, as_of: pd.Timestamp, known: Facts) -> HTML:
    """The page's title and dates; starts the page (see _PAGE)."""
    _REFS.clear()
    _PAGE.clear()
    _PAGE.update(title=title, as_of=as_of, data_through=known.data_through, checked_for=known.checked_for, thin=False,
                 kinds=dict(zip(known.sources["id"], known.sources["kind"])))
    return HTML(
        f'<header class="tb-header"><p class="tb-kicker">{escape(kicker)}</p><h1>{escape(title)}</h1>'
        f'<p class="tb-dates">As of <strong>{_day(as_of)}</strong> · data through {_day(known.data_through)}</p></header>'
    )


def figures(items: list[tuple[str, str]]) -> HTML:
    """Key figures: (value, label) pairs."""
    cells = "".join(f'<div class="tb-figure"><span class="tb-value">{escape(v)}</span>'
                    f'<span class="tb-label">{escape(label)}</span></div>' for v, label in items)
    return HTML(f'<div class="tb-figures">{cells}</div>')


DATED = {"took"}  # text columns that hold a date with a short note, kept on one line like a date
LONG = {"outcome", "what", "event", "not_applied", "why", "layers", "measures", "kit", "standing"}


def table_html(frame: pd.DataFrame, columns: dict[str, str], caption: str | None = None) -> str:
    """A plain HTML table of `frame`, `columns` mapping column names to headings."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in columns.values())
    dates = {c for c in columns if pd.api.types.is_datetime64_any_dtype(frame[c]) or c in DATED}

    def td(column: str, value) -> str:
        if column in dates:
            return f'<td class="tb-date">{_cell(value)}</td>'
        if column in LONG:  # the running text gets the room
            return f'<td class="tb-long">{_cell(value)}</td>'
        if column == "source":  # numbered references, linked to their entries in the sources section
            refs = references(sorted({_ref(sid) for sid in str(value).split()}))
            if "kinds" in _PAGE and best_kind(str(value), _PAGE["kinds"]) == "other":  # only aggregators, blogs and the like
                _PAGE["thin"] = True
                refs += f' <a href="#thin" title="{THIN}">{THIN_MARK}</a>'
            return f'<td class="tb-src">{refs}</td>'
        return f"<td>{_cell(value)}</td>"

    body = "".join("<tr>" + "".join(td(c, row[c]) for c in columns) + "</tr>" for _, row in frame.iterrows())
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f'<table class="tb-table">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def references(numbers: list[int]) -> str:
    """Reference numbers as a reader scans them, runs of three or more as ranges: [3] [7–10]."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return " ".join(f'[<a href="#src-{r[0]}">{r[0]}</a>–<a href="#src-{r[-1]}">{r[-1]}</a>]' if len(r) > 2 else
                    " ".join(f'[<a href="#src-{n}">{n}</a>]' for n in r) for r in runs)


def table(frame: pd.DataFrame, columns: dict[str, str], caption: str | None = None, more: int = 0) -> HTML:
    """A table; `more`: how many rows were left out of `frame`, said under it."""
    note = f'<p class="tb-caption">{more} more in the full briefings.</p>' if more > 0 else ""
    return HTML(table_html(frame, columns, caption) + note)


def figure(chart, caption: str, data: pd.DataFrame, columns: dict[str, str], more: tuple[str, str] | None = None) -> HTML:
    """A chart, then its text alternative: what it shows, and its data as a table. `more`: (name,
    title) of the briefing of the same date (the same folder) that tells the whole story, linked
    at the end of the caption."""
    display(chart)
    link = f" {_full_briefing(*more)}" if more else ""
    return HTML(f'<p class="tb-caption">{escape(caption)}{link}</p><details class="tb-chart-data">'
                f"<summary>Chart data as a table</summary>{table_html(data, columns)}</details>")


def _full_briefing(name: str, title: str) -> str:
    """A link to another briefing of the same date (the same folder)."""
    return f'<a class="tb-more" href="{escape(name)}.html">{escape(title)}: the full briefing</a>'


def see_also(name: str, title: str) -> HTML:
    """The link to another briefing of the same date, on a line of its own."""
    return HTML(f'<p class="tb-caption">{_full_briefing(name, title)}</p>')


def calendar_link(more: int = 0) -> HTML:
    """A link to the cliffs ahead as a calendar file, which the build writes beside the briefings;
    `more`: how many dated changes the table above left out."""
    lead = f"{more} more in the full briefings and in the calendar" if more > 0 else "The cliffs ahead as a calendar"
    return HTML(f'<p class="tb-caption">{lead}: <a href="deadlines.ics">deadlines.ics</a>, to subscribe to in a calendar app.</p>')


def paragraphs(sentences: list[str]) -> HTML:
    return HTML("".join(f"<p>{escape(s)}</p>" for s in sentences))


def bullets(items: list[str]) -> HTML:
    return HTML("<ul>" + "".join(f"<li>{escape(s)}</li>" for s in items) + "</ul>")


def best_source(known: Facts, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each row's sources cut to its best one (official, then wire, outlet, analysis,
    other; ties in the row's order), for pages that cite briefly and leave the rest to the full briefings."""
    kinds = known.sources.set_index("id")["kind"].map(KINDS.index)
    best = [min(str(ids).split(), key=lambda sid: kinds.get(sid, len(KINDS))) for ids in frame["source"]]
    return frame.assign(source=best)


def cited(*frames: pd.DataFrame) -> set[str]:
    """The source ids cited by the `source` column of `frames`."""
    return {sid for frame in frames for ids in frame["source"] for sid in str(ids).split(" ")}


MANY_SOURCES = 60  # a longer list prints in three columns, smaller


def sources(known: Facts, ids: set[str]) -> HTML:
    """The end of every page: the numbered list of sources (those the page's tables cited, in
    order, then the other `ids`; each cited as readers cite it, the original publisher first, with
    its link), what the mark of a thinly sourced row means if one was shown, and how to cite the page."""
    rows = known.sources.set_index("id")
    rest = rows.loc[sorted(set(ids) - set(_REFS), key=lambda sid: (rows.loc[sid, "publisher"], rows.loc[sid, "title"]))]
    for sid in rest.index:
        _ref(sid)
    items = "".join(
        f'<li id="src-{n}" value="{n}">{link(rows.loc[sid, "url"], citation(rows.loc[sid]))}{_original(rows.loc[sid])}</li>'
        for sid, n in _REFS.items() if sid in rows.index)
    thin = (f'<p class="tb-caption" id="thin">{THIN_MARK} {THIN}: no official text, wire or news report was found '
            f'for this row; it rests on the pages cited (aggregators, blogs and the like) and says so in the data.</p>'
            if _PAGE.get("thin") else "")
    if not items:
        return HTML(f'<h2 id="sources">Sources</h2><p>No source is cited on this page.</p>{cite_this()}')
    many = " tb-many" if len(_REFS) > MANY_SOURCES else ""
    return HTML(f'<h2 id="sources">Sources</h2><div class="tb-end{many}"><ol class="tb-sources">{items}</ol>{thin}{cite_this()}</div>')


def cite_this() -> str:
    """What the data was checked for, up to its vintage; how to cite the page: its title, as_of,
    data vintage and the kit's version."""
    if not _PAGE:
        return ""
    checked = (f'<p class="tb-caption" id="checked"><strong>What the data covers:</strong> through '
               f'{escape(day(_PAGE["data_through"]))}, the kit\'s sources were checked for {escape(_PAGE["checked_for"])}.</p>'
               if _PAGE.get("checked_for") else "")
    return (f'{checked}<p class="tb-caption" id="cite"><strong>Cite this briefing:</strong> US–China trade briefing kit, '
            f'“{escape(_PAGE["title"])}”, as of {escape(day(_PAGE["as_of"]))} (data through '
            f'{escape(day(_PAGE["data_through"]))}), kit version {escape(__version__)}.</p>')


def _original(source: pd.Series) -> str:
    """' (original)', linked, when the page cited is a copy and the data knows the original's URL."""
    return f" ({link(source['original_url'], 'original')})" if source["original_url"] else ""
