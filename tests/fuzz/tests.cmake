# Fuzz targets (tests/fuzz/README.md). Every build replays the seed corpus (the shipped configs)
# and every input that once crashed (tests/fuzz/regressions/<target>/) through each target, as
# ordinary tests; the fuzz preset (clang) also builds the libFuzzer programs that tools/fuzz.sh
# runs.
set(fuzz_targets yaml csv set results)
foreach(target ${fuzz_targets})
  add_executable(fuzz_replay_${target} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_${target}.cpp
                                      ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/replay_main.cpp)
  target_link_libraries(fuzz_replay_${target} PRIVATE plansim_io plansim_warnings)
  if(PLANSIM_BUILD_FUZZ)
    add_executable(fuzz_${target} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_${target}.cpp)
    target_link_libraries(fuzz_${target} PRIVATE plansim_io)
    target_link_options(fuzz_${target} PRIVATE -fsanitize=fuzzer)
  endif()
endforeach()

# Seeds: the shipped YAML and CSV files, the --set examples, and the regressions of each target.
set(seed_yaml ${CMAKE_SOURCE_DIR}/scenarios ${CMAKE_SOURCE_DIR}/sweeps ${CMAKE_SOURCE_DIR}/configs/zhongyuan)
add_test(NAME fuzz.replay_yaml
  COMMAND fuzz_replay_yaml ${seed_yaml} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/regressions/yaml)
add_test(NAME fuzz.replay_csv
  COMMAND fuzz_replay_csv ${CMAKE_SOURCE_DIR}/configs/zhongyuan
          ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/regressions/csv)
add_test(NAME fuzz.replay_set
  COMMAND fuzz_replay_set ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/seeds/set
          ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/regressions/set)
add_test(NAME fuzz.replay_results
  COMMAND fuzz_replay_results ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/regressions/results)
set_tests_properties(fuzz.replay_yaml fuzz.replay_csv fuzz.replay_set fuzz.replay_results
  PROPERTIES LABELS "fuzz" TIMEOUT 120)
