# The policy tests exercise the services' interventions through the policy process.
target_link_libraries(policy_tests PRIVATE plansim_services)
