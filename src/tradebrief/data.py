"""Load the curated facts once and validate them against the schema in datapackage.json.

Every problem stops the load with one line naming the file, the row (as a spreadsheet shows it:
the header is row 1) and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where frames are made, so that light callers stay fast
    import pandas as pd

REPO_DATA = Path(__file__).resolve().parents[2] / "data"
TABLES = ("layers", "products", "mfn", "coverage", "rules", "talks", "tariffs", "tiktok", "published_averages",
          "published_stacks", "measures", "trade", "base_averages", "quoted", "courts")
DATA_START = dt.date(2018, 1, 1)  # the first date a report may describe
THIN = "Thinly sourced"  # how the note of a row begins when every source it has is of kind "other"


KINDS = ("official", "wire", "outlet", "analysis", "other")  # source kinds, best first


def best_kind(source: str, kinds: dict[str, str]) -> str:
    """The best kind among a row's sources (`source`: ids separated by spaces); "other" means the
    row is thinly sourced."""
    return min((kinds[sid] for sid in source.split(" ")), key=KINDS.index)


class DataError(ValueError):
    """A problem in the data files; the message is one line naming file, row and column."""


@dataclass(frozen=True)
class Facts:
    """The validated tables, with date columns as pandas Timestamps."""

    data_through: pd.Timestamp
    checked_for: str  # the kinds of events the data was checked for, up to data_through
    sources: pd.DataFrame
    layers: pd.DataFrame
    products: pd.DataFrame
    mfn: pd.DataFrame
    coverage: pd.DataFrame
    rules: pd.DataFrame
    talks: pd.DataFrame
    tariffs: pd.DataFrame
    tiktok: pd.DataFrame
    published_averages: pd.DataFrame
    published_stacks: pd.DataFrame
    measures: pd.DataFrame
    trade: pd.DataFrame
    base_averages: pd.DataFrame
    quoted: pd.DataFrame
    courts: pd.DataFrame
    directory: Path


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The data folder: the argument, else $TRADEBRIEF_DATA, else the repository's data/."""
    return Path(path or os.environ.get("TRADEBRIEF_DATA") or REPO_DATA)


def parse_date(text: str) -> dt.date:
    """A strict YYYY-MM-DD date."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _check_value(value: str, field: dict) -> str | None:
    """Why `value` breaks the field's declared type and constraints, or None."""
    rules = field.get("constraints", {})
    if value == "":
        return "is required" if rules.get("required") else None
    kind = field.get("type", "string")
    if kind == "date":
        try:
            parse_date(value)
        except ValueError as err:
            return str(err)
    elif kind == "number":
        try:
            number = float(value)
        except ValueError:
            return f"{value!r} is not a number"
        if number != number or number in (float("inf"), float("-inf")):
            return f"{value!r} is not a finite number"
        if "minimum" in rules and number < rules["minimum"]:
            return f"{value} is below the minimum {rules['minimum']}"
        if "maximum" in rules and number > rules["maximum"]:
            return f"{value} is above the maximum {rules['maximum']}"
    if "enum" in rules and value not in rules["enum"]:
        return f"{value!r} is not one of: {', '.join(rules['enum'])}"
    if "pattern" in rules and not re.fullmatch(rules["pattern"], value):
        return f"{value!r} does not match {rules['pattern']}"
    if value != value.strip():
        return f"{value!r} has leading or trailing spaces"
    return None


def _read_table(directory: Path, resource: dict) -> list[dict]:
    """Rows of one CSV, checked against its schema; raises DataError on the first problem."""
    path = directory / resource["path"]
    name = f"{directory.name}/{resource['path']}"
    fields = resource["schema"]["fields"]
    expected = [f["name"] for f in fields]
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise DataError(f"{name}: file not found") from None
    except UnicodeDecodeError as err:
        raise DataError(f"{name}: not UTF-8 text ({err.reason})") from None
    if not rows or rows[0] != expected:
        got = ",".join(rows[0]) if rows else "(empty file)"
        raise DataError(f"{name} row 1: header is {got!r}, expected {','.join(expected)!r}")
    records, seen = [], {}
    key = resource["schema"].get("primaryKey", "id")
    keys = key if isinstance(key, list) else [key]
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(expected):
            raise DataError(f"{name} row {number}: {len(row)} cells, expected {len(expected)}")
        record = dict(zip(expected, row))
        for field in fields:
            problem = _check_value(record[field["name"]], field)
            if problem:
                raise DataError(f"{name} row {number}, column {field['name']}: {problem}")
        value = tuple(record[k] for k in keys)
        if value in seen:
            shown = " ".join(value)
            raise DataError(
                f"{name} row {number}, column {keys[-1]}: duplicate {'/'.join(keys)} {shown!r} "
                f"(first on row {seen[value]})"
            )
        seen[value] = number
        record["_row"] = number
        records.append(record)
    return records


def _check_rows(label: str, name: str, records: list[dict], kinds: dict[str, str]) -> None:
    """Cross-field rules: sources exist, a row resting only on sources of kind "other" says so in
    its note, ends follow starts, deadlines are complete."""
    order = {
        "talks": [("start", "end")],
        "tariffs": [("announced", "effective")],
        "published_averages": [("measured", "published")],
        "mfn": [("announced", "effective")],
        "rules": [("effective", "until")],  # a rule may be announced after it takes effect (retroactive)
        "measures": [("effective", "until")],
    }
    for record in records:
        where = f"{label}/{name}.csv row {record['_row']}"
        if "source" in record:
            for source_id in record["source"].split(" "):
                if source_id not in kinds:
                    raise DataError(f"{where}, column source: unknown source id {source_id!r}")
            if best_kind(record["source"], kinds) == "other" and not record["note"].startswith(THIN):
                raise DataError(f"{where}, column note: every source is of kind 'other'; cite an official text, "
                                f"a wire or an outlet, or begin the note with '{THIN}:' and say what was looked for")
        for first, second in order.get(name, []):
            if record[first] and record[second] and record[second] < record[first]:
                raise DataError(
                    f"{where}, column {second}: {record[second]} is before {first} {record[first]}"
                )
        if name == "talks" and record["announced"] and record["announced"] > record["start"]:
            raise DataError(f"{where}, column announced: {record['announced']} is after start {record['start']}")
        if name == "tiktok":
            action, deadline, chain = record["deadline_action"], record["deadline"], record["chain"]
            if action and not chain:
                raise DataError(f"{where}, column chain: required when deadline_action is {action!r}")
            if action == "set" and not deadline:
                raise DataError(f"{where}, column deadline: required when deadline_action is 'set'")
            if deadline and action != "set":
                raise DataError(f"{where}, column deadline_action: must be 'set' when deadline is given")


def matches(pattern: str, layer: str) -> bool:
    """Whether a layer key matches a rule's pattern ('us-s232-*' matches every us-s232- layer)."""
    return layer.startswith(pattern[:-1]) if pattern.endswith("*") else layer == pattern


def _check_links(label: str, records: dict[str, list[dict]]) -> None:
    """Links between tables: every layer, product and pattern named exists, and sides agree."""
    layers = {r["layer"]: r["imposer"] for r in records["layers"]}
    products = {r["key"]: r["importer"] for r in records["products"]}

    def fail(name: str, record: dict, column: str, problem: str) -> None:
        raise DataError(f"{label}/{name}.csv row {record['_row']}, column {column}: {problem}")

    for r in records["tariffs"]:
        if r["layer"] not in layers:
            fail("tariffs", r, "layer", f"unknown layer {r['layer']!r} (not in layers.csv)")
        if layers[r["layer"]] != r["imposer"]:
            fail("tariffs", r, "imposer", f"{r['imposer']} but layer {r['layer']!r} is imposed by {layers[r['layer']]}")
    for name in ("mfn", "coverage", "published_stacks"):
        for r in records[name]:
            if r["product"] not in products:
                fail(name, r, "product", f"unknown product {r['product']!r} (not in products.csv)")
    for r in records["coverage"]:
        if r["layer"] not in layers:
            fail("coverage", r, "layer", f"unknown layer {r['layer']!r} (not in layers.csv)")
        if layers[r["layer"]] != products[r["product"]]:
            fail("coverage", r, "layer", f"{r['layer']!r} is imposed by {layers[r['layer']]}, "
                                          f"but {r['product']!r} is imported by {products[r['product']]}")
    for r in records["rules"]:
        for column in ("layer", "unless_layer"):
            if r[column] and not any(matches(r[column], layer) for layer in layers):
                fail("rules", r, column, f"{r[column]!r} matches no layer in layers.csv")
        if r["product"] and r["product"] not in products:
            fail("rules", r, "product", f"unknown product {r['product']!r} (not in products.csv)")
        if not r["unless_layer"] and not r["product"]:
            fail("rules", r, "product", "required when unless_layer is empty (an exemption is for one product)")
    produced = {r["id"] for name in ("tariffs", "measures", "tiktok") for r in records[name]}
    for r in records["talks"]:
        for row_id in r["produced"].split():
            if row_id not in produced:
                fail("talks", r, "produced", f"unknown row {row_id!r} (not in tariffs, measures or tiktok)")
    for r in records["courts"]:
        if r["layer"] and r["layer"] not in layers:
            fail("courts", r, "layer", f"unknown layer {r['layer']!r} (not in layers.csv)")
    rules = {r["id"] for r in records["rules"]}
    totals: set[tuple[str, str]] = set()
    for r in (r for r in records["trade"] if not r["key"]):
        if (r["importer"], r["year"]) in totals:
            fail("trade", r, "year", f"a second total for {r['importer']} in {r['year']}")
        totals.add((r["importer"], r["year"]))
    for r in records["trade"]:
        if r["key"] and r["key"] not in layers and not any(matches(r["key"], rule) for rule in rules):
            fail("trade", r, "key", f"{r['key']!r} is neither a layer nor a rule nor a family of rules")
        if (r["value_usd_bn"] == "") == (r["share_pct"] == ""):
            fail("trade", r, "value_usd_bn", "give a value or a share_pct, not both or neither")
        if not r["key"] and r["value_usd_bn"] == "":
            fail("trade", r, "value_usd_bn", "a total (empty key) needs a value")
        if r["value_usd_bn"] != "" and (r["importer"], r["year"]) not in totals:
            fail("trade", r, "year", f"no total trade row for {r['importer']} in {r['year']}")
    first_mfn = {}
    for r in records["mfn"]:
        first_mfn[r["product"]] = min(first_mfn.get(r["product"], r["effective"]), r["effective"])
    for r in records["products"]:
        if first_mfn.get(r["key"], "9999") > DATA_START.isoformat():
            fail("products", r, "key", f"no MFN rate in mfn.csv from {DATA_START} for {r['key']!r}")


def _frame(records: list[dict], resource: dict) -> pd.DataFrame:
    """A DataFrame with dates as Timestamps and numbers as floats (NaN where empty)."""
    import pandas as pd

    columns = [f["name"] for f in resource["schema"]["fields"]]
    frame = pd.DataFrame(records, columns=columns + ["_row"])
    for field in resource["schema"]["fields"]:
        column = field["name"]
        if field.get("type") == "date":
            frame[column] = pd.to_datetime(frame[column].replace("", None), format="%Y-%m-%d")
        elif field.get("type") == "number":
            frame[column] = pd.to_numeric(frame[column].replace("", None)).astype(float)
    return frame


def package(directory: Path) -> tuple[dict, dt.date]:
    """The data package descriptor of `directory` and its vintage (data_through)."""
    path = directory / "datapackage.json"
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except json.JSONDecodeError as err:
        raise DataError(f"{directory.name}/datapackage.json line {err.lineno}: {err.msg}") from None
    try:
        return descriptor, parse_date(str(descriptor.get("data_through", "")))
    except ValueError as err:
        raise DataError(f"{directory.name}/datapackage.json, data_through: {err}") from None


def load(path: str | os.PathLike | None = None) -> Facts:
    """Read and validate every table of the data package in `path` (see data_dir)."""
    import pandas as pd

    directory = data_dir(path)
    package_descriptor, data_through = package(directory)
    resources = {r["name"]: r for r in package_descriptor["resources"]}
    records = {name: _read_table(directory, resources[name]) for name in ("sources",) + TABLES}
    kinds = {r["id"]: r["kind"] for r in records["sources"]}
    for name in TABLES:
        _check_rows(directory.name, name, records[name], kinds)
    _check_links(directory.name, records)
    frames = {name: _frame(records[name], resources[name]) for name in records}
    return Facts(data_through=pd.Timestamp(data_through), checked_for=package_descriptor.get("checked_for", ""),
                 directory=directory, **frames)


def sourcing(facts: Facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How well each table is sourced: per table, the rows and the share whose best source is of
    each kind (official, wire, outlet, analysis, other) and of the first three together; and the
    thinly sourced rows (every source of kind "other"), each with its table, id and note."""
    import pandas as pd

    kinds = dict(zip(facts.sources["id"], facts.sources["kind"]))
    shares, thin = [], []
    for name in TABLES:
        frame = getattr(facts, name)
        if "source" not in frame:
            continue
        best = frame["source"].map(lambda ids: best_kind(ids, kinds))
        counts = best.value_counts()
        row = {"table": name, "rows": len(frame)}
        row.update({kind: counts.get(kind, 0) / len(frame) if len(frame) else 0.0 for kind in KINDS})
        row["official_wire_outlet"] = row["official"] + row["wire"] + row["outlet"]
        shares.append(row)
        key = frame["id"] if "id" in frame else frame["key"] if "key" in frame else frame["product"] + " " + frame["layer"]
        for label, note in zip(key[best == "other"], frame.loc[best == "other", "note"]):
            thin.append({"table": name, "row": label, "note": note})
    return pd.DataFrame(shares), pd.DataFrame(thin, columns=["table", "row", "note"])
