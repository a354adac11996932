// Hostile and broken inputs: each ends with a clear error at its location, the documented exit
// status, and no file of the working folder created, changed or removed (docs/errors.md).
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

#include "sandbox.h"

namespace plansim::testing {
namespace {

const std::string kInputs = std::string(PLANSIM_SOURCE_DIR) + "/tests/reliability/inputs/";

/// Copies a file of tests/reliability/inputs/ into the sandbox.
void add_input(const Sandbox& box, const std::string& name, const std::string& to) {
  fs::copy_file(kInputs + name, box / to, fs::copy_options::overwrite_existing);
}

/// Removes the lines of `file` that start with `prefix`.
void drop_lines(const Sandbox& box, const std::string& file, const std::string& prefix) {
  std::istringstream in(box.read(file));
  std::string kept, line;
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) != 0) kept += line + "\n";
  box.write(file, kept);
}

TEST(HostileInput, CsvWithoutItsHeaderRow) {
  Sandbox box;
  drop_lines(box, "configs/zhongyuan/facilities_care_need.csv", "from_age,");
  for (const char* command :
       {"check scenarios/baseline.yaml", "run scenarios/baseline.yaml -q -o out.h5"})
    expect_refused(box, command, 2,
                   {"configs/zhongyuan/facilities_care_need.csv:13:1: error: "
                    "eldercare.care_need: the first row is numbers, not column names: the "
                    "header row (e.g. from_age,rate) is missing",
                    "1 error; nothing was run or written"});
}

TEST(HostileInput, YamlAliasBombIsRefusedQuickly) {
  Sandbox box;
  add_input(box, "alias_bomb.yaml", "scenarios/bomb.yaml");
  const auto start = std::chrono::steady_clock::now();
  expect_refused(box, "check scenarios/bomb.yaml", 2,
                 {"scenarios/bomb.yaml:",
                  "error: the document has more than 1000000 values once "
                  "its aliases (*name) are expanded"});
  // Generous bound: the point is "seconds, not a hang" (it takes ~2 s on a loaded machine).
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

TEST(HostileInput, DeeplyNestedYaml) {
  Sandbox box;
  box.write("scenarios/deep.yaml", "a: " + std::string(100000, '[') + std::string(100000, ']'));
  expect_refused(box, "check scenarios/deep.yaml", 2,
                 {"scenarios/deep.yaml:1:", "error: nested deeper than 64 levels"});
}

TEST(HostileInput, SpecialFilesAreRefused) {
  Sandbox box;
  expect_refused(box, "check /dev/zero", 2,
                 {"/dev/zero:1:1: error: cannot read '/dev/zero': not a regular file"});
  add_input(box, "dev_zero_csv.yaml", "scenarios/zero.yaml");
  expect_refused(box, "check scenarios/zero.yaml --data-root /dev", 2,
                 {"scenarios/zero.yaml:3:14: error: table: cannot read CSV file '/dev/zero': "
                  "not a regular file"});
  ASSERT_EQ(mkfifo((box / "scenarios/fifo.yaml").c_str(), 0600), 0);
  expect_refused(box, "check scenarios/fifo.yaml", 2,
                 {"scenarios/fifo.yaml:1:1: error: cannot read 'scenarios/fifo.yaml': not a "
                  "regular file"});
}

TEST(HostileInput, OversizedFilesAreRefused) {
  Sandbox box;
  box.write("scenarios/big.yaml", "a: [" + std::string((1 << 20), '0') + "]\n");
  expect_refused(box, "check scenarios/big.yaml", 2,
                 {"scenarios/big.yaml:1:1: error: cannot read 'scenarios/big.yaml': larger than "
                  "the limit of 1 MiB"});
}

TEST(HostileInput, CsvCellLimit) {
  Sandbox box;
  std::string table = "a,b\n";
  for (int i = 0; i < 500001; ++i) table += "1,2\n";
  box.write("configs/zhongyuan/economy_zones.csv", table);
  expect_refused(box, "check scenarios/baseline.yaml", 2,
                 {"configs/zhongyuan/economy_zones.csv:500001:1: error:",
                  "the table has more than 1000000 cells",
                  // refused whole: no error per row read before the limit
                  "\n1 error; nothing was run or written"});
}

TEST(HostileInput, SweepGridLimit) {
  Sandbox box;
  add_input(box, "huge_grid.yaml", "sweeps/huge.yaml");
  const auto start = std::chrono::steady_clock::now();
  expect_refused(box, "sweep sweeps/huge.yaml -q", 2,
                 {"sweeps/huge.yaml:5:5: error: sweep.grid: the grid has more than 1000 points"});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

TEST(HostileInput, ControlCharactersAndInvalidUtf8InLabels) {
  Sandbox box;
  add_input(box, "escape_name.yaml", "scenarios/escape.yaml");
  add_input(box, "invalid_utf8_name.yaml", "scenarios/latin1.yaml");
  const CliResult escape = expect_refused(
      box, "check scenarios/escape.yaml", 2,
      {"scenarios/escape.yaml:1:18: error: scenario.name: control character U+001B at "
       "character 1; text must be valid UTF-8 without control characters"});
  EXPECT_EQ(escape.err.find('\x1b'), std::string::npos) << "a raw escape reached the terminal";
  const CliResult latin1 =
      expect_refused(box, "check scenarios/latin1.yaml", 2,
                     {"scenarios/latin1.yaml:1:18: error: scenario.name: invalid UTF-8 (byte "
                      "0xe9 at character 4)"});
  EXPECT_EQ(latin1.err.find('\xe9'), std::string::npos) << "a raw invalid byte was printed";
  // The same through --set, and in a CSV label.
  expect_refused(box, "check scenarios/baseline.yaml --set 'scenario.name=\"\\e]0;owned\\a\"'", 2,
                 {"<command line>:1:59: error: scenario.name: control character U+001B"});
}

TEST(HostileInput, OutputThatIsAnInputEmptyOrAFolder) {
  Sandbox box;
  expect_refused(
      box, "run scenarios/baseline.yaml -q -o scenarios/baseline.yaml", 2,
      {"<command line>:1:43: error: -o 'scenarios/baseline.yaml': is an input of this run"});
  expect_refused(box, "run scenarios/baseline.yaml -q -o configs/zhongyuan/facilities_schools.csv",
                 2,
                 {"<command line>:1:43: error: -o 'configs/zhongyuan/facilities_schools.csv': is "
                  "an input of this run"});
  expect_refused(box, "run scenarios/baseline.yaml -q -o ''", 2,
                 {"<command line>:1:43: error: -o: the output path is empty"});
  expect_refused(box, "run scenarios/baseline.yaml -q -o configs", 2,
                 {"<command line>:1:43: error: -o 'configs': is a directory"});
  expect_refused(box, "sweep sweeps/tfr.yaml -q -o ''", 2,
                 {"<command line>:1:37: error: -o: the output folder is empty"});
  expect_refused(box, "sweep sweeps/tfr.yaml -q -o scenarios/baseline.yaml", 2,
                 {"-o 'scenarios/baseline.yaml': is a file, not a folder"});
  // Output errors come with the input errors, all at once.
  expect_refused(
      box, "run scenarios/baseline.yaml -q -o '' --set run.sede=1", 2,
      {"-o: the output path is empty", "<command line>:1:59: error: run.sede: unknown key",
       "2 errors; nothing was run or written"});
}

TEST(HostileInput, PartsOfAnInterruptedRunNeedResumeOrFresh) {
  Sandbox box;
  box.write("out.h5.parts/manifest", "a job\n");
  box.write("out.h5.parts/item-0-0.bin", "work");
  expect_refused(box, "run scenarios/baseline.yaml" + kQuick + " -o out.h5", 2,
                 {"<command line>:1:88: error: 'out.h5.parts/' holds the partial results of an "
                  "interrupted run of 'out.h5': continue it with --resume, or discard them with "
                  "--fresh"});
  expect_refused(box, "run scenarios/baseline.yaml" + kQuick + " -o out.h5 --resume --fresh", 2,
                 {"--resume and --fresh exclude each other"});
  const CliResult fresh = box.run("run scenarios/baseline.yaml" + kQuick + " -o out.h5 --fresh");
  EXPECT_EQ(fresh.status, 0) << fresh.err;
  EXPECT_TRUE(fs::exists(box / "out.h5"));
  EXPECT_FALSE(fs::exists(box / "out.h5.parts"));
}

TEST(HostileInput, SecondRunOnTheSameOutputFailsClearly) {
  Sandbox box;
  fs::create_directories(box / "out.h5.parts");
  const int fd = ::open((box / "out.h5.parts/lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);  // as a running plansim holds it
  expect_refused(box, "run scenarios/baseline.yaml" + kQuick + " -o out.h5 --resume", 2,
                 {"<command line>:1:88: error: another plansim run is writing 'out.h5' now"});
  ::close(fd);
  const CliResult after = box.run("run scenarios/baseline.yaml" + kQuick + " -o out.h5");
  EXPECT_EQ(after.status, 0) << after.err;
}

TEST(HostileInput, StaleTemporaryOfAKilledRunIsRemoved) {
  Sandbox box;
  // The pid of a process that has ended.
  const pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  int status = 0;
  waitpid(child, &status, 0);
  const std::string stale = "out.h5.tmp-" + std::to_string(child);
  box.write(stale, "half a file");
  box.write("out.h5.tmp-notapid", "not ours");
  const CliResult r = box.run("run scenarios/baseline.yaml" + kQuick + " -o out.h5");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(fs::exists(box / stale));
  EXPECT_TRUE(fs::exists(box / "out.h5.tmp-notapid"));
}

TEST(HostileInput, DiskFullWhileWritingResults) {
  Sandbox box;
  // A file size limit makes writes fail with EFBIG as a full disk fails them with ENOSPC
  // (`ulimit -f` of sh counts 512-byte blocks). The quick run keeps its replicate in
  // out.h5.parts/ (~37 KiB), then writes the results file once, the scorecard and the hindcast in
  // it (~760 KiB). Each limit fails one of these writes: the kept replicate, the results file near
  // its start, inside it and near its end (where the scorecard is). The first run simulates; each
  // --resume after it fails again at its own limit.
  struct Limit {
    int blocks;
    const char* message;
  };
  const Limit limits[] = {
      {40, "error: cannot write out.h5.parts/item-0-0.bin.tmp: File too large"},
      {200, "error: cannot write results file 'out.h5': cannot finish 'out.h5.tmp-"},
      {500, "error: cannot write results file 'out.h5': cannot finish 'out.h5.tmp-"},
      {1400, "error: cannot write results file 'out.h5': cannot finish 'out.h5.tmp-"},
  };
  std::string resume;
  for (const Limit& limit : limits) {
    SCOPED_TRACE("ulimit -f " + std::to_string(limit.blocks));
    const std::string full = "trap '' XFSZ; ulimit -f " + std::to_string(limit.blocks) + ";";
    const CliResult r =
        box.run("run scenarios/baseline.yaml" + kQuick + " -o out.h5" + resume, full);
    EXPECT_EQ(r.status, 1) << r.err;  // never a signal (139: SIGSEGV)
    EXPECT_NE(r.err.find(limit.message), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("File too large"), std::string::npos) << r.err;
    for (const auto& folder : {box.path(), box / "out.h5.parts"})
      for (const auto& entry : fs::directory_iterator(folder))
        EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos)
            << "temporary left: " << entry.path();
    EXPECT_TRUE(fs::is_directory(box / "out.h5.parts"));
    // Every failure, the kept replicate's too, ends by saying how to continue.
    EXPECT_NE(r.err.find("\n  the finished replicates are kept in out.h5.parts/: once the cause "
                         "is fixed (e.g. disk space), run the same command with --resume\n"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(fs::exists(box / "out.h5"));
    resume = " --resume";
  }
  // With space again, --resume finishes from the kept replicates.
  const CliResult resumed = box.run("run scenarios/baseline.yaml" + kQuick + " -o out.h5 --resume");
  EXPECT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_TRUE(fs::exists(box / "out.h5"));
}

}  // namespace
}  // namespace plansim::testing
