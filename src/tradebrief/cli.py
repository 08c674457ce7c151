"""`tradebrief build | facts`: parse, check, call; every error is one line and a non-zero exit."""

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
    b.add_argument("--jobs", type=int, metavar="N", help="notebooks run in parallel, one kernel each (default: one per 4 briefings, at most one per core)")
    b.add_argument("--allow-stale", action="store_true", help="allow an as_of outside the data's range")

    f = commands.add_parser("facts", help="print the key facts on a date as one JSON object",
                            description="Print the key figures known on a date as one JSON object.")
    f.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date (default: the data vintage)")
    f.add_argument("--data", metavar="DIR", help="data folder to read instead of data/")
    f.add_argument("--allow-stale", action="store_true", help="allow a date outside the data's range")
    return parser


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [part for part in chosen if part not in build.FORMATS]
    if unknown or not chosen:
        raise params.ParameterError(f"--format: {text!r} is not allowed; use html, pdf or html,pdf")
    return chosen


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "facts":
            from . import asof

            facts = data.load(args.data)
            day = params.check(facts, args.as_of, allow_stale=args.allow_stale).as_of
            print(json.dumps(asof.summary(facts, day), indent=2, ensure_ascii=False))
        else:
            if args.paper not in build.PAPERS:
                raise params.ParameterError(f"--paper: {args.paper!r} is not allowed; use {' or '.join(build.PAPERS)}")
            if args.jobs is not None and args.jobs < 1:
                raise params.ParameterError(f"--jobs: {args.jobs} is not allowed; use 1 or more")
            build.build(args.as_of, args.only, _formats(args.format), args.data, Path(args.out),
                        args.allow_stale, Path(args.notebooks), args.jobs, args.milestones,
                        compare_to=args.compare_to, since=args.since, paper=args.paper)
    except (data.DataError, params.ParameterError) as err:
        print(f"tradebrief: error: {err}", file=sys.stderr)
        return 2
    except build.BuildError as err:
        print(f"tradebrief: build failed: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
