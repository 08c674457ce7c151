"""The notebooks' parameters, checked in one place for the notebooks, papermill and the CLI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .data import DATA_START, parse_date

if TYPE_CHECKING:
    import pandas as pd

    from .data import Facts

DEFAULT_WINDOW_DAYS = 30
NAMES = ("as_of", "compare_to", "since")
# Values papermill can inject; anything else in a notebook's namespace is not a parameter.
_INJECTABLE = (str, int, float, bool, list, dict, type(None))


class ParameterError(ValueError):
    """A bad parameter; the message is one line naming the parameter and what is allowed."""


@dataclass(frozen=True)
class Params:
    as_of: pd.Timestamp
    compare_to: pd.Timestamp
    since: pd.Timestamp


def parse_day(name: str, value) -> dt.date | None:
    """A YYYY-MM-DD string (or a date) as a date; None stays None."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    if not isinstance(value, str):
        raise ParameterError(
            f"parameter {name}: {value!r} is not text; expected a date 'YYYY-MM-DD' "
            f"(with papermill, pass dates raw: -r {name} YYYY-MM-DD)"
        )
    try:
        return parse_date(value)
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


def check_days(data_through: dt.date, as_of=None, compare_to=None, since=None,
               allow_stale: bool = False) -> tuple[dt.date, dt.date, dt.date]:
    """Parse and check the parameters against the data's range; fill in the defaults."""
    as_of_day = parse_day("as_of", as_of) or data_through
    if not DATA_START <= as_of_day <= data_through and not allow_stale:
        raise ParameterError(
            f"parameter as_of: {as_of_day} is outside the data, which covers {DATA_START} to {data_through}"
        )
    compare_day = parse_day("compare_to", compare_to) or as_of_day - dt.timedelta(days=DEFAULT_WINDOW_DAYS)
    if compare_day >= as_of_day:
        raise ParameterError(f"parameter compare_to: {compare_day} must be before as_of {as_of_day}")
    since_day = parse_day("since", since) or DATA_START
    if since_day > as_of_day:
        raise ParameterError(f"parameter since: {since_day} must be on or before as_of {as_of_day}")
    return as_of_day, compare_day, since_day


def check(facts: Facts, as_of=None, compare_to=None, since=None, allow_stale: bool = False) -> Params:
    """check_days for a notebook: the days as pandas Timestamps."""
    import pandas as pd

    days = check_days(facts.data_through.date(), as_of, compare_to, since, allow_stale)
    return Params(*(pd.Timestamp(day) for day in days))
