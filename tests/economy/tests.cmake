# The economy tests read the city's real economy.yaml (and variants of it) through the YAML/CSV
# loader, so they link io as well, and uncertainty to hold its uncertain parameters at their medians.
target_link_libraries(economy_tests PRIVATE plansim_io plansim_uncertainty)
