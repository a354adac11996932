// Files named by YAML (extends, {csv: …}) lie below the scenario's folder
// or the city's, or below a --data-root: nothing else of the machine is read, or quoted in an
// error (docs/input-limits.md, Data roots).
#include <unistd.h>

#include "sandbox.h"

namespace plansim::testing {
namespace {

const std::string kInputs = std::string(PLANSIM_SOURCE_DIR) + "/tests/reliability/inputs/";

TEST(DataRoot, TablesOutsideTheScenarioAndCityFoldersAreRefused) {
  Sandbox box;
  fs::copy_file(kInputs + "etc_passwd_csv.yaml", box / "scenarios/passwd.yaml");
  const CliResult r =
      expect_refused(box, "check scenarios/passwd.yaml", 2,
                     {"scenarios/passwd.yaml:3:14: error: table: '/etc/passwd' lies outside the "
                      "folders this scenario may read (",
                      "give --data-root DIR to allow the folder that holds it",
                      "1 error; nothing was run or written"});
  EXPECT_EQ(r.err.find("root:"), std::string::npos) << "the file was read:\n" << r.err;
  // The same through `..` and through a symbolic link inside the scenario's folder.
  box.write("scenarios/dots.yaml",
            "scenario: {name: dots, extends: baseline.yaml}\n"
            "table: {csv: ../../../../../../../../../../etc/passwd}\n");
  expect_refused(box, "check scenarios/dots.yaml", 2,
                 {"scenarios/dots.yaml:2:14: error: table: ", "lies outside the folders"});
  ASSERT_EQ(::symlink("/etc/passwd", (box / "scenarios/link.csv").c_str()), 0);
  box.write("scenarios/link.yaml",
            "scenario: {name: link, extends: baseline.yaml}\ntable: {csv: link.csv}\n");
  expect_refused(box, "check scenarios/link.yaml", 2,
                 {"scenarios/link.yaml:2:14: error: table: ", "lies outside the folders"});
}

TEST(DataRoot, ExtendsOutsideIsRefused) {
  Sandbox box;
  box.write("scenarios/up.yaml", "scenario: {name: up, extends: /etc/passwd}\n");
  const CliResult up = expect_refused(
      box, "check scenarios/up.yaml", 2,
      {"scenarios/up.yaml:1:31: error: scenario.extends: '/etc/passwd' lies outside the folders",
       "1 error; nothing was run or written"});
  EXPECT_EQ(up.err.find("root:"), std::string::npos) << up.err;
}

TEST(DataRoot, DataRootWidensThePolicy) {
  Sandbox box;
  // A city table kept in a shared folder beside the city's.
  fs::create_directories(box / "shared");
  fs::copy_file(box / "configs/zhongyuan/facilities_care_need.csv", box / "shared/care_need.csv");
  std::string facilities = box.read("configs/zhongyuan/facilities.yaml");
  const std::string from = "care_need: {csv: facilities_care_need.csv}";
  ASSERT_NE(facilities.find(from), std::string::npos);
  facilities.replace(facilities.find(from), from.size(),
                     "care_need: {csv: ../../shared/care_need.csv}");
  box.write("configs/zhongyuan/facilities.yaml", facilities);
  expect_refused(box, "check scenarios/baseline.yaml", 2,
                 {"configs/zhongyuan/facilities.yaml:", "lies outside the folders"});
  const CliResult ok = box.run("check scenarios/baseline.yaml --data-root shared");
  EXPECT_EQ(ok.status, 0) << ok.err;
  // A --data-root that is not a folder is a command-line error, with the others.
  expect_refused(box, "check scenarios/baseline.yaml --data-root nowhere --bogus", 2,
                 {"<command line>:1:51: error: --data-root 'nowhere': not a folder",
                  "<command line>:1:59: error: unknown option '--bogus'",
                  "configs/zhongyuan/facilities.yaml:", "3 errors; nothing was run or written"});
}

}  // namespace
}  // namespace plansim::testing
