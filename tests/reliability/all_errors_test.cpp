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
        {"<command line>:1:9: error: run.end: ", "1 error; nothing was run or written"});
    EXPECT_EQ(error_lines(r.err), 1u) << r.err;
  }
}

}  // namespace
}  // namespace plansim::testing
