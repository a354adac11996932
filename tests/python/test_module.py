"""The compiled module (pybind11): plansim.check and plansim.run in-process. check returns the
settings or raises InputError with every file:line:col diagnostic; run returns an
xarray.Dataset equal, value for value, to what the plansim command writes for the same seed."""
import subprocess

import numpy as np
import pytest

import plansim
from conftest import SOURCE_DIR

pytest.importorskip("_plansim", reason="the compiled module _plansim is not built "
                    "(pybind11-dev and python3-dev: tools/install-deps.sh)")

BASELINE = SOURCE_DIR / "scenarios" / "baseline.yaml"


def test_check_returns_the_settings_and_the_city():
    document = plansim.check(BASELINE, {"run.end": 2025, "run.replicates": 3})
    assert document["ok"] is True
    assert document["run"]["end"] == 2025 and document["run"]["replicates"] == 3
    assert "demography" in document["processes"]
    assert document["city"]["name_zh"] == "郑州市中原区"


def test_check_raises_with_every_located_diagnostic():
    with pytest.raises(plansim.InputError) as caught:
        plansim.check(BASELINE, ["run.scale=-1", "demography.fertility.tfrr=1.1"])
    errors = caught.value.diagnostics
    assert len(errors) == 2, errors
    # Located as on `plansim check SCENARIO --set S1 --set S2`: line 1, each at its column.
    assert [e["line"] for e in errors] == [1, 1]
    line = f"plansim check {BASELINE} --set run.scale=-1 --set demography.fertility.tfrr=1.1"
    scale = line.index("run.scale=-1") + len("run.scale=") + 1
    tfrr = line.index("demography.fertility.tfrr=") + len("demography.fertility.tfrr=") + 1
    assert sorted(e["column"] for e in errors) == [scale, tfrr], errors
    assert all(e["file"] == "<command line>" for e in errors)
    text = str(caught.value)
    assert text.startswith("<command line>:1:") and "error: " in text
    assert "tfrr" in text


def test_run_gives_a_dataset_equal_to_the_command(tmp_path, plansim_binary):
    options = {"run.end": 2022}
    ds = plansim.run(BASELINE, overrides=options, replicates=2, threads=2, seed=5, scale=0.02)
    assert ds["population"].dims == ("replicate", "year")
    assert list(ds["year"].values) == [2020, 2021, 2022]
    assert list(ds["replicate"].values) == [0, 1]
    out = tmp_path / "command.h5"
    subprocess.run([plansim_binary, "run", str(BASELINE), "--set", "run.end=2022",
                    "--replicates", "2", "--threads", "1", "--seed", "5", "--scale", "0.02",
                    "-q", "--no-summary", "-o", str(out)], cwd=SOURCE_DIR, check=True)
    command = plansim.open(out)
    assert set(ds.data_vars) == set(command.data_vars)
    for key in command.data_vars:   # bit-identical, at another thread count
        np.testing.assert_array_equal(ds[key].values, command[key].values, err_msg=key)


def test_run_of_an_invalid_scenario_raises_before_running(tmp_path):
    out = tmp_path / "never.h5"
    with pytest.raises(plansim.InputError, match="run.end"):
        plansim.run(BASELINE, overrides={"run.end": "soon"}, output=out)
    assert not out.exists()


def test_run_can_keep_its_file_and_return_another_group(tmp_path):
    out = tmp_path / "kept.h5"
    zones = plansim.run(BASELINE, overrides={"run.end": 2021}, replicates=1, scale=0.02,
                        output=out, group="zones")
    assert out.exists()
    assert zones["population"].dims == ("replicate", "year", "zone")
