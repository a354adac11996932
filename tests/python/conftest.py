"""Shared fixtures of the Python tests: a small results file written by the plansim binary."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

SOURCE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def plansim_binary():
    binary = os.environ.get("PLANSIM_BINARY") or str(SOURCE_DIR / "build/release/plansim")
    if not Path(binary).is_file():
        pytest.fail(f"plansim binary not found at {binary} (set PLANSIM_BINARY)")
    return binary


@pytest.fixture(scope="session")
def results_file(tmp_path_factory, plansim_binary):
    """A 2% sample of the baseline, 2020-2035, 2 replicates: every group of the layout."""
    out = tmp_path_factory.mktemp("results") / "baseline.h5"
    subprocess.run([plansim_binary, "run", "scenarios/baseline.yaml", "--scale", "0.02",
                    "--replicates", "2", "--seed", "3", "--threads", "2", "-q", "--no-summary",
                    "-o", str(out)], cwd=SOURCE_DIR, check=True)
    return out


@pytest.fixture()
def in_docs_layout(tmp_path, results_file):
    """A working directory where the docs' examples find their file: out/baseline.h5 or
    results/baseline.h5, the names they use."""
    for folder in ("out", "results"):
        (tmp_path / folder).mkdir()
        shutil.copy(results_file, tmp_path / folder / "baseline.h5")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(cwd)
