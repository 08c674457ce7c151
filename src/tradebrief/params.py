"""The notebooks' parameters, checked in one place for the notebooks, papermill and the CLI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .data import Facts, parse_date

DATA_START = pd.Timestamp("2018-01-01")
NAMES = ("as_of", "compare_to", "since")
# Values papermill can inject; anything else in a notebook's namespace is not a parameter.
_INJECTABLE = (str, int, float, bool, list, dict, type(None))
DEFAULT_WINDOW_DAYS = 30


class ParameterError(ValueError):
    """A bad parameter; the message is one line naming the parameter and what is allowed."""


@dataclass(frozen=True)
class Params:
    as_of: pd.Timestamp
    compare_to: pd.Timestamp
    since: pd.Timestamp


def parse_day(name: str, value, allow_none: bool = True) -> pd.Timestamp | None:
    """A YYYY-MM-DD string (or date) as a Timestamp; None stays None when allowed."""
    if value is None and allow_none:
        return None
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    if not isinstance(value, str):
        raise ParameterError(
            f"parameter {name}: {value!r} is not text; expected a date 'YYYY-MM-DD' "
            f"(with papermill, pass dates raw: -r {name} YYYY-MM-DD)"
        )
    try:
        return pd.Timestamp(parse_date(value))
    except ValueError:
        raise ParameterError(f"parameter {name}: {value!r} is not a date, expected YYYY-MM-DD") from None


def from_namespace(namespace: dict) -> dict:
    """The parameters in a notebook's namespace, after the parameters cell (and papermill's
    injected cell) ran. A name papermill injected that the notebook does not take is an error
    here, where papermill itself only warns and runs on with the defaults."""
    for name, value in namespace.items():
        if name.startswith("_") or name in NAMES or name in ("In", "Out"):
            continue
        if isinstance(value, _INJECTABLE):
            raise ParameterError(f"parameter {name}: unknown; the parameters are {', '.join(NAMES)}")
    return {name: namespace.get(name) for name in NAMES}


def check(facts: Facts, as_of=None, compare_to=None, since=None, allow_stale: bool = False) -> Params:
    """Parse and check the notebook parameters against the data; fill in the defaults."""
    as_of_day = parse_day("as_of", as_of) or facts.data_through
    first, last = DATA_START.date(), facts.data_through.date()
    if not DATA_START <= as_of_day <= facts.data_through and not allow_stale:
        raise ParameterError(
            f"parameter as_of: {as_of_day.date()} is outside the data, which covers {first} to {last}"
        )
    compare_day = parse_day("compare_to", compare_to) or as_of_day - pd.Timedelta(days=DEFAULT_WINDOW_DAYS)
    if compare_day >= as_of_day:
        raise ParameterError(
            f"parameter compare_to: {compare_day.date()} must be before as_of {as_of_day.date()}"
        )
    since_day = parse_day("since", since) or DATA_START
    if since_day >= as_of_day:
        raise ParameterError(f"parameter since: {since_day.date()} must be before as_of {as_of_day.date()}")
    return Params(as_of=as_of_day, compare_to=compare_day, since=since_day)
