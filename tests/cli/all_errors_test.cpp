// Command-line errors in one location scheme: the command line is the one line
// `plansim ARG ARG ...` and every error about it is at `<command line>:1:COL`, COL the character
// column of the offending text (docs/errors.md, Command line). Each class of usage error is
// checked with its exact column, exit status 2 and nothing written.
#include "../reliability/sandbox.h"

namespace plansim::testing {
namespace {

// Columns: `plansim ` takes 8, so the command word is at column 9. The words used below:
//   plansim run scenarios/baseline.yaml ...     run at 9, the scenario at 13, what follows at 37
//   plansim check scenarios/baseline.yaml ...   check at 9, the scenario at 15, then 39

TEST(CommandLineErrors, AValueErrorIsAtTheValue) {
  Sandbox box;
  expect_refused(box, "check scenarios/baseline.yaml --format xyz", 2,
                 {"<command line>:1:48: error: --format 'xyz': expected one of text, json\n",
                  "1 error; nothing was run or written"});
  expect_refused(box, "run scenarios/baseline.yaml --threads -3 -o out.h5", 2,
                 {"<command line>:1:47: error: --threads '-3': expected a whole number of threads "
                  "from 1 to 4096\n",
                  "1 error; nothing was run or written"});
  // --x=v: the column of v.
  expect_refused(box, "run scenarios/baseline.yaml --threads=0 -o out.h5", 2,
                 {"<command line>:1:47: error: --threads '0': expected a whole number"});
  // --seed, --scale and --replicates are checked with the scenario, at their value's column.
  expect_refused(box, "run scenarios/baseline.yaml --seed -1 --scale 0 -o out.h5", 2,
                 {"<command line>:1:44: error: run.seed: -1 is out of range (must be at least 0)\n",
                  "<command line>:1:55: error: run.scale: 0 is out of range", "2 errors;"});
  // A list option: each piece of the value at its own column.
  expect_refused(box, "compare a.h5 --years 1800,abc", 2,
                 {"<command line>:1:30: error: --years '1800': expected a year from 1900 to 2200\n",
                  "<command line>:1:35: error: --years 'abc': expected a year", "2 errors;"});
  // An empty value is at its (empty) word.
  expect_refused(box, "run scenarios/baseline.yaml -o ''", 2,
                 {"<command line>:1:40: error: -o: the output path is empty; give a file name\n",
                  "1 error; nothing was run or written"});
  expect_refused(box, "sweep sweeps/tfr.yaml --point 99 -o out", 2,
                 {"<command line>:1:39: error: --point 99: the sweep has "});
}

TEST(CommandLineErrors, AMissingValueIsAtTheOption) {
  Sandbox box;
  expect_refused(box, "run scenarios/baseline.yaml -o out.h5 --seed", 2,
                 {"<command line>:1:47: error: --seed: expects a value after it",
                  "1 error; nothing was run or written"});
  // Followed by another option: the option still has no value.
  expect_refused(box, "check scenarios/baseline.yaml --format --set run.end=2030", 2,
                 {"<command line>:1:39: error: --format: expects a value after it",
                  "1 error; nothing was run or written"});
}

TEST(CommandLineErrors, AnUnknownOptionIsAtItsColumn) {
  Sandbox box;
  expect_refused(box, "run scenarios/baseline.yaml --colour blue -o out.h5", 2,
                 {"<command line>:1:37: error: unknown option '--colour', with the value 'blue'",
                  "1 error; nothing was run or written"});
  expect_refused(box, "check scenarios/baseline.yaml --scael=2", 2,
                 {"<command line>:1:39: error: unknown option '--scael'"});
}

TEST(CommandLineErrors, AnUnexpectedArgumentIsAtItsColumn) {
  Sandbox box;
  expect_refused(box, "run scenarios/baseline.yaml extra.yaml -o out.h5", 2,
                 {"<command line>:1:37: error: unexpected argument 'extra.yaml'",
                  "1 error; nothing was run or written"});
  expect_refused(box, "inspect a.h5 b.h5", 2,
                 {"<command line>:1:22: error: unexpected argument 'b.h5'"});
}

TEST(CommandLineErrors, AnOptionGivenTwiceIsAtTheSecond) {
  Sandbox box;
  expect_refused(
      box, "run scenarios/baseline.yaml --threads 2 --threads 3 -o out.h5", 2,
      {"<command line>:1:49: error: --threads given twice (first at column 37); give it once\n",
       "1 error; nothing was run or written"});
  const CliResult r = expect_refused(box, "check scenarios/baseline.yaml -f json --format text", 2,
                                     {"<command line>:1:47: error: --format given twice (first at "
                                      "column 39, as -f); give it once"});
  EXPECT_EQ(r.err.find("At Most"), std::string::npos) << r.err;
}

TEST(CommandLineErrors, AMissingArgumentIsOnePastTheEnd) {
  Sandbox box;
  expect_refused(box, "run -o out.h5", 2,
                 {"<command line>:1:22: error: missing the scenario file: plansim run "
                  "SCENARIO.yaml [options]",
                  "1 error; nothing was run or written"});
  expect_refused(box, "", 2, {"<command line>:1:8: error: no command given; the commands are "});
  expect_refused(box, "reference", 2,
                 {"<command line>:1:18: error: missing the scenarios to describe"});
}

TEST(CommandLineErrors, ASetErrorIsAtItsPlaceInTheArgument) {
  Sandbox box;
  // The key's value starts at column 45 + "run.sede=".
  expect_refused(box, "check scenarios/baseline.yaml --set run.sede=3", 2,
                 {"<command line>:1:54: error: run.sede: unknown key 'sede' in 'run'",
                  "1 error; nothing was run or written"});
  // No '=': at the argument's first character.
  expect_refused(box, "check scenarios/baseline.yaml --set run.seed", 2,
                 {"<command line>:1:45: error: --set 'run.seed': expected key=value"});
  // --set=v and a second --set: each at its own argument.
  expect_refused(box, "check scenarios/baseline.yaml --set=run.end=1800 --set run.seed=x", 2,
                 {"<command line>:1:53: error: run.end: 1800 is out of range",
                  "<command line>:1:73: error: run.seed: expected an integer"});
}

TEST(CommandLineErrors, AreReportedSortedWithTheFilesErrors) {
  Sandbox box;
  box.write("scenarios/bad.yaml",
            "scenario: {name: bad, extends: baseline.yaml}\nrun:\n  colour: blue\n");
  // run 9, scenarios/bad.yaml 13, --threads 32 (its value 42), --seed 44 (-1 at 51), --bogus 54.
  const CliResult r = expect_refused(
      box, "run scenarios/bad.yaml --threads 0 --seed -1 --bogus -o out.h5", 2,
      {"<command line>:1:42: error: --threads '0'", "<command line>:1:51: error: run.seed: -1",
       "<command line>:1:54: error: unknown option '--bogus'",
       "scenarios/bad.yaml:3:3: error: run.colour: unknown key", "4 errors;"});
  EXPECT_LT(r.err.find(":1:42:"), r.err.find(":1:51:")) << r.err;
  EXPECT_LT(r.err.find(":1:51:"), r.err.find(":1:54:")) << r.err;
  EXPECT_LT(r.err.find(":1:54:"), r.err.find("scenarios/bad.yaml:3:3")) << r.err;
  // Every command-line error has a line and a column, in JSON too.
  const CliResult json = box.run("check scenarios/bad.yaml --format json --bogus");
  EXPECT_EQ(json.status, 2) << json.err;
  EXPECT_NE(json.out.find("\"line\": 1,\n      \"column\": 48,\n      \"text\": \"<command "
                          "line>:1:48: error: unknown option '--bogus'"),
            std::string::npos)
      << json.out;
}

}  // namespace
}  // namespace plansim::testing
