// plansim calibrate's output, as safe as run's: -o is not an input, not empty, not a folder;
// the simulations of an interrupted calibration need --resume or --fresh; one calibration at a
// time writes an output. Each refusal: exit status 2, nothing created, changed or removed.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "sandbox.h"

namespace plansim::testing {
namespace {

class CalibrateOutput : public ::testing::Test {
 protected:
  Sandbox box;  // holds a copy of calibrations/ too
  const std::string calibrate = "calibrate calibrations/baseline.yaml -q";
};

TEST_F(CalibrateOutput, AnInputEmptyOrAFolderIsRefused) {
  expect_refused(
      box, calibrate + " -o scenarios/baseline.yaml", 2,
      {"<command line>:1:52: error: -o 'scenarios/baseline.yaml': is an input of this run"});
  expect_refused(
      box, calibrate + " -o configs/zhongyuan/observed.yaml", 2,
      {"<command line>:1:52: error: -o 'configs/zhongyuan/observed.yaml': is an input of "
       "this run"});
  expect_refused(box, calibrate + " -o ''", 2,
                 {"<command line>:1:52: error: -o: the output path is empty; give a file name"});
  expect_refused(box, calibrate + " -o configs", 2,
                 {"<command line>:1:52: error: -o 'configs': is a directory"});
}

TEST_F(CalibrateOutput, AnInterruptedCalibrationNeedsResumeOrFresh) {
  box.write("posterior.h5.parts/item-0-0.bin", "an interrupted calibration's simulation");
  expect_refused(
      box, calibrate + " -o posterior.h5", 2,
      {"<command line>:1:52: error: 'posterior.h5.parts/' holds the partial results of an "
       "interrupted run of 'posterior.h5': continue it with --resume, or discard them "
       "with --fresh"});
  expect_refused(box, calibrate + " -o posterior.h5 --resume --fresh", 2,
                 {"--resume and --fresh exclude each other"});
}

TEST_F(CalibrateOutput, ASecondCalibrationOnTheSameOutputFailsClearly) {
  fs::create_directories(box / "posterior.h5.parts");
  const int fd = ::open((box / "posterior.h5.parts/lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);  // as a running plansim holds it
  expect_refused(box, calibrate + " -o posterior.h5 --resume", 2,
                 {"<command line>:1:52: error: another plansim run is writing 'posterior.h5' now"});
  ::close(fd);
}

}  // namespace
}  // namespace plansim::testing
