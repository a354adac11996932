"""plansim.open (python/plansim): a results file as an xarray.Dataset with named dimensions,
year / replicate / zone coordinates and CF attributes, equal to what h5py reads."""
import h5py
import numpy as np
import pytest

import plansim


def test_indicators_have_named_dims_and_coordinates(results_file):
    ds = plansim.open(results_file)
    assert dict(ds.sizes) == {"replicate": 2, "year": 16}
    assert list(ds["year"].values) == list(range(2020, 2036))
    population = ds["population"]
    assert population.dims == ("replicate", "year")
    assert population.attrs["units"] == "1"  # UDUNITS: a count
    assert population.attrs["unit"] == "persons"
    assert population.attrs["long_name"] == "Resident population"
    assert population.attrs["label_zh"] == "常住人口"
    assert ds.attrs["scenario_name"] == "baseline"
    assert ds.attrs["seed"] == 3
    with h5py.File(results_file, "r") as f:
        np.testing.assert_array_equal(population.values, f["indicators/population"][:])
        assert set(ds.data_vars) == set(f["indicators"].keys()) - {"replicate", "year"}  # axes
    # Selection by label, not position.
    assert float(population.sel(year=2025, replicate=1)) == pytest.approx(
        float(population.values[1, 5]))


def test_zones_carry_their_keys_and_names(results_file):
    zones = plansim.open(results_file, group="zones")
    assert zones["population"].dims == ("replicate", "year", "zone")
    with h5py.File(results_file, "r") as f:
        keys = list(f["zones/zone_key"].asstr()[:])
        names = list(f["zones/zone_name_zh"].asstr()[:])
    assert list(zones["zone"].values) == keys
    assert list(zones["zone_name_zh"].values) == names
    by_zone = zones["population"].sel(year=2020).mean("replicate").to_series()
    assert list(by_zone.index) == keys
    # Zones add up to the district (float32 panels: a relative tolerance).
    district = plansim.open(results_file)["population"].sel(year=2020).mean("replicate")
    assert float(by_zone.sum()) == pytest.approx(float(district), rel=1e-5)


def test_other_groups(results_file):
    assert plansim.open(results_file, group="events")["births"].dtype.kind == "i"
    facilities = plansim.open(results_file, group="facilities")
    assert facilities["capacity"].dims == ("replicate", "year", "facility")
    assert facilities["facility_name"].dims == ("facility",)
    assert plansim.open(results_file, group="synthesis")["achieved"].dims == ("replicate",
                                                                               "marginal")
    assert "replicate" in plansim.open(results_file, group="scalars").dims
    with pytest.raises(ValueError, match="group must be one of"):
        plansim.open(results_file, group="zone")


def test_a_damaged_dataset_raises_naming_the_file_and_dataset(results_file, tmp_path):
    # Every numeric dataset carries HDF5's Fletcher32 checksum: 8 flipped bytes of a zone panel's
    # stored chunk make it fail to read instead of giving other numbers.
    damaged = tmp_path / "damaged.h5"
    with h5py.File(results_file, "r") as f:
        assert f["zones/population"].fletcher32
        offset = f["zones/population"].id.get_chunk_info(0).byte_offset
    data = bytearray(results_file.read_bytes())
    for i in range(offset, offset + 8):
        data[i] ^= 0xFF
    damaged.write_bytes(bytes(data))
    assert "population" in plansim.open(damaged)  # the indicators are intact
    with pytest.raises(plansim.DamagedFileError, match=r"damaged\.h5: cannot read "
                       r"'/zones/population': .*Fletcher32.*\(the file is damaged\)"):
        plansim.open(damaged, group="zones")
