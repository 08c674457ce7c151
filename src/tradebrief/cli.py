"""`tradebrief build | facts | duty | calendar | sources`: parse, check, call; every error is one line and a non-zero exit."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import build, data, params


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tradebrief",
        description="The US-China trade briefing kit: build the briefings, or print the key facts for a date.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = commands.add_parser("build", help="execute the notebooks and render HTML and PDF briefings",
                            description="Execute the notebooks with papermill and render them into "
                                        "reports/<as_of>/<notebook>.html and .pdf, plus reports/index.html.")
    b.add_argument("--as-of", action="append", metavar="YYYY-MM-DD",
                   help="date the briefings describe; repeat for several (default: the data vintage)")
    b.add_argument("--only", action="append", metavar="NAME",
                   help="build only this notebook (repeatable), e.g. briefing")
    b.add_argument("--compare-to", metavar="YYYY-MM-DD",
                   help="start of the 'what changed' window, before every as_of (default: 30 days before as_of)")
    b.add_argument("--since", metavar="YYYY-MM-DD", help="where the charts start (default: 2018-01-01)")
    b.add_argument("--paper", default="A4", metavar="SIZE", help="PDF paper size: A4 or Letter (default: A4)")
    b.add_argument("--format", default="html,pdf", metavar="LIST",
                   help="comma-separated output formats: html, pdf (default: html,pdf)")
    b.add_argument("--data", metavar="DIR", help="data folder to read instead of data/")
    b.add_argument("--out", metavar="DIR", default=str(build.REPORTS), help="output folder (default: reports/)")
    b.add_argument("--notebooks", metavar="DIR", default=str(build.NOTEBOOKS),
                   help="folder of notebooks to build (default: notebooks/)")
    b.add_argument("--milestones", action="store_true",
                   help="also build one as_of per in-person round or leaders' meeting (the day it ended)")
    b.add_argument("--shelf", action="store_true",
                   help="bring the whole shelf up to date: every briefing already in the output folder (with the "
                        "parameters it was built with) and the milestones; only those a change of data, code or "
                        "notebook affects are built again")
    b.add_argument("--jobs", type=int, metavar="N", help="notebooks run in parallel, one kernel each (default: one per 4 briefings, leaving one core to rendering and printing)")
    b.add_argument("--allow-stale", action="store_true", help="allow an as_of outside the data's range")

    f = commands.add_parser("facts", help="print the key facts on a date as one JSON object",
                            description="Print the key figures known on a date as one JSON object.")
    _dated(f)

    d = commands.add_parser("duty", help="print the duty a product group paid on a date, layer by layer, as JSON",
                            description="Print, for each product group asked for, its MFN rate, every additional "
                                        "tariff layer in force on it, the layers rules switched off and why, and the "
                                        "changes already scheduled, as known on the date.")
    d.add_argument("--product", action="extend", nargs="+", metavar="KEY",
                   help="one or more product group keys (the option may be repeated); see --list")
    d.add_argument("--list", action="store_true", help="list the product group keys with their labels")
    _dated(d)

    c = commands.add_parser("calendar", help="write the cliffs ahead as an iCalendar (.ics) file",
                            description="Write every dated change known on the date and due after it (tariff steps, "
                                        "the end of each suspension, measure expiries, TikTok deadlines, scheduled "
                                        "talks) as an iCalendar file, each event with its sources.")
    c.add_argument("--out", metavar="FILE.ics", required=True, help="the file to write")
    _dated(c)

    s = commands.add_parser("sources", help="report how well each table is sourced",
                            description="Print, table by table, the share of rows by the kind of their best source "
                                        "(official, wire, outlet, analysis, other), then every thinly sourced row.")
    s.add_argument("--check", action="store_true", required=True, help="check the sourcing (the only mode)")
    s.add_argument("--data", metavar="DIR", help="data folder to read instead of data/")
    return parser


def _dated(command: argparse.ArgumentParser) -> None:
    """The options of a command that answers for one date."""
    command.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date (default: the data vintage)")
    command.add_argument("--data", metavar="DIR", help="data folder to read instead of data/")
    command.add_argument("--allow-stale", action="store_true", help="allow a date outside the data's range")


def _facts_and_day(args: argparse.Namespace):
    """The data, and the checked --as-of (the data vintage by default)."""
    facts = data.load(args.data)
    return facts, params.check(facts, args.as_of, allow_stale=args.allow_stale).as_of


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [part for part in chosen if part not in build.FORMATS]
    if unknown or not chosen:
        raise params.ParameterError(f"--format: {text!r} is not allowed; use html, pdf or html,pdf")
    return chosen


def _duty(args: argparse.Namespace):
    """The JSON `tradebrief duty` prints: the list of keys, one product's object, or a list of them."""
    import difflib

    from . import asof, prose

    facts, day = _facts_and_day(args)
    keys = list(facts.products["key"])
    if args.list:
        return [{"product": r["key"], "label": r["label"], "importer": r["importer"]} for _, r in facts.products.iterrows()]
    if not args.product:
        raise params.ParameterError("--product: give at least one product key, or --list to see them")
    for key in args.product:
        if key not in keys:
            close = difflib.get_close_matches(key, keys, n=3, cutoff=0.5)
            hint = f"; did you mean {' or '.join(close)}?" if close else "; see tradebrief duty --list"
            raise params.ParameterError(f"--product: unknown product {key!r}{hint}")
    known = asof.known_on(facts, day)
    sources = known.sources.set_index("id")

    def cite(ids: str) -> list[dict]:
        return [{"citation": prose.citation(sources.loc[sid]), "url": sources.loc[sid, "url"]} for sid in ids.split()]

    def iso(value) -> str:
        return value.date().isoformat()

    def one(key: str) -> dict:
        d = asof.duty(known, key, day)
        return {
            "product": key, "label": d["label"], "importer": d["importer"], "headings": d["headings"],
            "as_of": iso(day), "mfn_pct": d["mfn_pct"], "additional_pct": d["additional_pct"],
            "total_pct": d["total_pct"],
            "layers": [{"layer": i["layer"], "label": i["label"], "legal_basis": i["legal_basis"],
                        "rate_pct": i["rate_pct"], "since": iso(i["since"]), "source": cite(i["source"])}
                       for i in d["layers"]],
            "not_applied": [{"layer": i["layer"], "label": i["label"], "why": i["why"],
                             "legal_basis": i["legal_basis"], "source": cite(i["source"])} for i in d["not_applied"]],
            "scheduled": [{"date": iso(i["effective"]), "what": i["what"], "total_pct": i["total_pct"]}
                          for i in d["scheduled"]],
            "mfn_source": cite(d["mfn_source"]),
        }

    answers = [one(key) for key in args.product]
    return answers[0] if len(answers) == 1 else answers


def _sourcing(facts: data.Facts) -> str:
    """The sourcing report: one line per table, a line for all rows, then the thinly sourced rows."""
    shares, thin = data.sourcing(facts)
    counts = shares[list(data.KINDS)].mul(shares["rows"], axis=0)
    total = counts.sum() / shares["rows"].sum()
    heading = f"{'table':<20}{'rows':>6}" + "".join(f"{kind:>10}" for kind in data.KINDS) + f"{'official+wire+outlet':>22}"
    lines = ["Rows by the kind of their best source", heading]
    for _, row in shares.iterrows():
        lines.append(f"{row['table']:<20}{row['rows']:>6}" + "".join(f"{row[kind]:>10.1%}" for kind in data.KINDS)
                     + f"{row['official_wire_outlet']:>22.1%}")
    lines.append(f"{'all':<20}{shares['rows'].sum():>6}" + "".join(f"{v:>10.1%}" for v in total)
                 + f"{total[['official', 'wire', 'outlet']].sum():>22.1%}")
    lines.append(f"\nThinly sourced rows (every source of kind 'other'): {len(thin)}")
    lines += [f"  {r['table']} {r['row']}: {r['note']}" for _, r in thin.iterrows()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "facts":
            from . import asof

            facts, day = _facts_and_day(args)
            print(json.dumps(asof.summary(facts, day), indent=2, ensure_ascii=False))
        elif args.command == "duty":
            print(json.dumps(_duty(args), indent=2, ensure_ascii=False))
        elif args.command == "sources":
            print(_sourcing(data.load(args.data)))
        elif args.command == "calendar":
            facts, day = _facts_and_day(args)
            if not args.out.endswith(".ics"):
                raise params.ParameterError(f"--out: {args.out!r} must name a .ics file")
            from . import deadlines

            deadlines.write(facts, day, Path(args.out), build.build_stamp(facts.data_through.date()))
        else:
            if args.paper not in build.PAPERS:
                raise params.ParameterError(f"--paper: {args.paper!r} is not allowed; use {' or '.join(build.PAPERS)}")
            if args.jobs is not None and args.jobs < 1:
                raise params.ParameterError(f"--jobs: {args.jobs} is not allowed; use 1 or more")
            build.build(build.Options(
                as_ofs=tuple(args.as_of or ()), only=tuple(args.only or ()), compare_to=args.compare_to,
                since=args.since, milestones=args.milestones, shelf=args.shelf, formats=_formats(args.format),
                paper=args.paper, data=args.data, out=Path(args.out), notebooks=Path(args.notebooks),
                jobs=args.jobs, allow_stale=args.allow_stale))
    except (data.DataError, params.ParameterError) as err:
        print(f"tradebrief: error: {err}", file=sys.stderr)
        return 2
    except build.BuildError as err:
        print(f"tradebrief: build failed: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
