"""Build briefings in four steps, each in its own part of this file:

- plan: the jobs (notebook x as_of) and the inputs each depends on; a job whose inputs did not
  change since its report was built is skipped;
- run: the rest executed with papermill in parallel into a temporary folder, HTML rendered in-process;
- print: every PDF through one Chromium, each as soon as its HTML is written;
- publish: the results moved into reports/<as_of>/, the manifests and the index rewritten.

A report's inputs are what it can see: the facts known on its as_of (asof.known_on), the code, its
notebook, its parameters and the data schema. A row announced after D leaves the reports of D alone.
Imports stay light until there is work to do, so that a rebuild with nothing changed is fast.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import escape
from pathlib import Path

from . import data, params

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path(__file__).resolve().parent
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
FORMATS = ("html", "pdf")
PAPERS = ("A4", "Letter")  # Chromium's names
KERNEL = "tradebrief"


class BuildError(RuntimeError):
    """A build that could not finish; the message names what failed."""


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    day: str  # as_of, YYYY-MM-DD
    compare_to: str | None = None  # YYYY-MM-DD; None: the notebook's default
    since: str | None = None

    def parameters(self) -> dict[str, str]:
        """What papermill injects: as_of, and compare_to and since where given."""
        given = {"as_of": self.day, "compare_to": self.compare_to, "since": self.since}
        return {name: value for name, value in given.items() if value is not None}


def available(notebooks: Path = NOTEBOOKS) -> dict[str, str]:
    """Notebook name -> title, in the order the index lists them."""
    found = {}
    for path in sorted(notebooks.glob("*.ipynb")):
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("tradebrief", {})
        found[path.stem] = (meta.get("order", 99), meta.get("title", path.stem))
    return {name: title for name, (_, title) in sorted(found.items(), key=lambda kv: kv[1][0])}


@dataclass(frozen=True)
class Options:
    """What a build is asked for, as one value: which briefings, and how to make them."""
    as_ofs: tuple[str, ...] = ()  # empty: the data vintage, unless milestones or the shelf give dates
    only: tuple[str, ...] = ()  # notebook names; empty: all
    compare_to: str | None = None
    since: str | None = None
    milestones: bool = False  # also one as_of per in-person round or leaders' meeting
    shelf: bool = False  # also every report already under `out`, as it was asked for, and the milestones
    formats: tuple[str, ...] = FORMATS
    paper: str = "A4"
    data: str | os.PathLike | None = None  # data folder; see data.data_dir
    out: Path = REPORTS
    notebooks: Path = NOTEBOOKS
    jobs: int | None = None  # kernels; None: see workers()
    allow_stale: bool = False


# --- plan: the jobs, and the inputs each report depends on ---------------------------------------

def plan(options: Options, data_through: dt.date, milestone_days: list[str] = ()) -> list[Job]:
    """The jobs to run, every parameter checked before anything runs: the dates asked for, the
    milestones, and the shelf's reports with the parameters each was built with."""
    names = available(options.notebooks)
    for name in options.only:
        if name not in names:
            raise params.ParameterError(f"--only: unknown notebook {name!r}; choose from {', '.join(names)}")
    wanted = [name for name in names if not options.only or name in options.only]
    days = [*options.as_ofs, *milestone_days]
    jobs = {}
    for day in dict.fromkeys(days or [None]):
        day = params.check_days(data_through, day, options.compare_to, options.since,
                                allow_stale=options.allow_stale)[0].isoformat()
        for name in wanted:
            jobs[name, day] = Job(name, names[name], day, options.compare_to, options.since)
    for job in shelf(options.out) if options.shelf else []:
        if job.name in wanted:
            jobs.setdefault((job.name, job.day), dataclasses.replace(job, title=names[job.name]))
    return list(jobs.values())


def shelf(out: Path) -> list[Job]:
    """Every briefing under `out`, with the parameters it was built with (from its manifest)."""
    found = []
    for path in sorted(out.glob("*/manifest.json")):
        try:
            manifest = json.loads(path.read_text())
        except json.JSONDecodeError:
            continue
        for name, entry in sorted(manifest.items()):
            asked = entry.get("parameters", {})
            found.append(Job(name, entry.get("title", name), path.parent.name, asked.get("compare_to"), asked.get("since")))
    return found


def milestones(facts: data.Facts) -> list[str]:
    """One as_of per in-person round or leaders' meeting in the data that had ended by the data
    vintage: the day each ended."""
    from . import asof

    talks = facts.talks[facts.talks["kind"].isin(asof.IN_PERSON_KINDS) & (facts.talks["format"] == "in_person")
                        & (facts.talks["end"] <= facts.data_through)]
    return sorted({day.date().isoformat() for day in talks["end"]})


def _digest(paths: list[Path], base: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def code_inputs(directory: Path) -> str:
    """Hash of the code every briefing runs: the package source, the lock, and the data schema
    (the data package descriptor without its vintage)."""
    source = [p for p in sorted(SOURCE.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    descriptor, _ = data.package(directory)
    schema = json.dumps({k: v for k, v in descriptor.items() if k != "data_through"}, sort_keys=True)
    return "\n".join([_digest(source, SOURCE), _digest([ROOT / "requirements.lock"], ROOT),
                      hashlib.sha256(schema.encode()).hexdigest()])


def data_files(directory: Path) -> str:
    """Hash of every data file as it lies on disk: a quick test that nothing changed at all."""
    return _digest([p for p in sorted(directory.iterdir()) if p.is_file()], directory)


def known_facts(facts: data.Facts, day: str) -> str:
    """Hash of what a report as of `day` can see: every table as asof.known_on leaves it (row order
    kept, file row numbers dropped) and the sources those rows cite. The vintage is left out: a
    report names the vintage it was built from."""
    from . import asof

    known = asof.known_on(facts, day)
    digest = hashlib.sha256()
    for name in ("sources", *data.TABLES):
        table = getattr(known, name).drop(columns="_row")
        digest.update(name.encode() + b"\0" + table.to_csv(index=False).encode() + b"\0")
    return digest.hexdigest()


def job_inputs(job: Job, base: str, options: Options) -> str:
    """Hash of one briefing's inputs: `base` (the code with the data files, or with the facts
    known on its as_of), its notebook, its parameters, the formats and the paper."""
    digest = hashlib.sha256(base.encode())
    digest.update((options.notebooks / f"{job.name}.ipynb").read_bytes())
    digest.update(json.dumps({**job.parameters(), "formats": sorted(options.formats), "paper": options.paper},
                             sort_keys=True).encode())
    return digest.hexdigest()


def recorded(job: Job, options: Options) -> dict:
    """The manifest entry of the report this job would write, if every file of it is there; else {}."""
    folder = options.out / job.day
    try:
        entry = json.loads((folder / "manifest.json").read_text())[job.name]
    except (FileNotFoundError, KeyError, json.JSONDecodeError):
        return {}
    if not all((folder / f"{job.name}.{ext}").exists() for ext in (*options.formats, "ipynb")):
        return {}
    return entry


class Inputs:
    """The inputs of each job, and which reports are current. A report is current when the data
    files are byte for byte those it was built from (a quick test, without loading the data), or
    when the facts known on its as_of are (the data loaded once for every job that needs it)."""

    def __init__(self, directory: Path, options: Options):
        self.directory, self.options = directory, options
        self.code = code_inputs(directory)
        self.files = self.code + "\n" + data_files(directory)
        self.facts: data.Facts | None = None
        self.known_by_day: dict[str, str] = {}  # every notebook of a date sees the same facts: hashed once

    def load(self) -> data.Facts:
        """The facts, loaded and checked once; bad data stops the build here."""
        if self.facts is None:
            self.facts = data.load(self.directory)
        return self.facts

    def quick(self, job: Job) -> str:
        return job_inputs(job, self.files, self.options)

    def known(self, job: Job) -> str:
        if job.day not in self.known_by_day:
            self.known_by_day[job.day] = known_facts(self.load(), job.day)
        return job_inputs(job, self.code + "\n" + self.known_by_day[job.day], self.options)

    def stale(self, jobs: list[Job], progress: Progress) -> list[Job]:
        """The jobs whose report is missing or out of date; the others are marked cached."""
        stale = []
        for job in jobs:
            entry = recorded(job, self.options)
            if entry and (entry.get("files") == self.quick(job) or entry.get("inputs") == self.known(job)):
                progress.set(job, "cached")
            else:
                stale.append(job)
        return stale


class Progress:
    """One line per briefing (queued, running, rendered, cached, failed), redrawn in place on a
    terminal and printed as it changes otherwise; a summary at the end."""

    def __init__(self, jobs: list[Job], stream=None):
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.states = {job: "queued" for job in jobs}
        self.lock = threading.Lock()
        self.drawn = 0
        if self.live:
            self._draw()

    def set(self, job: Job, state: str) -> None:
        with self.lock:
            self.states[job] = state
            if self.live:
                self._draw()
            else:
                print(f"{job.day} {job.name}: {state}", file=self.stream, flush=True)

    def _draw(self) -> None:
        lines = [f"{job.day} {job.name:<24} {state}" for job, state in self.states.items()]
        if self.drawn:
            self.stream.write(f"\x1b[{self.drawn}F")
        self.stream.write("".join(f"\x1b[2K{line}\n" for line in lines))
        self.stream.flush()
        self.drawn = len(lines)

    def summary(self) -> str:
        counts = {}
        for state in self.states.values():
            counts[state] = counts.get(state, 0) + 1
        return ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))


# jsonschema (which nbformat, papermill and Altair import) builds a grammar for its optional "iri"
# format check when rfc3987-syntax is installed: 0.8 s of CPU in every process, for a check nothing
# here uses. A module marked absent is skipped (jsonschema imports it only if it can): here in the
# build's own process, and first thing in each kernel (PRELOAD).
sys.modules.setdefault("rfc3987_syntax", None)

# What every notebook imports, loaded while each kernel starts, before the first notebook needs it.
PRELOAD = ("import sys; sys.modules.setdefault('rfc3987_syntax', None); "
           "import pandas, altair, tradebrief.asof, tradebrief.blocks, tradebrief.charts, tradebrief.prose")


class Kernels:
    """`count` kernels, started at once (in the background, each importing PRELOAD) and lent one
    per worker thread, reused from notebook to notebook so that each briefing after the first
    skips starting Python and importing pandas and Altair."""

    def __init__(self, count: int, cwd: Path):
        import asyncio
        import queue

        from jupyter_client.manager import AsyncKernelManager

        self.local = threading.local()
        self.started = [AsyncKernelManager(kernel_name=KERNEL) for _ in range(count)]
        self.free: queue.Queue = queue.Queue()
        for manager in self.started:  # launching is quick; the kernels get ready in parallel
            # log_level: not the warning, at every start, that local TCP is unencrypted
            asyncio.run(manager.start_kernel(cwd=str(cwd), extra_arguments=[
                f"--IPKernelApp.exec_lines={PRELOAD}", "--IPKernelApp.log_level=ERROR"]))
            self.free.put(manager)

    def get(self):
        if not hasattr(self.local, "manager"):
            self.local.manager = self.free.get()
        return self.local.manager

    def shutdown(self) -> None:
        import asyncio

        for manager in self.started:
            if manager.has_kernel:
                asyncio.run(manager.shutdown_kernel(now=True))


RESET = "%reset_selective -f ."  # the first cell of every run on a reused kernel: drops every variable (%reset -f also collects garbage, 0.25 s); removed from the record


def execute(job: Job, workdir: Path, failed_dir: Path, notebooks: Path, manager):
    """Run one notebook with papermill on a pooled kernel; raise BuildError naming the cell."""
    import nbformat
    import papermill

    notebook = nbformat.read(notebooks / f"{job.name}.ipynb", as_version=4)
    reset = nbformat.v4.new_code_cell(RESET, id="tradebrief-reset")
    notebook.cells.insert(0, reset)
    output = workdir / f"{job.name}.ipynb"
    try:
        executed = papermill.execute_notebook(
            notebook, str(output), parameters=job.parameters(), kernel_name=KERNEL,
            cwd=str(notebooks), progress_bar=False, log_output=False, km=manager,
            request_save_on_cell_execute=False,  # written once at the end (and on failure), not after every cell
        )
    except papermill.PapermillExecutionError:
        failed = failed_dir / job.day
        failed.mkdir(parents=True, exist_ok=True)
        record = scrub(nbformat.read(output, as_version=4), job)
        nbformat.write(record, failed / output.name)
        raise BuildError(f"{job.name} (as_of {job.day}) failed at {_failed_cell(record)}; "
                         f"executed notebook kept in {failed / output.name}") from None
    executed = scrub(executed, job)
    nbformat.write(executed, output)
    return executed


def _failed_cell(notebook) -> str:
    """Where an executed notebook failed: the cell number and the error's last line."""
    for number, cell in enumerate(notebook.cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"cell {number}: {output.get('ename')}: {output.get('evalue')}"
    return "unknown cell"


def scrub(notebook, job: Job):
    """The record of a run, without what differs between two runs of the same inputs: the reset
    cell, timings, temporary paths, papermill's random cell id, the kernel's running count."""
    notebook.cells = [c for c in notebook.cells if c.get("id") != "tradebrief-reset"]
    record = notebook.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "exception"):
        record.pop(key, None)
    record["input_path"] = f"notebooks/{job.name}.ipynb"
    record["output_path"] = f"reports/{job.day}/{job.name}.ipynb"
    count = 0
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if "execution_count" in output:
                    output["execution_count"] = count
    return notebook


def build(options: Options, stream=None) -> list[Path]:
    """Build the briefings; returns the folders written. A briefing whose inputs did not change is
    not run again; one that fails leaves the last good one in place."""
    directory = data.data_dir(options.data).resolve()
    _, data_through = data.package(directory)
    inputs = Inputs(directory, options)
    todo = plan(options, data_through, milestones(inputs.load()) if options.milestones or options.shelf else [])
    progress = Progress(todo, stream)
    stale = inputs.stale(todo, progress)
    failures: list[str] = []
    written: list[Path] = []
    if stale:
        with _kernel_data(directory):  # the kernels read `directory`; they start now, in parallel with what follows
            kernels = Kernels(workers(options.jobs, len(stale)), options.notebooks)
        try:
            facts = inputs.load()  # bad data stops the build here, before any notebook runs or anything is written
            options.out.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".build-", dir=options.out))
            try:
                done = _run(stale, staging, options, kernels, progress, failures, build_stamp(data_through))
                written = _publish(staging, options, done, inputs, facts)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        finally:
            kernels.shutdown()
    print(f"tradebrief: {progress.summary()}", file=progress.stream)
    if failures:
        raise BuildError("; ".join(failures))
    return written


# --- run: notebooks executed on pooled kernels, HTML rendered ----------------------------------

# A kernel takes about as long to start and import as this many briefings take to run on it.
BRIEFINGS_PER_KERNEL = 4


def workers(jobs: int | None, briefings: int) -> int:
    """How many kernels to run: `jobs` if given; otherwise one per BRIEFINGS_PER_KERNEL
    briefings, leaving one core to the build's own process, which renders the pages and drives
    Chromium. Measured on 2 cores, one kernel against two: 5 briefings 10.8-11.4 s against
    12.3-12.4 s, 10 briefings 17.0 s against 18.4 s, 40 briefings 47.6 s against 49.2 s."""
    wanted = jobs or min(max(1, (os.cpu_count() or 1) - 1), -(-briefings // BRIEFINGS_PER_KERNEL))
    return max(1, min(wanted, briefings))


def _run(stale: list[Job], staging: Path, options: Options, kernels: Kernels, progress: Progress,
         failures: list[str], stamp: dt.datetime) -> list[Job]:
    """Execute, render HTML and print PDFs, overlapped: notebooks run in parallel, one per
    kernel, while the page template warms up, and each PDF is printed as soon as its HTML is
    written. Returns the jobs that succeeded."""
    from . import render

    html_lock = threading.Lock()

    def warm() -> None:  # the Vega bundle, the exporter and its templates, while kernels start
        with html_lock:
            render.warm()

    threading.Thread(target=warm, daemon=True).start()
    printer = _Printing(staging, stamp, options.paper, progress, failures) if "pdf" in options.formats else None

    def one(job: Job) -> Job | None:
        folder = staging / job.day
        folder.mkdir(exist_ok=True)
        progress.set(job, "running")
        try:
            executed = execute(job, folder, options.out / "_failed", options.notebooks, kernels.get())
            with html_lock:
                page = render.html(executed, job.title)
            (folder / f"{job.name}.html").write_text(page, encoding="utf-8")
        except BuildError as err:
            failures.append(str(err))
            progress.set(job, "failed")
            return None
        if printer:
            printer.put(job)
        else:
            progress.set(job, "rendered")
        return job

    try:
        with ThreadPoolExecutor(len(kernels.started)) as pool:
            done = [job for job in pool.map(one, stale) if job is not None]
        kernels.shutdown()  # while the last PDFs print
    finally:
        if printer:
            printer.close()
    return [job for job in done if not printer or job not in printer.failed]


# --- print: every PDF through one Chromium ------------------------------------------------------

class _Printing:
    """Prints each briefing's PDF as soon as its HTML is written, through one Chromium that lives
    in a thread of its own (Playwright's sync API stays in the thread that started it)."""

    def __init__(self, staging: Path, stamp: dt.datetime, paper: str, progress: Progress, failures: list[str]):
        import queue

        self.staging, self.stamp, self.paper = staging, stamp, paper
        self.progress, self.failures = progress, failures
        self.queue: queue.Queue = queue.Queue()
        self.failed: set[Job] = set()
        self.thread = threading.Thread(target=self._work)
        self.thread.start()

    def put(self, job: Job) -> None:
        self.progress.set(job, "printing")
        self.queue.put(job)

    def close(self) -> None:
        """Wait until every PDF asked for is printed or has failed."""
        self.queue.put(None)
        self.thread.join()

    def _fail(self, job: Job, err: Exception) -> None:
        self.failures.append(f"{job.name} (as_of {job.day}) could not be printed: {err}".splitlines()[0])
        self.progress.set(job, "failed")
        self.failed.add(job)

    def _work(self) -> None:
        from . import render

        try:
            printer = render.Printer(self.paper).__enter__()
        except Exception as err:  # no browser: every PDF of the build fails, each with the reason
            while (job := self.queue.get()) is not None:
                self._fail(job, err)
            return
        try:
            while (job := self.queue.get()) is not None:
                folder = self.staging / job.day
                try:
                    printer.pdf(folder / f"{job.name}.html", folder / f"{job.name}.pdf", job.title,
                                f"As of {job.day}", self.stamp)
                except Exception as err:  # a page that never finished drawing, a browser that died
                    self._fail(job, err)
                    continue
                self.progress.set(job, "rendered")
        finally:
            printer.__exit__(None, None, None)


# --- publish: results moved into place, manifests and index rewritten -------------------------

def _publish(staging: Path, options: Options, done: list[Job], inputs: Inputs, facts: data.Facts) -> list[Path]:
    """Move finished briefings into place, file by file, record what built them, and write each
    as_of's calendar of the cliffs ahead and its key figures beside them."""
    from . import deadlines, prose

    data_through = facts.data_through.date()
    written = []
    with _locked(options.out):
        for job in done:
            target = options.out / job.day
            target.mkdir(exist_ok=True)
            for ext in (*options.formats, "ipynb"):
                os.replace(staging / job.day / f"{job.name}.{ext}", target / f"{job.name}.{ext}")
            _record(target, job, {"data_through": data_through.isoformat(), "inputs": inputs.known(job),
                                  "files": inputs.quick(job)})
            written.append(target)
        for target in sorted(set(written)):
            deadlines.write(facts, target.name, target / CALENDAR, build_stamp(data_through))
            write_whole(target / FIGURES, json.dumps(prose.key_figures(facts, target.name), ensure_ascii=False))
        write_index(options.out)
    return sorted(set(written))


def _record(target: Path, job: Job, built: dict) -> None:
    """Note in the folder's manifest what built this briefing: its title, its as_of and the
    parameters it was asked with (for the shelf), the data vintage, and its input hashes."""
    path = target / "manifest.json"
    try:
        manifest = json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        manifest = {}
    asked = {k: v for k, v in job.parameters().items() if k != "as_of"}
    manifest[job.name] = {"title": job.title, "as_of": job.day, **({"parameters": asked} if asked else {}), **built}
    write_whole(path, json.dumps(manifest, indent=1, sort_keys=True))


def write_whole(path: Path, text: str | bytes) -> None:
    """Write `path` whole or not at all: into a temporary file beside it, then renamed over it."""
    tmp = Path(path).with_suffix(".tmp")
    tmp.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    os.replace(tmp, path)


@contextlib.contextmanager
def _locked(out: Path):
    """One build at a time moves its results into `out` and rewrites the manifests and the index."""
    with open(out / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_stamp(data_through: dt.date) -> dt.datetime:
    """The date written into outputs: $SOURCE_DATE_EPOCH when set, else the data vintage, never
    the clock, so that two builds from the same inputs are identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except ValueError:
            raise params.ParameterError(f"SOURCE_DATE_EPOCH: {epoch!r} is not a whole number of seconds") from None
    return dt.datetime.combine(data_through, dt.time(), dt.timezone.utc)


@contextlib.contextmanager
def _kernel_data(directory: Path):
    """Point the notebooks' kernels (which inherit the environment) at `directory` while building."""
    before = os.environ.get("TRADEBRIEF_DATA")
    os.environ["TRADEBRIEF_DATA"] = str(directory)
    try:
        yield
    finally:
        if before is None:
            del os.environ["TRADEBRIEF_DATA"]
        else:
            os.environ["TRADEBRIEF_DATA"] = before


CALENDAR = "deadlines.ics"  # the cliffs ahead of each as_of, beside its briefings
FIGURES = "figures.json"  # each as_of's key figures, for the index


def write_index(out: Path = REPORTS) -> Path:
    """reports/index.html: the shelf of briefings, newest as_of first, each date with its key
    figures (FIGURES, written beside its briefings) and links to every file; a line of years to
    jump to."""
    from . import render

    sections, years = [], {}
    order = list(available())  # the house order of the briefings: the executive briefing first
    for manifest_path in sorted(out.glob("*/manifest.json"), reverse=True):
        folder, day = manifest_path.parent.name, manifest_path.parent
        manifest = json.loads(manifest_path.read_text())
        anchor = f"d-{folder}"
        years.setdefault(folder[:4], anchor)
        items = []
        for name, entry in sorted(manifest.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0])):
            links = " · ".join(f'<a href="{escape(folder)}/{escape(name)}.{ext}">{label}</a>'
                               for ext, label in (("html", "HTML"), ("pdf", "PDF"), ("ipynb", "notebook"))
                               if (day / f"{name}.{ext}").exists())
            items.append(f"<li>{escape(entry['title'])}: {links}</li>")
        if (day / CALENDAR).exists():
            items.append(f'<li>The cliffs ahead, as a calendar: <a href="{escape(folder)}/{CALENDAR}">{CALENDAR}</a></li>')
        try:
            figures = json.loads((day / FIGURES).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            figures = []
        shown = "".join(f'<div class="tb-figure"><span class="tb-value">{escape(v)}</span>'
                        f'<span class="tb-label">{escape(label)}</span></div>' for v, label in figures)
        vintage = sorted({entry["data_through"] for entry in manifest.values()})
        sections.append(f'<section id="{anchor}"><h2>As of {escape(folder)}</h2>'
                        f'<p class="tb-caption">Data through {escape(", ".join(vintage))}</p>'
                        + (f'<div class="tb-figures">{shown}</div>' if shown else "")
                        + f'<ul>{"".join(items)}</ul></section>')
    nav = ('<nav aria-label="Years"><p>Jump to: ' + " · ".join(f'<a href="#{a}">{y}</a>' for y, a in years.items())
           + "</p></nav>") if len(years) > 1 else ""
    body = ('<header class="tb-header"><p class="tb-kicker">US–China trade briefing</p><h1>Briefings</h1></header>'
            + nav + ("".join(sections) or "<p>No briefing has been built yet.</p>"))
    index = out / "index.html"
    write_whole(index, render.page("US–China trade briefings", body))
    return index
