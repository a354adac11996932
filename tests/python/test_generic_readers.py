"""Generic tools read a results file without plansim's code: xarray with the h5netcdf and netCDF4
engines names every axis from the HDF5 dimension scales and gives year, replicate and zone
coordinates; CF attributes (units, long_name, _FillValue, Conventions) are there; pandas gets a
long table from the Dataset."""
import math

import h5py
import numpy as np
import pytest
import xarray as xr

ENGINES = ["h5netcdf", "netcdf4"]
# Group -> dimensions of its series.
SERIES_DIMS = {
    "indicators": ("replicate", "year"),
    "events": ("replicate", "year"),
    "zones": ("replicate", "year", "zone"),
    "facilities": ("replicate", "year", "facility"),
    "scalars": ("replicate",),
    "synthesis": ("replicate", "marginal"),
}


def engine_available(engine):
    module = {"h5netcdf": "h5netcdf", "netcdf4": "netCDF4"}[engine]
    try:
        __import__(module)
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("group", list(SERIES_DIMS))
def test_every_group_opens_with_named_dims_and_coordinates(results_file, engine, group):
    if not engine_available(engine):
        pytest.skip(f"xarray engine {engine} is not installed (tools/install-deps.sh)")
    with xr.open_dataset(results_file, group=group, engine=engine) as ds, \
            h5py.File(results_file, "r") as f:
        years = f["years"][:]
        replicates = f["replicate"][:]
        assert list(ds["replicate"].values) == list(replicates)
        if "year" in SERIES_DIMS[group]:
            assert list(ds["year"].values) == list(years)
        assert ds.data_vars, f"/{group} has no series"
        for key, variable in ds.data_vars.items():
            if variable.dims[:1] != ("replicate",):
                continue  # a label that is not a coordinate (none today)
            assert variable.dims == SERIES_DIMS[group], f"/{group}/{key}"
            np.testing.assert_array_equal(variable.values, f[group][key][()])


@pytest.mark.parametrize("engine", ENGINES)
def test_zones_carry_keys_and_names_as_coordinates(results_file, engine):
    if not engine_available(engine):
        pytest.skip(f"xarray engine {engine} is not installed")
    with xr.open_dataset(results_file, group="zones", engine=engine) as zones, \
            h5py.File(results_file, "r") as f:
        keys = list(f["zones/zone_key"].asstr()[:])
        assert list(zones["zone"].values) == keys
        population = zones["population"]
        for name in ("zone_key", "zone_name_zh", "zone_name_en"):
            assert name in population.coords
        assert list(population.coords["zone_name_zh"].values) == list(
            f["zones/zone_name_zh"].asstr()[:])
        # Selection by label: a zone's 2025 mean equals the raw cell's mean.
        cell = float(population.sel(year=2025, zone=keys[0]).mean("replicate"))
        column = list(f["years"][:]).index(2025)
        assert cell == pytest.approx(float(f["zones/population"][:, column, 0].mean()), rel=1e-6)


def test_cf_attributes(results_file):
    with xr.open_dataset(results_file, group="indicators", engine="h5netcdf") as ds:
        population = ds["population"]
        assert population.attrs["units"] == "1"             # a count: dimensionless in UDUNITS
        assert population.attrs["unit"] == "persons"         # plansim's own unit stays
        assert population.attrs["long_name"] == "Resident population"
        rates = [v for v in ds.data_vars.values() if v.attrs.get("unit") == "%"]
        assert rates and all(v.attrs["units"] == "percent" for v in rates)
        per_thousand = [v for v in ds.data_vars.values() if v.attrs.get("unit") == "per 1000"]
        assert per_thousand and all(v.attrs["units"] == "1e-3" for v in per_thousand)
        # xarray moves _FillValue into the encoding when it decodes.
        assert math.isnan(population.encoding["_FillValue"])
    with h5py.File(results_file, "r") as f:
        assert f.attrs["Conventions"] == "CF-1.8"
        fill = f["zones/population"].attrs["_FillValue"]
        assert fill.dtype == np.float32 and np.isnan(fill)       # the variable's own type
        assert "_FillValue" not in f["events/births"].attrs      # integer counts have no gaps
        assert f["indicators/year"].attrs["CLASS"] == b"DIMENSION_SCALE"


def test_pandas_long_table(results_file):
    with xr.open_dataset(results_file, group="zones", engine="h5netcdf") as zones:
        table = zones[["population"]].to_dataframe()
    assert list(table.index.names) == ["replicate", "year", "zone"]
    assert "zone_name_zh" in table.columns
    by_zone = table["population"].groupby(level=["year", "zone"]).mean().unstack("zone")
    assert by_zone.index[0] == 2020 and by_zone.shape[1] == zones.sizes["zone"]
