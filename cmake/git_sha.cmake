# Writes the source revision plansim is built from into a small generated source file, at every
# build (cmake -P; see engine/CMakeLists.txt), so that --version and /meta/git_sha name the commit
# actually built, not the one of the last configure. `-dirty` marks tracked files changed since
# that commit. configure_file rewrites the file only when its text changes, so a build without a
# new commit recompiles nothing.
#   cmake -DSOURCE_DIR=<repo> -DTEMPLATE=<git_sha.cpp.in> -DOUTPUT=<git_sha.cpp> -P git_sha.cmake
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
  OUTPUT_VARIABLE PLANSIM_GIT_SHA OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE status)
if(NOT status EQUAL 0 OR NOT PLANSIM_GIT_SHA)
  set(PLANSIM_GIT_SHA "unknown")
else()
  execute_process(COMMAND git diff --quiet HEAD -- WORKING_DIRECTORY ${SOURCE_DIR}
    RESULT_VARIABLE dirty ERROR_QUIET)
  if(dirty EQUAL 1)
    string(APPEND PLANSIM_GIT_SHA "-dirty")
  endif()
endif()
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
