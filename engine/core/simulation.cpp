#include "core/simulation.h"

#include <cstdio>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/param_record.h"
#include "core/text.h"

namespace plansim {
namespace {

// The debug build's check after a hook: the World's invariants, then (after initialize and step)
// the process's own. Throws std::logic_error naming the process, the hook and the year.
[[maybe_unused]] void check_after_hook(const World& world, const Process& process,
                                       const std::string& name, const char* hook, int year,
                                       bool own) {
  std::string problem = check_invariants(world);
  if (problem.empty() && own) problem = process.check_invariants(world);
  if (!problem.empty())
    throw std::logic_error("invariant broken after " + name + " " + hook + " in " +
                           std::to_string(year) + ": " + problem);
}

bool leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }
int days_in_year(int year) { return leap_year(year) ? 366 : 365; }

// "YYYY-MM-DD" in `year` -> 0-based day of that year; errors at the value.
std::optional<int> day_of_year(const ParamNode& value, int year, Diagnostics& diags) {
  const auto text = value.as_string(diags);
  if (!text) return std::nullopt;
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (std::sscanf(text->c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || text->size() != 10) {
    diags.error(
        value.loc(),
        value.path() + ": expected a date YYYY-MM-DD (e.g. 2020-11-01), got '" + *text + "'");
    return std::nullopt;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int month_days = m == 2 && leap_year(y) ? 29 : (m >= 1 && m <= 12 ? kDays[m - 1] : 0);
  if (m < 1 || m > 12 || d < 1 || d > month_days) {
    diags.error(value.loc(), value.path() + ": '" + *text + "' is not a date");
    return std::nullopt;
  }
  if (y != year) {
    diags.error(value.loc(), value.path() + ": " + *text + " is not in run.start (" +
                                 std::to_string(year) + ")");
    return std::nullopt;
  }
  int day = d - 1;
  for (int k = 1; k < m; ++k) day += k == 2 && leap_year(y) ? 29 : kDays[k - 1];
  return day;
}

// Each listed process against its declared order (ProcessNeeds), every error at its list item.
void check_process_order(const std::vector<const Registry::Entry*>& entries,
                         const std::vector<const ParamNode*>& items, Diagnostics& diags) {
  const auto position = [&](const std::string& name) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < entries.size(); ++i)
      if (entries[i]->name == name) return i;
    return std::nullopt;
  };
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Registry::Entry& e = *entries[i];
    const std::string where = items[i]->path() + ": " + e.name;
    for (const std::string& earlier : e.needs.after) {
      const std::optional<std::size_t> at = position(earlier);
      if (!at)
        diags.error(items[i]->loc(), where + " needs the " + earlier + " process before it (" +
                                         e.needs.after_why + "); add '" + earlier +
                                         "' to processes: before '" + e.name + "'");
      else if (*at > i)
        diags.error(items[i]->loc(), where + " must come after " + earlier + " (" +
                                         e.needs.after_why + "); move '" + earlier + "' before '" +
                                         e.name + "' in processes:");
    }
    for (const std::string& later : e.needs.before) {
      const std::optional<std::size_t> at = position(later);
      if (at && *at < i)
        diags.error(items[i]->loc(), where + " must come before " + later + " (" +
                                         e.needs.before_why + "); move '" + e.name + "' before '" +
                                         later + "' in processes:");
    }
  }
}

// The data each listed process reads against what the listed processes make (ProcessNeeds):
// data that none makes is an error at the reader's list item when the reader cannot do without
// it, else a note of what the run leaves out.
std::vector<Diagnostic> check_data_read(const std::vector<const Registry::Entry*>& entries,
                                        const std::vector<const ParamNode*>& items,
                                        const Registry& registry, Diagnostics& diags) {
  std::vector<Diagnostic> notes;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Registry::Entry& e = *entries[i];
    for (const ProcessNeeds::Read& read : e.needs.reads) {
      bool made = false;
      for (const Registry::Entry* other : entries)
        for (const std::string& data : other->needs.makes) made |= data == read.data;
      if (made) continue;
      const std::vector<std::string> makers = registry.makers_of(read.data);
      const std::string by = makers.empty() ? "no registered process" : join(makers, " or ");
      const std::string where = items[i]->path() + ": " + e.name;
      if (read.without.empty())
        diags.error(items[i]->loc(), where + " reads the " + read.data + " that " + by +
                                         " makes; add " + (makers.size() == 1 ? "it" : "one") +
                                         " to processes:");
      else
        notes.push_back(
            {items[i]->loc(), where + " reads the " + read.data + " that " + by +
                                  " makes, which this scenario does not run: " + read.without});
    }
  }
  return notes;
}

}  // namespace

double RunSettings::year_fraction(int year) const {
  if (year != start_year || start_day_of_year == 0) return 1.0;
  const int days = days_in_year(year);
  return static_cast<double>(days - start_day_of_year) / days;
}

RunSettings read_run_settings(const ParamNode& scenario, Diagnostics& diags) {
  RunSettings run;
  const ParamNode* block = scenario.require("run", diags);
  if (!block) return run;
  if (!block->is_map()) {
    diags.error(
        block->loc(),
        "run: expected a map with start, end, replicates, seed, scale (and optionally start_date)");
    return run;
  }
  const std::size_t before_start = diags.size();
  run.start_year = static_cast<int>(block->required_integer("start", diags, 1900, 2200));
  run.start_known = diags.size() == before_start;
  const std::size_t before_end = diags.size();
  run.end_year = static_cast<int>(block->required_integer("end", diags, 1900, 2200));
  run.end_known = diags.size() == before_end;
  if (run.start_known && run.end_known && run.end_year < run.start_year) {
    const ParamNode* end = block->find("end");
    diags.error(end ? end->loc() : block->loc(), "run.end: " + std::to_string(run.end_year) +
                                                     " is before run.start (" +
                                                     std::to_string(run.start_year) + ")");
  }
  run.replicates = static_cast<std::uint32_t>(block->integer("replicates", 1, diags, 1, 100000));
  run.seed = static_cast<std::uint64_t>(
      block->integer("seed", 1, diags, 0, std::numeric_limits<std::int64_t>::max()));
  // Above 1: oversampling, several simulated persons per resident (for scaling studies); the
  // synthesis checks that the population fits the tables and the machine's memory.
  run.scale = block->number("scale", 1.0, diags, 1e-6, kMaxScale);
  const ParamNode* date = block->find("start_date");
  if (date && !run.start_known) date->mark_all_used();  // checked once run.start is valid
  if (date && run.start_known) {
    const auto day = day_of_year(*date, run.start_year, diags);
    if (day) run.start_day_of_year = *day;
  }
  return run;
}

Simulation Simulation::configure(const ParamNode& scenario, const ParamNode& city,
                                 const Registry& registry, Diagnostics& diags) {
  Simulation sim;
  const ParamRecorder::Reader scenario_reader("scenario", false);  // a describe pass's name
  {
    const ParamRecorder::Reader reader("run settings", false);
    sim.run_ = read_run_settings(scenario, diags);
  }

  // The yearly order of processes.
  const ParamNode* order = scenario.require("processes", diags);
  if (order && !order->is_sequence()) {
    diags.error(order->loc(),
                "processes: expected a list of process names, e.g. [synthesis, "
                "demography, indicators]");
    order = nullptr;
  }
  static const ParamNode empty_map(ParamNode::Kind::Map, SourceLoc{}, "");
  // First the list, so that each process knows what else the scenario runs; then each process
  // is configured in order, all of them sharing one city catalogue.
  std::vector<const Registry::Entry*> entries;
  std::vector<const ParamNode*> entry_items;  // where each entry is listed
  bool list_ok = order != nullptr;
  if (order) {
    for (const ParamNode& item : order->items()) {
      auto name = item.as_string(diags);
      list_ok &= name.has_value();
      if (!name) continue;
      const Registry::Entry* entry = registry.find(*name);
      if (!entry) {
        std::string message = item.path() + ": unknown process '" + *name + "'";
        const std::string hint = closest_match(*name, registry.names());
        message += hint.empty() ? " (known: " : " (did you mean '" + hint + "'?; known: ";
        for (std::size_t i = 0; i < registry.names().size(); ++i)
          message += (i ? ", " : "") + registry.names()[i];
        diags.error(item.loc(), message + ")");
        list_ok = false;
        continue;
      }
      bool duplicate = false;
      for (const auto& n : sim.names_) duplicate |= (n == *name);
      if (duplicate) {
        diags.error(item.loc(), item.path() + ": process '" + *name + "' is listed twice");
        list_ok = false;
        continue;
      }
      sim.names_.push_back(*name);
      sim.ids_.push_back(entry->id);
      entries.push_back(entry);
      entry_items.push_back(&item);
    }
  }
  // The declared order, once every name is known (else its errors would be follow-ups).
  if (list_ok) {
    check_process_order(entries, entry_items, diags);
    sim.notes_ = check_data_read(entries, entry_items, registry, diags);
  }
  auto city_catalog = std::make_shared<CityCatalog>();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string& name = sim.names_[i];
    const ParamNode* params = scenario.find(name);
    if (params && !params->is_map() && !params->is_null()) {
      diags.error(params->loc(), name + ": expected a map of parameters");
      params = nullptr;
    }
    std::unique_ptr<Process> process = entries[i]->make();
    const ParamRecorder::Reader reader(name, true);  // what it asks, in a describe pass
    // With run.start or run.end invalid (already an error), a process's checks against that
    // year are follow-ups of it ("the population describes 2020 but run.start is 0"): dropped.
    Diagnostics process_diags;
    ConfigureContext ctx{params && params->is_map() ? *params : empty_map,
                         city,
                         sim.run_,
                         process_diags,
                         sim.catalog_,
                         city_catalog,
                         &sim.names_};
    process->configure(ctx);
    for (const Diagnostic& d : process_diags.errors()) {
      const bool follow_up =
          (!sim.run_.start_known && d.message.find("run.start") != std::string::npos) ||
          (!sim.run_.end_known && d.message.find("run.end") != std::string::npos);
      if (!follow_up) diags.error(d.loc, d.message);
    }
    sim.processes_.push_back(std::move(process));
  }
  // Blocks that belong to no listed process are unknown keys too; metadata is read here, the
  // uncertainty block by the parameter design (uncertainty/parameter_space.h), which reports its
  // own unknown keys.
  // (The loader read name, description and extends already; read here again, they are checked
  // to be text, and an unknown key under scenario: is reported like any other.)
  if (const ParamNode* meta = scenario.find("scenario"); meta && meta->is_map()) {
    meta->string("name", "", diags);
    meta->string("description", "", diags);
    // The loader reported an extends that is not a path.
    const ParamNode* extends = meta->peek("extends");
    if (!extends || extends->is_scalar())
      meta->string("extends", "", diags);
    else
      extends->mark_all_used();
  } else if (meta && !meta->is_null()) {
    diags.error(meta->loc(), "scenario: expected a map with name, description and extends");
  }
  // The city's display names (zones.yaml `city:`) are the front end's, read there.
  if (const ParamNode* zones = city.peek("zones"); zones && zones->is_map())
    if (const ParamNode* names = zones->peek("city")) names->mark_all_used();
  if (const ParamNode* uncertainty = scenario.find("uncertainty")) uncertainty->mark_all_used();
  if (const ParamNode* dir = scenario.find("city"); dir && dir->is_scalar())
    dir->as_string(diags);  // the loader reported anything else
  scenario.report_unused(diags);
  // Only the city files some process opened are checked: the others belong to processes that
  // are not part of this scenario.
  for (const auto& file : city.entries())
    if (file.value->was_read()) file.value->report_unused(diags);
  return sim;
}

ProcessSchedule Simulation::schedule() const {
  ProcessSchedule schedule{run_, &catalog_, names_, ids_, {}};
  for (const auto& process : processes_) schedule.processes.push_back(process.get());
  return schedule;
}

ReplicateResults Simulation::run_replicate(std::uint32_t replicate,
                                           const Progress& progress) const {
  World world;
  world.person_weight = 1.0 / run_.scale;
  ReplicateRun run(schedule(), replicate, world);
  while (run.next_year() <= run_.end_year) {
    const int year = run.run_year();
    if (progress) progress(replicate, year, run.world());
  }
  return run.finish();
}

namespace {
constexpr const char* kHooks[] = {"initialize", "begin_year", "step", "end_year"};
}  // namespace

ReplicateRun::ReplicateRun(const ProcessSchedule& schedule, std::uint32_t replicate, World& world)
    : schedule_(schedule),
      world_(world),
      rng_(schedule.run.seed, replicate),
      timing_(schedule.processes.size() * 4),
      parts_(schedule.processes.size()),
      next_year_(schedule.run.start_year) {
  results_.replicate = replicate;
  world_.year = schedule_.run.start_year;
  for (std::size_t i = 0; i < timing_.size(); ++i) {
    timing_[i].process = schedule_.names[i / 4];
    timing_[i].phase = kHooks[i % 4];
  }
  // Initialize records no zone panels (they are yearly), so its recorder has no zones.
  Recorder setup(results_, *schedule_.catalog, 0, world_.person_weight);
  for (std::size_t i = 0; i < schedule_.processes.size(); ++i) {
    StepContext ctx{world_, rng_, setup, schedule_.ids[i], schedule_.run.start_year, schedule_.run};
    PhaseTimer timer;
    schedule_.processes[i]->initialize(ctx);
    timer.stop(timing_[i * 4]);
    if constexpr (kDebugChecks)
      check_after_hook(world_, *schedule_.processes[i], schedule_.names[i], "initialize",
                       schedule_.run.start_year, true);
  }
  // The yearly recorder knows the zones that initialize created.
  yearly_ = std::make_unique<Recorder>(results_, *schedule_.catalog, world_.zone_count(),
                                       world_.person_weight);
}

int ReplicateRun::run_year() {
  if (next_year_ > schedule_.run.end_year)
    throw std::logic_error("ReplicateRun::run_year: every year of the run has run");
  const int year = next_year_++;
  const auto& processes = schedule_.processes;
  world_.year = year;
  yearly_->begin_year(year);
  for (std::size_t i = 0; i < processes.size(); ++i) {
    StepContext ctx{world_, rng_, *yearly_, schedule_.ids[i], year, schedule_.run};
    PhaseTimer timer;
    processes[i]->begin_year(ctx);
    timer.stop(timing_[i * 4 + 1]);
    if constexpr (kDebugChecks)
      check_after_hook(world_, *processes[i], schedule_.names[i], "begin_year", year, false);
  }
  for (std::size_t i = 0; i < processes.size(); ++i) {
    StepContext ctx{world_, rng_, *yearly_, schedule_.ids[i], year, schedule_.run, &parts_[i]};
    PhaseTimer timer;
    processes[i]->step(ctx);
    timer.stop(timing_[i * 4 + 2]);
    if constexpr (kDebugChecks)
      check_after_hook(world_, *processes[i], schedule_.names[i], "step", year, true);
  }
  for (std::size_t i = 0; i < processes.size(); ++i) {
    StepContext ctx{world_, rng_, *yearly_, schedule_.ids[i], year, schedule_.run};
    PhaseTimer timer;
    processes[i]->end_year(ctx);
    timer.stop(timing_[i * 4 + 3]);
    if constexpr (kDebugChecks)
      check_after_hook(world_, *processes[i], schedule_.names[i], "end_year", year, false);
  }
  return year;
}

ReplicateResults ReplicateRun::finish() {
  ReplicateResults results = std::move(results_);
  // Hooks a process does not override cost nothing worth a row.
  // The parts of a step follow its row, as "step: part".
  for (std::size_t k = 0; k < timing_.size(); ++k) {
    PhaseTime& t = timing_[k];
    if (t.wall_seconds >= 1e-4 || t.phase == "step") results.profile.push_back(std::move(t));
    if (k % 4 != 2) continue;
    for (PhaseTime& part : parts_[k / 4]) {
      part.process = schedule_.names[k / 4];
      part.phase = "step: " + part.phase;
      results.profile.push_back(std::move(part));
    }
  }
  results.zone_labels = world_.zones;
  finalise_facility_panels(results);
  // Pad series first recorded after the base year so that every array spans all years.
  const std::size_t years = results.years.size();
  for (auto& [key, v] : results.indicators)
    v.resize(years, std::numeric_limits<double>::quiet_NaN());
  for (auto& [key, v] : results.events) v.resize(years, 0);
  for (auto& [key, v] : results.zones)
    v.resize(years * world_.zone_count(), std::numeric_limits<float>::quiet_NaN());
  return results;
}

}  // namespace plansim
