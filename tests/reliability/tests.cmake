# The reliability tests damage results files with HDF5's C API, and build each hostile input in a
# copy of the shipped configs (tests/reliability/sandbox.h).
if(TARGET reliability_tests)
  target_link_libraries(reliability_tests PRIVATE ${HDF5_C_LIBRARIES})
  target_include_directories(reliability_tests SYSTEM PRIVATE ${HDF5_INCLUDE_DIRS})
endif()
