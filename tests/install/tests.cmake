# The installed CMake package: `cmake --install` into a temporary prefix, then a project outside
# the tree (tests/install/consumer) finds it with find_package(plansim), links plansim::engine,
# registers its own process and runs it (install_test.sh). ccache, where present, keeps the
# consumer's build to seconds.
# Not in sanitizer and fuzz builds: their libraries need the instrumentation's runtime, which a
# consumer built with plain flags does not link.
if(NOT PLANSIM_SANITIZE AND NOT PLANSIM_BUILD_FUZZ)
  add_test(NAME Install.ConsumerProjectBuildsAndRunsAgainstThePrefix
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/install_test.sh ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
  set_tests_properties(Install.ConsumerProjectBuildsAndRunsAgainstThePrefix PROPERTIES
    LABELS install TIMEOUT 180)
endif()
