# The policy tests exercise the services' and the space module's interventions through the
# policy process.
target_link_libraries(policy_tests PRIVATE plansim_services plansim_space)
