# The parameter-space tests build their trees from YAML text (io's parser).
target_link_libraries(uncertainty_tests PRIVATE plansim_io)
