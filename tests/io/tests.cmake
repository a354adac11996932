# The results-file tests inspect object headers (timestamps) with HDF5's C API.
if(TARGET io_tests)
  target_link_libraries(io_tests PRIVATE ${HDF5_C_LIBRARIES})
  target_include_directories(io_tests SYSTEM PRIVATE ${HDF5_INCLUDE_DIRS})
endif()
