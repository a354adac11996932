# The Slurm recipe on localhost (tests/slurm/slurm_recipe.sh): a private slurmctld + slurmd, a
# 2-task srun --mpi=pmix job equal to a serial run, the refusal without --mpi, a 3-element job
# array. Skipped (exit 77) only where Slurm is not installed or cannot start.
add_test(NAME Slurm.Recipe
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/slurm_recipe.sh $<TARGET_FILE:plansim>)
set_tests_properties(Slurm.Recipe PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS slurm)
