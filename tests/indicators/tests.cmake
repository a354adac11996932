# The scorecard tests write and read results files (io/) and run `plansim compare` (cli/), so the
# indicators tests link the whole engine. One test edits /meta with HDF5's C API to make a file of
# another schema version.
if(TARGET indicators_tests)
  target_link_libraries(indicators_tests PRIVATE plansim::engine ${HDF5_C_LIBRARIES})
  target_include_directories(indicators_tests SYSTEM PRIVATE ${HDF5_INCLUDE_DIRS})
endif()
