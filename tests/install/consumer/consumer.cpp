// Registers a process of its own ("savings": a deposit growing at a configured rate, plus a
// coin per saver drawn from plansim's random streams), runs two replicates of a scenario that
// uses it, and checks the known answers. Exit status 0 when everything holds.
#include <plansim/cli/register_builtin.h>
#include <plansim/core/process.h>
#include <plansim/core/simulation.h>
#include <plansim/core/version.h>
#include <plansim/io/yaml_loader.h>

#include <cmath>
#include <cstdio>
#include <memory>

namespace {

class SavingsProcess final : public plansim::Process {
 public:
  void configure(plansim::ConfigureContext& ctx) override {
    rate_ = ctx.params.number("rate", 0.05, ctx.diags, 0.0, 1.0);
    savers_ = static_cast<std::uint64_t>(ctx.params.integer("savers", 1000, ctx.diags, 1));
    ctx.catalog.declare({plansim::SeriesKind::Indicator, "deposit", "元", "存款", "Deposit",
                         "one yuan deposited at the start, compounded yearly at `rate`"});
    ctx.catalog.declare({plansim::SeriesKind::Indicator, "lucky_share", "%", "幸运比例",
                         "Lucky savers", "savers whose coin came up heads this year × 100"});
  }
  void initialize(plansim::StepContext&) override { deposit_ = 1.0; }
  void step(plansim::StepContext& ctx) override {
    ctx.out.indicator("deposit", deposit_);
    deposit_ *= 1.0 + rate_;
    std::uint64_t heads = 0;
    for (std::uint64_t saver = 0; saver < savers_; ++saver)
      heads += ctx.stream(saver).bernoulli(0.5);
    ctx.out.indicator("lucky_share", 100.0 * static_cast<double>(heads) / savers_);
  }

 private:
  double rate_ = 0, deposit_ = 1;
  std::uint64_t savers_ = 0;
};

int failures = 0;
void expect(bool ok, const char* what) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what);
  if (!ok) ++failures;
}

}  // namespace

int main() {
  std::printf("plansim %s (schema %d)\n", plansim::kEngineVersion, plansim::kSchemaVersion);
  plansim::Registry registry;
  plansim::register_builtin_processes(registry);  // the engine's own processes stay available
  registry.add("savings", 900, "a deposit and a coin per saver",
               [] { return std::make_unique<SavingsProcess>(); });
  expect(registry.find("demography") != nullptr && registry.find("savings") != nullptr,
         "the registry holds the built-in processes and the consumer's");

  plansim::Diagnostics diags;
  const plansim::ParamNode scenario = plansim::parse_yaml(
      "run: {start: 2020, end: 2030, replicates: 2, seed: 11}\n"
      "processes: [savings]\n"
      "savings: {rate: 0.1, savers: 4000}\n",
      "consumer.yaml", diags);
  const plansim::ParamNode city(plansim::ParamNode::Kind::Map, plansim::SourceLoc{}, "");
  const plansim::Simulation simulation =
      plansim::Simulation::configure(scenario, city, registry, diags);
  expect(diags.empty(), "the scenario configures without errors");
  if (!diags.empty()) {
    std::fputs(diags.format().c_str(), stderr);
    return 1;
  }
  const plansim::ReplicateResults first = simulation.run_replicate(0);
  const plansim::ReplicateResults again = simulation.run_replicate(0);
  const plansim::ReplicateResults second = simulation.run_replicate(1);
  const auto& deposit = first.indicators.at("deposit");
  expect(first.years.size() == 11 && first.years.front() == 2020, "11 years, 2020-2030");
  expect(std::abs(deposit.back() - std::pow(1.1, 10)) < 1e-12, "deposit 2030 = 1.1^10");
  const auto& lucky = first.indicators.at("lucky_share");
  bool near_half = true;
  for (double share : lucky) near_half = near_half && std::abs(share - 50.0) < 4.0;  // > 5 sd
  expect(near_half, "lucky share near 50% every year");
  expect(lucky == again.indicators.at("lucky_share"), "a replicate repeats bit for bit");
  expect(lucky != second.indicators.at("lucky_share"), "another replicate draws differently");

  // A mistake in the consumer's block is located like every other input error.
  plansim::Diagnostics bad;
  const plansim::ParamNode wrong =
      plansim::parse_yaml("processes: [savings]\nsavings: {rate: 2}\n", "wrong.yaml", bad);
  (void)plansim::Simulation::configure(wrong, city, registry, bad);
  expect(bad.format().find("wrong.yaml:2:") != std::string::npos, "rate 2 is an error at line 2");
  std::printf("%s\n", failures ? "FAILED" : "all checks passed");
  return failures ? 1 : 0;
}
