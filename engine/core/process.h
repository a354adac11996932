// The Process interface, its contexts, and the explicit registry of process factories.
//
// A process is one model component (demography, education, economy, ...). Each year the
// scheduler calls, for every process in the scenario's order, begin_year(), then step(), then
// end_year(). Processes communicate only through the World's tables and the Recorder.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/city_catalog.h"
#include "core/diagnostics.h"
#include "core/params.h"
#include "core/results.h"
#include "core/rng.h"
#include "core/world.h"

namespace plansim {

/// Largest run.scale: 10,000 simulated persons per resident.
inline constexpr double kMaxScale = 10000.0;

/// The `run:` block of a scenario after command-line overrides.
struct RunSettings {
  int start_year = 2020;
  int end_year = 2035;
  std::uint32_t replicates = 1;
  std::uint64_t seed = 1;
  double scale = 1.0;  // simulated persons per resident: (0, 1) a weighted sample, > 1 oversampling
  int threads = 0;     // 0 = all hardware threads
  /// The date the base population describes (`run.start_date`, e.g. the census day
  /// 2020-11-01) as a 0-based day of run.start's year; 0 = 1 January. The first year is then
  /// simulated from that day to 31 December only, so that later years are calendar years.
  int start_day_of_year = 0;
  /// False when run.start (run.end) is missing or invalid, an error already reported: checks
  /// against that year would only repeat it ("run.start is 0"), so they are not reported.
  bool start_known = true, end_known = true;

  /// Share of `year` that is simulated: for the first year (days from the start date to
  /// 31 December) / days of the year, 1 for every other year. Processes scale the hazards of
  /// their yearly events by it; crude rates are annualised with it.
  double year_fraction(int year) const;
};

/// What configure() sees.
struct ConfigureContext {
  const ParamNode& params;  // the process's own block of the scenario (an empty map if absent)
  const ParamNode& city;    // the city config: a map from file stem ("zones", "population", ...)
  const RunSettings& run;
  Diagnostics& diags;      // record every problem here, at its location; do not throw
  SeriesCatalog& catalog;  // declare every series the process records
  /// The city data read so far (core/city_catalog.h), shared by all processes of the scenario;
  /// created on the first request when the context is built without one (unit tests).
  std::shared_ptr<CityCatalog> city_catalog = nullptr;
  /// The processes the scenario lists, in order; null when configured outside a scenario (unit
  /// tests), where every process counts as listed.
  const std::vector<std::string>* processes = nullptr;

  /// The city's T (e.g. the zones, the metro network), read once for the whole scenario.
  template <class T>
  const T& city_data() {
    if (!city_catalog) city_catalog = std::make_shared<CityCatalog>();
    return city_catalog->get<T>(city, diags);
  }
  /// True when the scenario runs `process` (see `processes`).
  bool runs(std::string_view process) const {
    if (!processes) return true;
    for (const auto& p : *processes)
      if (p == process) return true;
    return false;
  }
};

/// What a process sees while the run goes on.
struct StepContext {
  World& world;
  const RngStreams& rng;
  Recorder& out;
  ProcessId process_id;
  int year;
  const RunSettings& run;
  /// The parts of the step (e.g. the demography's mortality, matching, compaction), timed with
  /// lap(): rows of `plansim run --profile` and of /meta profile. Null outside the yearly step.
  std::vector<PhaseTime>* parts = nullptr;
  /// The stream of one subject (usually an agent id) for this process and year.
  AgentRng stream(std::uint64_t subject) const { return rng.stream(year, process_id, subject); }
  /// The stream of `id` for one purpose of this process in this year: subject
  /// rng_subject(purpose, id) (core/rng.h; tag 0 is stream(id)).
  template <class Purpose>
  AgentRng stream(Purpose purpose, std::uint64_t id) const {
    return rng.stream(year, process_id, rng_subject(purpose, id));
  }
  /// The same in "year" 0, for lifetime traits drawn once per person (RngPurpose::lifetime).
  template <class Purpose>
  AgentRng lifetime_stream(Purpose purpose, std::uint64_t id) const {
    return rng.stream(kRngLifetimeYear, process_id, rng_subject(purpose, id));
  }
};

class Process {
 public:
  virtual ~Process() = default;
  /// Validates the parameter block and the city data the process needs; declares its series.
  /// Must read every key it accepts through ParamNode getters (unread keys become errors).
  virtual void configure(ConfigureContext& ctx) = 0;
  /// Called once per replicate before the first year (e.g. to synthesise the base population).
  virtual void initialize(StepContext&) {}
  virtual void begin_year(StepContext&) {}
  virtual void step(StepContext& ctx) = 0;
  virtual void end_year(StepContext&) {}
  /// The process's own invariants over the World right after its initialize() and step() (e.g.
  /// the economy's: every employed person has one job at an existing firm): "" when they hold,
  /// else the first problem. A debug build (PLANSIM_DEBUG_CHECKS) checks them, and the World's
  /// check_invariants() after every hook of every process; a Release build never calls them.
  virtual std::string check_invariants(const World&) const { return ""; }
};

/// True in a debug build (cmake --preset debug, PLANSIM_DEBUG_CHECKS): the scheduler then checks
/// the invariants of the World and of each process after each process's hooks.
#ifdef PLANSIM_DEBUG_CHECKS
inline constexpr bool kDebugChecks = true;
#else
inline constexpr bool kDebugChecks = false;
#endif

/// What a process needs of the others, declared when it is registered and checked by
/// Simulation::configure before anything runs: where it must stand in `processes:` (errors at the
/// list item) and which data of other processes it reads (a note, or an error, when no process of
/// the scenario makes it).
struct ProcessNeeds {
  /// Processes that must run, earlier in the year, and why (e.g. demography after synthesis:
  /// "it builds the population that demography ages").
  std::vector<std::string> after;
  std::string after_why;
  /// Processes that, when the scenario runs them, must come later in the year, and why (e.g.
  /// policy before education: its interventions count in the same year's allocation).
  std::vector<std::string> before;
  std::string before_why;
  /// Data this process makes for the others: a table of the World or other module data, named as
  /// the reads below name it ("vital events", "firms").
  std::vector<std::string> makes;
  /// Data of another process that this process reads, and what it leaves out when no process of
  /// the scenario makes it (a note before the run: "life expectancy is not computed"). An empty
  /// `without` means it cannot run without it: an error at its list item.
  struct Read {
    std::string data;
    std::string without;
  };
  std::vector<Read> reads;
};

/// Maps process names to factories. Built by an explicit registration function outside core/.
class Registry {
 public:
  using Factory = std::function<std::unique_ptr<Process>()>;
  struct Entry {
    std::string name;
    ProcessId id;             // fixed forever: part of every random-number counter
    std::string description;  // one line, for `plansim --help` and docs
    Factory make;
    ProcessNeeds needs;
  };
  /// Throws std::logic_error on a duplicate name or id.
  void add(std::string name, ProcessId id, std::string description, Factory make,
           ProcessNeeds needs = {});
  const Entry* find(std::string_view name) const;
  const std::vector<Entry>& entries() const { return entries_; }
  std::vector<std::string> names() const;
  /// The processes that declare they make `data` (ProcessNeeds::makes), in registration order.
  std::vector<std::string> makers_of(std::string_view data) const;

 private:
  std::vector<Entry> entries_;
};

}  // namespace plansim
