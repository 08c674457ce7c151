"""Time the build against the naive route, on this machine, and print a table of medians.

    .venv/bin/python scripts/bench.py [--runs 3]

(a) naive: for each of the notebooks, `papermill`, then `jupyter nbconvert --to html`, then
    one headless-Chromium PDF print, each its own process, one notebook at a time;
(b) `tradebrief build`, cold (empty output folder);
(c) the same build again, nothing changed;
(d) the same build after one data row changed;
(e) a batch of 8 as_of dates, cold;
(f) the milestone shelf (`--shelf` on an empty folder: one as_of per round or leaders' meeting), cold;
(g) the shelf after appending one row dated on the last milestone (after every other one);
(h) the shelf after correcting one 2018 row (the Section 301 List 1 action, announced 2018-06-15).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
AS_OF = "2026-05-29"
BATCH = ["2018-12-01", "2019-06-29", "2020-01-15", "2025-04-12", "2025-05-12", "2025-09-15", "2025-10-30", "2026-03-01"]


def timed(command: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def naive(work: Path) -> float:
    from tradebrief.render import CHROMIUM_ARGS, find_chromium

    chromium = find_chromium()
    start = time.perf_counter()
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        executed = work / notebook.name
        subprocess.run([BIN / "papermill", notebook, executed, "-r", "as_of", AS_OF, "--cwd", ROOT / "notebooks"],
                       check=True, capture_output=True)
        subprocess.run([BIN / "jupyter", "nbconvert", "--to", "html", executed], check=True, capture_output=True)
        html = executed.with_suffix(".html")
        subprocess.run([chromium, *CHROMIUM_ARGS, f"--user-data-dir={work / 'profile'}",
                        f"--print-to-pdf={executed.with_suffix('.pdf')}", html.as_uri()],
                       check=True, capture_output=True)
    return time.perf_counter() - start


def build(out: Path, *args: str) -> list[str]:
    return [str(BIN / "tradebrief"), "build", "--out", str(out), *args]


def one_run() -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="tradebrief-bench-") as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("_staging"))
        (tmp / "naive").mkdir()
        figures = {"a": naive(tmp / "naive")}
        figures["b"] = timed(build(tmp / "out", "--data", str(data), "--as-of", AS_OF))
        figures["c"] = timed(build(tmp / "out", "--data", str(data), "--as-of", AS_OF))
        talks = data / "talks.csv"
        talks.write_text(talks.read_text(encoding="utf-8").replace("Trump–Xi call", "Trump–Xi phone call", 1),
                         encoding="utf-8")
        figures["d"] = timed(build(tmp / "out", "--data", str(data), "--as-of", AS_OF))
        batch = [arg for day in BATCH for arg in ("--as-of", day)]
        figures["e"] = timed(build(tmp / "batch", "--data", str(data), *batch))
        figures["f"] = timed(build(tmp / "shelf", "--data", str(data), "--shelf"))
        last = sorted(p.name for p in (tmp / "shelf").iterdir() if p.is_dir())[-1]
        with (data / "tiktok.csv").open("a", encoding="utf-8") as rows:
            rows.write(f"bench-appended,{last},talks,,A row appended for the bench.,,,,tk-et-reuters-2026-03-03-outage,\n")
        figures["g"] = timed(build(tmp / "shelf", "--data", str(data), "--shelf"))
        tariffs = data / "tariffs.csv"
        text = tariffs.read_text(encoding="utf-8")
        row = next(line for line in text.splitlines() if line.startswith("us-s301-list1-2018-07-06-impose,"))
        tariffs.write_text(text.replace(row, row.replace("25%", "25 percent", 1)), encoding="utf-8")
        figures["h"] = timed(build(tmp / "shelf", "--data", str(data), "--shelf"))
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs to take the median over (default 3)")
    runs = [one_run() for _ in range(parser.parse_args().runs)]
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    labels = {
        "a": "naive route, every notebook (papermill + nbconvert + Chromium per file)",
        "b": "tradebrief build, cold",
        "c": "tradebrief build, nothing changed",
        "d": "tradebrief build, one data row changed",
        "e": f"tradebrief build, batch of {len(BATCH)} as_of dates, cold",
        "f": "tradebrief build --shelf (the milestones), cold",
        "g": "the shelf after one row appended on the last milestone",
        "h": "the shelf after one 2018 row corrected",
    }
    print(f"medians of {len(runs)} runs, seconds")
    for key, label in labels.items():
        spread = ", ".join(f"{run[key]:.2f}" for run in runs)
        print(f"({key}) {label:<72} {median[key]:8.2f}   [{spread}]")
    print(f"a/b = {median['a'] / median['b']:.1f}   (target >= 4)")
    print(f"a/c = {median['a'] / median['c']:.0f}   (target >= 50; c under 1 s)")
    print(f"e/b = {median['e'] / median['b']:.2f}   (target <= 4.5)")
    print(f"g/b = {median['g'] / median['b']:.2f}   (target <= 1.5)")
    print(f"h/f = {median['h'] / median['f']:.2f}   (target <= 1)")


if __name__ == "__main__":
    main()
