import shutil
from pathlib import Path

import pytest

from tradebrief import data

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="session")
def facts():
    """The real, curated data in data/."""
    return data.load(ROOT / "data")


@pytest.fixture(scope="session")
def mini():
    """A small fixture data set whose rows exercise the as-of rules."""
    return data.load(MINI)


@pytest.fixture
def mini_copy(tmp_path):
    """A writable copy of the fixture data, for breaking it."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target
