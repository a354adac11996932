// Helpers for the services and policy tests: small Worlds built by hand, located parameter trees
// from flow-style YAML text ({a: 1, b: [x, y]}) with file:line:col like the real loader, and a
// harness that runs processes year by year without the CLI.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <memory>
#include <string>
#include <vector>

#include "core/params.h"
#include "core/process.h"
#include "core/simulation.h"
#include "core/world.h"
#include "services/facility_table.h"

namespace plansim::test {

/// Parses flow-style YAML (maps, lists, plain or double-quoted scalars, across lines) into a
/// ParamNode with locations in `file` and paths below `root_path`. Throws on malformed text.
class FlowYaml {
 public:
  static ParamNode parse(const std::string& text, const std::string& file,
                         const std::string& root_path = "") {
    FlowYaml p(text, file);
    p.skip();
    ParamNode node = p.value(root_path);
    p.skip();
    if (p.pos_ != text.size()) throw std::runtime_error("trailing text at " + p.here().str());
    return node;
  }

 private:
  FlowYaml(const std::string& text, const std::string& file) : text_(text), file_(file) {}
  SourceLoc here() const { return {file_, line_, column_}; }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(text_[pos_]) & 0xC0) != 0x80) {
      ++column_;  // count characters, not UTF-8 continuation bytes
    }
    ++pos_;
  }
  void skip() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(peek()))) advance();
  }
  void expect(char c) {
    skip();
    if (peek() != c)
      throw std::runtime_error(std::string("expected '") + c + "' at " + here().str());
    advance();
  }
  std::string scalar_text(bool& quoted) {
    std::string out;
    quoted = peek() == '"';
    if (quoted) {
      advance();
      while (pos_ < text_.size() && peek() != '"') {
        out += peek();
        advance();
      }
      advance();
      return out;
    }
    while (pos_ < text_.size() && peek() != ',' && peek() != '}' && peek() != ']' &&
           peek() != '\n' &&
           !(peek() == ':' && pos_ + 1 < text_.size() &&
             std::isspace(static_cast<unsigned char>(text_[pos_ + 1])))) {
      out += peek();
      advance();
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
  }
  static std::string child(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }
  ParamNode value(const std::string& path) {
    skip();
    const SourceLoc loc = here();
    if (peek() == '{') {
      advance();
      ParamNode map(ParamNode::Kind::Map, loc, path);
      skip();
      while (peek() != '}') {
        skip();
        const SourceLoc key_loc = here();
        bool quoted = false;
        const std::string key = scalar_text(quoted);
        expect(':');
        map.set(key, key_loc, value(child(path, key)));
        skip();
        if (peek() == ',') advance();
        skip();
      }
      advance();
      return map;
    }
    if (peek() == '[') {
      advance();
      ParamNode list(ParamNode::Kind::Sequence, loc, path);
      skip();
      while (peek() != ']') {
        list.items().push_back(value(path + "[" + std::to_string(list.items().size()) + "]"));
        skip();
        if (peek() == ',') advance();
        skip();
      }
      advance();
      return list;
    }
    bool quoted = false;
    ParamNode s = ParamNode::scalar(scalar_text(quoted), loc, path);
    s.set_quoted(quoted);
    return s;
  }

  const std::string& text_;
  std::string file_;
  std::size_t pos_ = 0;
  int line_ = 1, column_ = 1;
};

/// A zone with a centroid (metres) and an area (km²).
// The services' data of a test World (created on first use when no process has created it).
inline FacilityTable& facilities(World& w) { return w.modules.ensure<FacilityTable>(); }
inline const FacilityTable& facilities(const World& w) { return w.get<FacilityTable>(); }
inline std::vector<std::uint32_t>& school(World& w) { return w.persons.add(kPersonSchool); }
inline const std::vector<std::uint32_t>& school(const World& w) {
  return w.persons.get(kPersonSchool);
}
inline PersonCare care(World& w) { return add_person_care(w.persons); }
inline ConstPersonCare care(const World& w) { return ConstPersonCare(w.persons); }

inline ZoneLabel zone(std::string key, double x_m, double y_m, double area_km2 = 1.0) {
  ZoneLabel z;
  z.key = key;
  z.name_en = key;
  z.x_m = x_m;
  z.y_m = y_m;
  z.area_km2 = area_km2;
  return z;
}

inline World make_world(std::vector<ZoneLabel> zones, int year = 2020) {
  World w;
  w.year = year;
  w.zones = std::move(zones);
  return w;
}

/// A household in `zone` with one person per age; returns the household row.
inline std::uint32_t add_household(World& w, std::uint16_t zone_row, std::vector<int> ages,
                                   Sex sex = kFemale) {
  const std::uint32_t h = w.households.append(w.new_household_id(), zone_row);
  for (int age : ages)
    w.persons.append(w.new_person_id(), static_cast<std::uint8_t>(age), sex, kNoSchooling, h);
  return h;
}

/// `count` one-person households of age `age` in `zone`.
inline void add_people(World& w, std::uint16_t zone_row, int age, int count) {
  for (int k = 0; k < count; ++k) add_household(w, zone_row, {age});
}

/// Runs processes like the yearly loop of the core (configure, initialize, then per year
/// begin_year / step / end_year), keeping the results for inspection.
class Harness {
 public:
  Harness(RunSettings run, ParamNode city) : run_(run), city_(std::move(city)) {}

  /// Configures `process` with its scenario block (flow YAML, may be "{}"); returns the
  /// diagnostics text ("" when fine). Unread keys of the block and of the facilities file are
  /// reported like the core does.
  std::string add(std::unique_ptr<Process> process, ProcessId id, const std::string& block = "{}",
                  const std::string& block_path = "") {
    ParamNode params = FlowYaml::parse(block, "scenario.yaml", block_path);
    blocks_.push_back(std::make_unique<ParamNode>(std::move(params)));
    ConfigureContext ctx{*blocks_.back(), city_, run_, diags_, catalog_};
    process->configure(ctx);
    processes_.push_back(std::move(process));
    ids_.push_back(id);
    names_.push_back("process " + std::to_string(id));
    return diags_.format();
  }
  /// The core's unread-key report over every block and the city files that were opened.
  std::string report_unused() {
    for (auto& b : blocks_) b->report_unused(diags_);
    for (const auto& file : city_.entries())
      if (file.value->was_read()) file.value->report_unused(diags_);
    return diags_.format();
  }
  const Diagnostics& diags() const { return diags_; }
  const SeriesCatalog& catalog() const { return catalog_; }

  /// Initialises the processes on `world` (which the test keeps and looks at): the core's own
  /// loop (core/simulation.h ReplicateRun) runs on it from here.
  void initialize(World& world, std::uint32_t replicate = 0) {
    world.person_weight = 1.0 / run_.scale;
    rebuild_members(world);  // the test built the households: index them, as synthesis does
    run_on_.reset();
    ProcessSchedule schedule{run_, &catalog_, names_, ids_, {}};
    for (const auto& p : processes_) schedule.processes.push_back(p.get());
    run_on_ = std::make_unique<ReplicateRun>(schedule, replicate, world);
  }
  /// Runs `year` (the next one: years run in order from run.start) on the initialised world.
  void run_year(World& world, int year) {
    ASSERT_TRUE(run_on_ && &run_on_->world() == &world) << "initialize(world) first";
    ASSERT_EQ(year, run_on_->next_year()) << "years run in order";
    rebuild_members(world);  // the test may have added persons since the last year
    run_on_->run_year();
  }
  ReplicateResults& results() { return run_on_->results(); }
  double indicator(const std::string& key, std::size_t year_row) const {
    return run_on_->results().indicators.at(key).at(year_row);
  }
  template <class T>
  T& process(std::size_t index) {
    return dynamic_cast<T&>(*processes_.at(index));
  }

 private:
  RunSettings run_;
  ParamNode city_;
  Diagnostics diags_;
  SeriesCatalog catalog_;
  std::vector<std::unique_ptr<ParamNode>> blocks_;
  std::vector<std::unique_ptr<Process>> processes_;
  std::vector<ProcessId> ids_;
  std::vector<std::string> names_;
  std::unique_ptr<ReplicateRun> run_on_;
};

inline RunSettings run_settings(int start = 2020, int end = 2025, double scale = 1.0,
                                std::uint64_t seed = 7) {
  RunSettings r;
  r.start_year = start;
  r.end_year = end;
  r.scale = scale;
  r.seed = seed;
  return r;
}

/// A city tree with only facilities.yaml, given as flow YAML (paths start at the file, like the
/// loader's city trees).
inline ParamNode city_with_facilities(const std::string& facilities_yaml) {
  ParamNode city(ParamNode::Kind::Map, SourceLoc{"configs/test", 0, 0}, "");
  city.set("facilities", SourceLoc{"configs/test/facilities.yaml", 1, 1},
           FlowYaml::parse(facilities_yaml, "configs/test/facilities.yaml"));
  return city;
}

/// Minimal eldercare section (one band, no onset) so that a facilities file is complete.
inline const char* kQuietEldercare =
    "eldercare: {min_age: 60, care_need: [{from_age: 60, initial_partial: 0, initial_full: 0, "
    "onset_partial: 0, onset_full: 0, progression: 0, recovery: 0}]}";

}  // namespace plansim::test
