"""Build briefings: plan (notebook x as_of), execute with papermill into a temporary folder,
render HTML and PDF, and move the results into reports/<as_of>/ only when all of them succeeded.
"""

from __future__ import annotations

import contextlib
import fcntl
import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from html import escape
from pathlib import Path

import nbformat
import pandas as pd

from . import data, params, render

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
FORMATS = ("html", "pdf")
KERNEL = "tradebrief"


class BuildError(RuntimeError):
    """A build that could not finish; the message is one line."""


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    as_of: pd.Timestamp

    @property
    def day(self) -> str:
        return self.as_of.date().isoformat()


def available(notebooks: Path = NOTEBOOKS) -> dict[str, str]:
    """Notebook name -> title, in the order the index lists them."""
    found = {}
    for path in sorted(notebooks.glob("*.ipynb")):
        meta = nbformat.read(path, as_version=4).metadata.get("tradebrief", {})
        found[path.stem] = (meta.get("order", 99), meta.get("title", path.stem))
    return {name: title for name, (_, title) in sorted(found.items(), key=lambda kv: kv[1][0])}


def plan(facts: data.Facts, as_ofs: list[str] | None, only: list[str] | None,
         allow_stale: bool = False, notebooks: Path = NOTEBOOKS) -> list[Job]:
    """The jobs to run, every parameter checked before anything runs."""
    names = available(notebooks)
    for name in only or []:
        if name not in names:
            raise params.ParameterError(f"--only: unknown notebook {name!r}; choose from {', '.join(names)}")
    days = [params.check(facts, day, allow_stale=allow_stale).as_of for day in (as_ofs or [None])]
    return [Job(name, names[name], day) for day in dict.fromkeys(days) for name in names
            if not only or name in only]


def _failed_cell(notebook: nbformat.NotebookNode) -> str:
    """Where an executed notebook failed: the cell number and the error's last line."""
    for number, cell in enumerate(notebook.cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"cell {number}: {output.get('ename')}: {output.get('evalue')}"
    return "unknown cell"


def execute(job: Job, workdir: Path, failed_dir: Path, notebooks: Path = NOTEBOOKS) -> nbformat.NotebookNode:
    """Run one notebook with papermill into `workdir`; raise BuildError naming the failed cell."""
    import papermill

    output = workdir / f"{job.name}.ipynb"
    try:
        papermill.execute_notebook(
            str(notebooks / f"{job.name}.ipynb"), str(output),
            parameters={"as_of": job.day}, kernel_name=KERNEL, cwd=str(notebooks),
            progress_bar=False, log_output=False, report_mode=False,
        )
    except papermill.PapermillExecutionError:
        failed = failed_dir / job.day
        failed.mkdir(parents=True, exist_ok=True)
        shutil.copy(output, failed / output.name)
        raise BuildError(
            f"{job.name} (as_of {job.day}) failed at {_failed_cell(nbformat.read(output, as_version=4))}; "
            f"executed notebook kept in {failed / output.name}"
        ) from None
    executed = scrub(nbformat.read(output, as_version=4), job)
    nbformat.write(executed, output)
    return executed


def scrub(notebook: nbformat.NotebookNode, job: Job) -> nbformat.NotebookNode:
    """Drop what differs between two runs of the same inputs: timings, temporary paths and the
    random id papermill gives the injected-parameters cell."""
    record = notebook.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "exception"):
        record.pop(key, None)
    record["input_path"] = f"notebooks/{job.name}.ipynb"
    record["output_path"] = f"reports/{job.day}/{job.name}.ipynb"
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    return notebook


def build(as_ofs: list[str] | None = None, only: list[str] | None = None,
          formats: tuple[str, ...] = FORMATS, data_path: str | None = None,
          out: Path = REPORTS, allow_stale: bool = False, notebooks: Path = NOTEBOOKS,
          log=print) -> list[Path]:
    """Build the briefings; returns the folders written. Nothing is replaced unless all succeeded."""
    facts = data.load(data_path)
    jobs = plan(facts, as_ofs, only, allow_stale, notebooks)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=out))
    try:
        printer = render.Printer() if "pdf" in formats else None
        with _kernel_data(facts.directory), printer or contextlib.nullcontext():
            for job in jobs:
                folder = staging / job.day
                folder.mkdir(exist_ok=True)
                log(f"{job.day} {job.name}: running")
                executed = execute(job, folder, out / "_failed", notebooks)
                page = folder / f"{job.name}.html"
                page.write_text(render.html(executed, job.title), encoding="utf-8")
                if printer:
                    printer.pdf(page, folder / f"{job.name}.pdf", job.title, f"As of {job.day}",
                                build_stamp(facts))
                _write_manifest(folder, job, facts)
                log(f"{job.day} {job.name}: rendered")
        written = []
        with _locked(out):
            for folder in sorted(staging.iterdir()):
                target = out / folder.name
                target.mkdir(exist_ok=True)
                for item in folder.iterdir():
                    if item.name != "manifest.json":
                        os.replace(item, target / item.name)
                _merge_manifest(target, json.loads((folder / "manifest.json").read_text()))
                written.append(target)
            write_index(out)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def _locked(out: Path):
    """One build at a time moves its results into `out` and rewrites the manifests and the index."""
    with open(out / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_stamp(facts: data.Facts) -> dt.datetime:
    """The date written into outputs: $SOURCE_DATE_EPOCH when set, else the data vintage, never
    the clock, so that two builds from the same inputs are identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except ValueError:
            raise params.ParameterError(f"SOURCE_DATE_EPOCH: {epoch!r} is not a whole number of seconds") from None
    return facts.data_through.to_pydatetime().replace(tzinfo=dt.timezone.utc)


@contextlib.contextmanager
def _kernel_data(directory: Path):
    """Point the notebooks' kernels (which inherit the environment) at `directory` while building."""
    before = os.environ.get("TRADEBRIEF_DATA")
    os.environ["TRADEBRIEF_DATA"] = str(directory.resolve())
    try:
        yield
    finally:
        if before is None:
            del os.environ["TRADEBRIEF_DATA"]
        else:
            os.environ["TRADEBRIEF_DATA"] = before


def _write_manifest(folder: Path, job: Job, facts: data.Facts) -> None:
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text()) if path.exists() else {}
    manifest[job.name] = {"title": job.title, "as_of": job.day,
                          "data_through": facts.data_through.date().isoformat()}
    path.write_text(json.dumps(manifest, indent=1, sort_keys=True))


def _merge_manifest(target: Path, new: dict) -> None:
    path = target / "manifest.json"
    manifest = json.loads(path.read_text()) if path.exists() else {}
    manifest.update(new)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    os.replace(tmp, path)


def write_index(out: Path = REPORTS) -> Path:
    """reports/index.html: every built briefing by as_of and notebook."""
    rows = []
    for manifest_path in sorted(out.glob("*/manifest.json"), reverse=True):
        folder = manifest_path.parent.name
        manifest = json.loads(manifest_path.read_text())
        for name, entry in sorted(manifest.items()):
            links = " · ".join(
                f'<a href="{escape(folder)}/{escape(name)}.{ext}">{label}</a>'
                for ext, label in (("html", "HTML"), ("pdf", "PDF"), ("ipynb", "notebook"))
                if (manifest_path.parent / f"{name}.{ext}").exists()
            )
            rows.append(f"<tr><td>{escape(entry['as_of'])}</td><td>{escape(entry['title'])}</td>"
                        f"<td>{links}</td><td>{escape(entry['data_through'])}</td></tr>")
    body = ('<header class="tb-header"><p class="tb-kicker">US–China trade briefing</p><h1>Briefings</h1></header>'
            '<table class="tb-table"><thead><tr><th scope="col">As of</th><th scope="col">Briefing</th>'
            '<th scope="col">Files</th><th scope="col">Data through</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")
    index = out / "index.html"
    tmp = index.with_suffix(".tmp")
    tmp.write_text(render.page("US–China trade briefings", body), encoding="utf-8")
    os.replace(tmp, index)
    return index
