// Integrity of what plansim persists: every damaged work item is recomputed, never merged, and a
// results file whose datasets contradict its axes is refused by every reader.
#include <hdf5.h>

#include "io/hdf5_reader.h"
#include "sandbox.h"

namespace plansim::testing {
namespace {

/// Every series of a results file (indicators, events, zones, facilities, scalars), as text.
std::string series_content(const fs::path& file) {
  const ResultsFile results(file.string());
  std::ostringstream out;
  out.precision(17);
  for (const std::string& key : results.keys("indicators"))
    for (double v : results.indicator(key).values) out << key << ' ' << v << '\n';
  for (const std::string& key : results.keys("events"))
    for (double v : results.events(key).values) out << key << ' ' << v << '\n';
  for (const std::string& key : results.keys("zones")) {
    std::size_t r = 0, y = 0, z = 0;
    for (float v : results.zones(key, r, y, z)) out << key << ' ' << v << '\n';
  }
  for (const std::string& key : results.keys("facilities")) {
    std::size_t r = 0, y = 0, f = 0;
    for (float v : results.facilities(key, r, y, f)) out << key << ' ' << v << '\n';
  }
  for (const std::string& key : results.keys("scalars"))
    for (double v : results.scalar(key)) out << key << ' ' << v << '\n';
  return out.str();
}

const std::string kRun =
    "run scenarios/baseline.yaml --scale 0.02 --set run.end=2021 "
    "--replicates 3 -q --no-summary";

/// A run stopped after two of its three replicates, as a kill would stop it.
void interrupted_run(const Sandbox& box, const std::string& output) {
  const CliResult killed = box.run(kRun + " -o " + output, "PLANSIM_TEST_KILL_AFTER_ITEMS=2");
  ASSERT_EQ(killed.status, 3) << killed.err;
  ASSERT_TRUE(fs::exists(box / (output + ".parts/item-0-0.bin")));
  ASSERT_TRUE(fs::exists(box / (output + ".parts/item-0-1.bin")));
}

TEST(Integrity, EveryDamagedWorkItemIsRecomputed) {
  Sandbox box;
  const CliResult whole = box.run(kRun + " -o whole.h5");
  ASSERT_EQ(whole.status, 0) << whole.err;
  const std::string expected = series_content(box / "whole.h5");

  struct Damage {
    const char* name;
    std::function<void(const fs::path& parts)> apply;
  };
  const std::vector<Damage> damages = {
      {"truncated",
       [](const fs::path& parts) {
         fs::resize_file(parts / "item-0-1.bin", fs::file_size(parts / "item-0-1.bin") / 2);
       }},
      {"one bit flipped in the content",
       [](const fs::path& parts) {
         std::string bytes = slurp(parts / "item-0-1.bin");
         bytes[bytes.size() * 3 / 4] ^= 0x10;
         std::ofstream(parts / "item-0-1.bin", std::ios::binary) << bytes;
       }},
      {"one bit flipped in the header",
       [](const fs::path& parts) {
         std::string bytes = slurp(parts / "item-0-0.bin");
         bytes[20] ^= 0x01;
         std::ofstream(parts / "item-0-0.bin", std::ios::binary) << bytes;
       }},
      {"two items swapped",
       [](const fs::path& parts) {
         fs::rename(parts / "item-0-0.bin", parts / "swap");
         fs::rename(parts / "item-0-1.bin", parts / "item-0-0.bin");
         fs::rename(parts / "swap", parts / "item-0-1.bin");
       }},
      {"emptied", [](const fs::path& parts) { fs::resize_file(parts / "item-0-0.bin", 0); }},
  };
  for (const Damage& damage : damages) {
    SCOPED_TRACE(damage.name);
    const std::string output = "resumed.h5";
    fs::remove(box / output);
    interrupted_run(box, output);
    damage.apply(box / (output + ".parts"));
    const CliResult resumed = box.run(kRun + " -o " + output + " --resume");
    ASSERT_EQ(resumed.status, 0) << resumed.err;
    EXPECT_NE(resumed.err.find("; recomputing point 0, replicate"), std::string::npos)
        << resumed.err;
    EXPECT_EQ(series_content(box / output), expected);
    EXPECT_FALSE(fs::exists(box / (output + ".parts")));
  }
}

TEST(Integrity, StaleItemTemporariesAreRemovedOnResume) {
  Sandbox box;
  interrupted_run(box, "out.h5");
  box.write("out.h5.parts/item-0-2.bin.tmp", "half an item");
  const CliResult resumed = box.run(kRun + " -o out.h5 --resume");
  EXPECT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_FALSE(fs::exists(box / "out.h5.parts"));
}

/// Replaces /years of `file` by `count` years from 2020: every series then contradicts it.
void replace_years(const fs::path& file, hsize_t count) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  H5Ldelete(f, "/years", H5P_DEFAULT);
  const hid_t space = H5Screate_simple(1, &count, nullptr);
  const hid_t d =
      H5Dcreate2(f, "/years", H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  std::vector<int> years(count);
  for (hsize_t i = 0; i < count; ++i) years[i] = 2020 + static_cast<int>(i);
  H5Dwrite(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, years.data());
  H5Dclose(d);
  H5Sclose(space);
  H5Fclose(f);
}

TEST(Integrity, ReadersRefuseShapesThatContradictTheAxes) {
  Sandbox box;
  const CliResult made = box.run(kRun + " -o good.h5");
  ASSERT_EQ(made.status, 0) << made.err;
  fs::copy_file(box / "good.h5", box / "bad.h5");
  replace_years(box / "bad.h5", 5);
  const std::string key = ResultsFile((box / "good.h5").string()).keys("indicators").front();
  const std::string message = "bad.h5: '/indicators/" + key +
                              "' is 3 × 2, but the file's axes make it 3 × 5 (the file is "
                              "damaged or was not written by plansim)";
  const CliResult compare = expect_refused(box, "compare good.h5 bad.h5", 1, {message});
  EXPECT_EQ(compare.err.find("terminate"), std::string::npos);
  expect_refused(box, "inspect bad.h5", 1, {message});
}

/// Flips 8 bytes of the stored data of chunk `chunk` of `dataset` in `file`, where HDF5 put them.
void damage_chunk(const fs::path& file, const std::string& dataset, hsize_t chunk) {
  haddr_t address = 0;
  hsize_t size = 0;
  {
    const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t d = H5Dopen2(f, dataset.c_str(), H5P_DEFAULT);
    const hid_t space = H5Dget_space(d);
    unsigned filters = 0;
    const herr_t found = H5Dget_chunk_info(d, space, chunk, nullptr, &filters, &address, &size);
    H5Sclose(space);
    H5Dclose(d);
    H5Fclose(f);
    ASSERT_GE(found, 0) << dataset;
  }
  ASSERT_GE(size, 8u);
  std::string bytes = slurp(file);
  for (std::size_t i = 0; i < 8; ++i) bytes[address + i] ^= static_cast<char>(0xFF);
  std::ofstream(file, std::ios::binary) << bytes;
}

TEST(Integrity, EveryDatasetCarriesAChecksumThatEveryReaderVerifies) {
  Sandbox box;
  const CliResult made = box.run(kRun + " -o good.h5");
  ASSERT_EQ(made.status, 0) << made.err;
  // Every numeric dataset is chunked with the Fletcher32 filter.
  {
    const ResultsFile results((box / "good.h5").string());
    for (const char* group : {"indicators", "events", "zones", "facilities", "scalars"})
      for (const std::string& key : results.keys(group)) {
        const hid_t f = H5Fopen((box / "good.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
        const hid_t d = H5Dopen2(f, ("/" + std::string(group) + "/" + key).c_str(), H5P_DEFAULT);
        const hid_t plist = H5Dget_create_plist(d);
        EXPECT_GT(H5Pget_filter_by_id2(plist, H5Z_FILTER_FLETCHER32, nullptr, nullptr, nullptr, 0,
                                       nullptr, nullptr),
                  -1)
            << group << "/" << key;
        H5Pclose(plist);
        H5Dclose(d);
        H5Fclose(f);
      }
  }
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  // A damaged chunk of a series that `inspect` only lists (zones), of one it reads (indicators),
  // of a facility panel and of a scalar: each reader refuses the file, with exit status 1, naming
  // the dataset, and writes nothing.
  for (const auto& [dataset, chunk] : std::vector<std::pair<std::string, hsize_t>>{
           {"/zones/population", 0},
           {"/indicators/population", 1},
           {"/facilities/occupancy", 2},
           {"/scalars/calibrated_life_expectancy_female", 0}}) {
    SCOPED_TRACE(dataset);
    fs::copy_file(box / "good.h5", box / "bad.h5", fs::copy_options::overwrite_existing);
    damage_chunk(box / "bad.h5", dataset, chunk);
    if (HasFatalFailure()) return;
    const std::string message = "error: bad.h5: cannot read '" + dataset +
                                "': data error detected by Fletcher32 checksum (the file is "
                                "damaged)";
    expect_refused(box, "inspect bad.h5", 1, {message});
    expect_refused(box, "inspect bad.h5 --format json", 1, {message});
    expect_refused(box, "compare good.h5 bad.h5", 1, {message});
    expect_refused(box, "report bad.h5 -o report.html", 1, {message});
  }
}

}  // namespace
}  // namespace plansim::testing
