// A scenario loaded as `plansim run --set uncertainty.parameters=central` configures it, for the
// tests and benchmarks that configure a Simulation themselves: every uncertain parameter of the
// scenario and its city config at its median and no posterior particle (the scenario's own
// values: the calibrated baseline's point estimates), so that a test of a lever or a status sees
// the shipped central assumptions (docs/uncertainty.md). Blocks of processes the test's
// --set processes=… leaves out are set aside, as the run command does.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/params.h"
#include "core/process.h"
#include "io/scenario_loader.h"
#include "uncertainty/parameter_space.h"

namespace plansim {

struct CentralScenario {
  LoadedScenario loaded;  // as read: the realised trees point back at it
  ParamNode scenario, city;
};

inline std::unique_ptr<CentralScenario> load_central(const std::string& path,
                                                     const std::vector<std::string>& sets,
                                                     const Registry& registry, Diagnostics& diags) {
  auto c = std::make_unique<CentralScenario>();
  c->loaded = load_scenario(path, sets, diags);
  if (!diags.empty()) return c;
  set_aside_unrun_processes(c->loaded, registry.names(), diags);
  const ParameterSpace space = ParameterSpace::find(c->loaded.scenario, c->loaded.city, 0, diags);
  c->scenario = space.realise(c->loaded.scenario, space.central());
  c->city = space.realise(c->loaded.city, space.central());
  return c;
}

}  // namespace plansim
