"""The project's own files: the lock, environment.yml, the notebooks as committed."""

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import nbformat
import papermill
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if match:
            pins[normal(match.group(1))] = match.group(2)
    return pins


def test_every_dependency_is_pinned_in_the_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["dev"]
    names = {normal(re.split(r"[<>=!~\[; ]", req)[0]) for req in wanted}
    assert names - set(locked()) == set()


def test_environment_yml_installs_the_lock_and_the_project():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip == ["-r requirements.lock", "-e ."]


def test_the_venv_matches_the_lock():
    for name in ("pandas", "altair", "papermill", "nbconvert", "jupyterlab", "vl-convert-python", "playwright"):
        assert metadata.version(name) == locked()[normal(name)], name


def test_kernel_lives_inside_the_venv():
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("tradebrief")
    assert Path(spec.resource_dir).is_relative_to(Path(sys.prefix))
    assert Path(spec.argv[0]).resolve() == Path(sys.executable).resolve()


def test_notebooks_exist():
    assert [p.stem for p in NOTEBOOKS] == ["briefing", "measures", "talks_timeline", "tariff_trajectory", "tiktok_regulatory_path"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: cell {cell.id} has outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_parameters(path):
    notebook = nbformat.read(path, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert notebook.metadata.kernelspec.name == "tradebrief"
    inferred = papermill.inspect_notebook(str(path))
    assert list(inferred) == ["as_of", "compare_to", "since"]
    assert all(p["inferred_type_name"] == "Optional[str]" and p["help"] for p in inferred.values())


def test_reports_folder_is_ignored_but_its_readme():
    tracked = subprocess.run(["git", "ls-files", "reports"], cwd=ROOT, capture_output=True, text=True).stdout
    ignored = subprocess.run(["git", "check-ignore", "reports/2025-01-01/briefing.html"], cwd=ROOT,
                             capture_output=True, text=True)
    assert tracked.split() == ["reports/README.md"]
    assert ignored.returncode == 0
