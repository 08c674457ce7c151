"""The cliffs ahead as an iCalendar file (RFC 5545), written with the icalendar library: one
all-day event per dated change known on as_of, each with what happens by default and its sources."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import icalendar
import pandas as pd

from . import asof
from .build import write_whole
from .data import Facts
from .prose import citation

AREAS = {"tariffs": "Tariffs", "products": "Product tariffs", "measures": "Measures", "talks": "Talks",
         "tiktok": "TikTok"}


def calendar(events: pd.DataFrame, sources: pd.DataFrame, as_of: pd.Timestamp, stamp: dt.datetime) -> bytes:
    """`events`: asof.upcoming rows (date, area, what, source); `sources`: the sources table;
    `stamp`: the DTSTAMP of every event, so that the same inputs give the same bytes."""
    by_id = sources.set_index("id")
    cal = icalendar.Calendar()
    cal.add("prodid", "-//tradebrief//US-China trade briefing kit//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"US–China trade: the cliffs ahead (as of {pd.Timestamp(as_of).date()})")
    for _, row in events.iterrows():
        day = pd.Timestamp(row["date"]).date()
        cited = [by_id.loc[sid] for sid in str(row["source"]).split() if sid in by_id.index]
        event = icalendar.Event()
        event.add("uid", hashlib.sha256(f"{day}|{row['what']}".encode()).hexdigest()[:32] + "@tradebrief")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", f"{AREAS.get(row['area'], row['area'])}: {row['what']}")
        event.add("categories", [AREAS.get(row["area"], row["area"])])
        event.add("description", row["what"] + "\n\nSources:\n" + "\n".join(
            f"{citation(s)} {s['url']}" for s in cited))
        if cited:
            event.add("url", cited[0]["url"])
        cal.add_component(event)
    return cal.to_ical()


def write(facts: Facts, as_of: pd.Timestamp, path: Path, stamp: dt.datetime) -> Path:
    """The cliffs ahead on `as_of`, as known then, into `path` (written whole or not at all)."""
    day = pd.Timestamp(as_of)
    known = asof.known_on(facts, day)
    write_whole(Path(path), calendar(asof.upcoming(known, day), known.sources, day, stamp))
    return Path(path)
