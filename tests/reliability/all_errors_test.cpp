// All errors at once and nothing else: every error of every kind in one input is reported, each
// at its location, with no follow-up error that only repeats an earlier one (docs/errors.md).
#include "sandbox.h"

namespace plansim::testing {
namespace {

/// The number of "file:line:col: error:" lines in `err`.
std::size_t error_lines(const std::string& err) {
  std::size_t count = 0;
  for (std::size_t at = err.find(": error: "); at != std::string::npos;
       at = err.find(": error: ", at + 1))
    ++count;
  return count;
}

TEST(AllErrors, AnInvalidRunStartGivesNoFollowUpErrors) {
  Sandbox box;
  // A string where the year is: the one error, not "run.start is 0" from the population, the
  // economy and run.start_date, which compare with it.
  box.write("scenarios/text_start.yaml",
            "scenario: {name: text-start, extends: tod.yaml}\nrun:\n  start: \"2020\"\n");
  const CliResult start = expect_refused(
      box, "check scenarios/text_start.yaml", 2,
      {"scenarios/text_start.yaml:3:10: error: run.start: expected an integer, got '2020'",
       "1 error; nothing was run or written"});
  EXPECT_EQ(error_lines(start.err), 1u) << start.err;
  // run.end out of range or not a number: not also "0 is before run.start" nor a policy
  // intervention "after run.end (0)".
  for (const char* end : {"1", "x"}) {
    const CliResult r = expect_refused(
        box, std::string("check scenarios/tod.yaml --set run.end=") + end, 2,
        {"<command line>:1:48: error: run.end: ", "1 error; nothing was run or written"});
    EXPECT_EQ(error_lines(r.err), 1u) << r.err;
  }
}

TEST(AllErrors, KeyTypeAndDuplicateErrorsOfOneFileShowTogether) {
  Sandbox box;
  box.write("scenarios/three.yaml",
            "scenario: {name: three, extends: baseline.yaml}\n"
            "run:\n"
            "  end: 2025\n"
            "  end: 2030\n"
            "  colour: blue\n"
            "  replicates: many\n");
  const CliResult r =
      expect_refused(box, "check scenarios/three.yaml", 2,
                     {"scenarios/three.yaml:4:3: error: run.end: duplicate key 'end' (first set at "
                      "scenarios/three.yaml:3:3)",
                      "scenarios/three.yaml:5:3: error: run.colour: unknown key",
                      "scenarios/three.yaml:6:15: error: run.replicates: expected an integer",
                      "3 errors; nothing was run or written"});
  EXPECT_EQ(error_lines(r.err), 3u) << r.err;
}

TEST(AllErrors, ThreeBadRowsOfACsvTableGiveThreeErrors) {
  Sandbox box;
  const std::string table = "configs/zhongyuan/facilities_care_need.csv";
  std::string text = box.read(table);
  // Row 2 with a field too many, rows 3 and 4 with a rate that is not a number.
  std::istringstream in(text);
  std::string line, out;
  int row = 0;
  std::vector<int> bad_lines;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    const bool data =
        !line.empty() && line[0] != '#' && std::isdigit(static_cast<unsigned char>(line[0]));
    if (data) ++row;
    if (data && row == 2) line += ",7";
    if (data && (row == 3 || row == 4)) {
      const std::size_t first = line.find(',');
      line = line.substr(0, first + 1) + "lots" + line.substr(line.find(',', first + 1));
    }
    if (data && row >= 2 && row <= 4) bad_lines.push_back(line_number);
    out += line + "\n";
  }
  box.write(table, out);
  ASSERT_EQ(bad_lines.size(), 3u);
  const CliResult r = expect_refused(
      box, "check scenarios/baseline.yaml", 2,
      {table + ":" + std::to_string(bad_lines[0]) + ":",
       table + ":" + std::to_string(bad_lines[1]) + ":",
       table + ":" + std::to_string(bad_lines[2]) + ":", "3 errors; nothing was run or written"});
  EXPECT_EQ(error_lines(r.err), 3u) << r.err;
}

TEST(AllErrors, CommandLineErrorsShowWithTheScenarioErrors) {
  Sandbox box;
  box.write("scenarios/bad.yaml",
            "scenario: {name: bad, extends: baseline.yaml}\nrun:\n  colour: blue\n");
  const CliResult r = expect_refused(
      box, "run scenarios/bad.yaml -q --scale 0 --replicates 0 --seed -1 --threads 0 -o out.h5", 2,
      {"<command line>:1:80: error: --threads '0': expected a whole number of threads from 1 to "
       "4096",
       "<command line>:1:58: error: run.replicates: 0 is out of range (must be [1, 100000])",
       "<command line>:1:67: error: run.seed: -1 is out of range (must be at least 0)",
       "<command line>:1:43: error: run.scale: 0 is out of range (must be [1e-06, 10000])",
       "scenarios/bad.yaml:3:3: error: run.colour: unknown key",
       "5 errors; nothing was run or written"});
  EXPECT_EQ(error_lines(r.err), 5u) << r.err;
  // A seed beyond 64-bit integers is out of range, quoted as typed.
  expect_refused(box, "run scenarios/baseline.yaml -q --seed 9223372036854775808 -o out.h5", 2,
                 {"<command line>:1:47: error: run.seed: 9223372036854775808 is out of range "
                  "(must be [0, 9223372036854775807])",
                  "1 error; nothing was run or written"});
  // An unknown option has the same form and status, at its column.
  expect_refused(box, "run scenarios/baseline.yaml --colour blue", 2,
                 {"<command line>:1:37: error: unknown option '--colour'",
                  "1 error; nothing was run or written"});
}

TEST(AllErrors, EveryUsageErrorShowsWithTheFilesErrors) {
  Sandbox box;
  box.write("scenarios/bad.yaml",
            "scenario: {name: bad, extends: baseline.yaml}\nrun:\n  colour: blue\n");
  // Unknown options (one misspelt, with its value), an extra argument, an option without its
  // value, a bad --threads and a bad override: each reported, with the scenario's error.
  const CliResult run = expect_refused(
      box, "run scenarios/bad.yaml --colour blue --scael 2 extra.yaml --threads x -o out.h5 --seed",
      2,
      {"scenarios/bad.yaml:3:3: error: run.colour: unknown key",
       "<command line>:1:32: error: unknown option '--colour', with the value 'blue'",
       "<command line>:1:46: error: unknown option '--scael' (did you mean '--scale'?), with the "
       "value '2'",
       "<command line>:1:56: error: unexpected argument 'extra.yaml'",
       "<command line>:1:77: error: --threads 'x': expected a whole number of threads from 1 to "
       "4096",
       "<command line>:1:89: error: --seed: expects a value after it",
       "6 errors; nothing was run or written"});
  EXPECT_EQ(error_lines(run.err), 6u) << run.err;
  // check: a bad --format and an unknown option with the scenario's errors, in text and JSON.
  const CliResult check =
      expect_refused(box, "check scenarios/bad.yaml --format xml --bogus", 2,
                     {"<command line>:1:43: error: --format 'xml': expected one of text, json",
                      "<command line>:1:47: error: unknown option '--bogus'",
                      "scenarios/bad.yaml:3:3: error:", "3 errors; nothing was run or written"});
  EXPECT_EQ(error_lines(check.err), 3u) << check.err;
  const CliResult json =
      expect_refused(box, "check scenarios/bad.yaml --format json --bogus", 2, {});
  EXPECT_NE(json.out.find("unknown option '--bogus'"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("run.colour: unknown key"), std::string::npos) << json.out;
  // A sweep: the command line's errors and the sweep point's.
  box.write("sweeps/bad.yaml",
            "sweep:\n  scenario: ../scenarios/baseline.yaml\n  grid:\n    run.scale: [0]\n");
  expect_refused(box, "sweep sweeps/bad.yaml --point x --threads 0 --colour -o out", 2,
                 {"sweeps/bad.yaml:4:17: error: sweep point 0: run.scale: 0 is out of range",
                  "<command line>:1:39: error: --point 'x': expected a point number",
                  "<command line>:1:51: error: --threads '0'",
                  "<command line>:1:53: error: unknown option '--colour'",
                  "4 errors; nothing was run or written"});
  // Commands without input files report every usage error too.
  const CliResult compare = expect_refused(
      box, "compare --years 1800,abc --view wide --format x", 2,
      {"<command line>:1:56: error: missing the results files: plansim compare A.h5",
       "<command line>:1:55: error: --format 'x': expected one of table, csv, markdown, json",
       "<command line>:1:41: error: --view 'wide': expected one of auto, full, summary",
       "<command line>:1:25: error: --years '1800': expected a year from 1900 to 2200",
       "<command line>:1:30: error: --years 'abc'", "5 errors; nothing was run or written"});
  EXPECT_EQ(error_lines(compare.err), 5u) << compare.err;
}

TEST(AllErrors, EveryErrorOfAPolicyBlockShows) {
  Sandbox box;
  // An upzone over a range of years, on a line that does not exist, with a negative radius and a
  // capacity that is not a change: four errors in one block, none hiding another.
  box.write("scenarios/policy4.yaml",
            "scenario: {name: policy4, extends: baseline.yaml}\n"
            "policy:\n"
            "  interventions:\n"
            "    - {years: 2021-2023, upzone: {line: \"99\", radius_m: -1, "
            "residential_capacity: lots}}\n");
  const CliResult r = expect_refused(
      box, "check scenarios/policy4.yaml", 2,
      {"scenarios/policy4.yaml:4:15: error: policy.interventions[0]: upzone happens once",
       "scenarios/policy4.yaml:4:41: error: policy.interventions[0].upzone.line: unknown metro "
       "line '99'",
       "scenarios/policy4.yaml:4:57: error: policy.interventions[0].upzone.radius_m: -1 is out of "
       "range",
       "scenarios/policy4.yaml:4:83: error: policy.interventions[0].upzone.residential_capacity: "
       "expected a change like",
       "4 errors; nothing was run or written"});
  EXPECT_EQ(error_lines(r.err), 4u) << r.err;
}

TEST(AllErrors, SweepPointErrorsAreLocatedInTheSweepFile) {
  Sandbox box;
  box.write("sweeps/bad.yaml",
            "sweep:\n"
            "  scenario: ../scenarios/baseline.yaml\n"
            "  set: {run.end: 2021}\n"
            "  grid:\n"
            "    run.scale: [0.01, 0]\n"
            "  points:\n"
            "    - {run.seed: -4}\n");
  const CliResult r =
      expect_refused(box, "sweep sweeps/bad.yaml -q -o out", 2,
                     {"sweeps/bad.yaml:5:23: error: sweep point 1: run.scale: 0 is out of range",
                      "sweeps/bad.yaml:7:18: error: sweep point 2: run.seed: -4 is out of range"});
  EXPECT_EQ(r.err.find("<command line>"), std::string::npos) << r.err;
}

TEST(AllErrors, AnUnknownCommandIsLocatedAndNamesTheCommands) {
  Sandbox box;
  // Columns count characters in `plansim ARG ...`: the first argument is at column 9.
  const CliResult misspelt =
      expect_refused(box, "runn scenarios/baseline.yaml -o out.h5", 2,
                     {"<command line>:1:9: error: unknown command 'runn'; did you mean 'run'?\n",
                      "1 error; nothing was run or written"});
  EXPECT_EQ(error_lines(misspelt.err), 1u) << misspelt.err;
  expect_refused(box, "xyzzy -o out.h5", 2,
                 {"<command line>:1:9: error: unknown command 'xyzzy'; the commands are run, "
                  "check, sweep, compare, report, inspect, calibrate, sensitivity, processes, "
                  "init-city, reference\n",
                  "1 error; nothing was run or written"});
  const CliResult none = expect_refused(
      box, "", 2,
      {"<command line>:1:8: error: no command given; the commands are run, check, sweep, compare, "
       "report, inspect, calibrate, sensitivity, processes, init-city, reference (plansim --help)",
       "1 error; nothing was run or written"});
  EXPECT_EQ(error_lines(none.err), 1u) << none.err;
  // Options only: each before the command, located, and the missing command.
  const CliResult options = expect_refused(
      box, "--bogus -o", 2,
      {"<command line>:1:9: error: unknown option '--bogus' before the command (plansim --help)",
       "<command line>:1:17: error: unknown option '-o' before the command",
       "<command line>:1:19: error: no command given; the commands are run,",
       "3 errors; nothing was run or written"});
  EXPECT_EQ(error_lines(options.err), 3u) << options.err;
  expect_refused(box, "--bogus runn", 2,
                 {"<command line>:1:9: error: unknown option '--bogus' before the command",
                  "<command line>:1:17: error: unknown command 'runn'; did you mean 'run'?",
                  "2 errors; nothing was run or written"});
  // Characters, not bytes: the two-byte 'é' takes one column.
  expect_refused(box, "--bé chekc", 2,
                 {"<command line>:1:14: error: unknown command 'chekc'; did you mean 'check'?"});
}

}  // namespace
}  // namespace plansim::testing
