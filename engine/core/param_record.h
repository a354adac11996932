// The describe pass: what the readers ask of the parameter trees, recorded from the readers
// themselves. While a ParamRecorder is active, every typed getter of ParamNode (params.h) records
// the key it looks up — its document (the scenario or a city file), path, type, range, default,
// whether it is required — and the reader asking (a process, or a front-end reader such as the
// targets). `plansim reference` configures every process of the shipped scenarios with a recorder
// active and writes the city and scenario reference page and the JSON Schemas from what was asked
// (cli/reference.h), so the documentation is the readers' own declarations and cannot drift.
//
// So that keys under sections a file leaves out are asked too, find() and require() answer an
// absent key with an empty map of the recorder's ("a stub") while recording: the reader then reads
// its keys as it would read `key: {}`, and every key it would accept there is recorded with its
// default. Outside a describe pass (no recorder active) nothing changes and nothing is recorded.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace plansim {

class ParamNode;

/// What a reader takes a value for.
enum class ParamType { kUnknown, kNumber, kInteger, kBoolean, kString };

/// One key as the readers ask for it (merged over every read).
struct ParamField {
  std::string document;  // "scenario", or a city file's stem ("zones", "demography", ...)
  std::string path;      // in the document: "fertility.tfr", "zones[].x_m" ([] = every item)
  ParamType type = ParamType::kUnknown;
  double lo = -1e300, hi = 1e300;  // the intersection of every reader's range
  std::string fallback;            // the default as text; "" when none was given
  bool has_fallback = false;
  bool fallback_is_city = false;  // a scenario key whose default is the city file's value
  bool required = false;
  bool by_year = true;  // every read was of a tree evaluated for a year: a trajectory is allowed
  bool distribution = true;  // every read was by a process on the realised trees: {dist: …} allowed
  bool knots = false;        // the reader reads a trajectory's knots itself (read_trajectory())
  bool also_string = false;  // the reader also takes a plain string here (e.g. zones.yaml city:)
  std::set<std::string> readers;
};

class ParamRecorder {
 public:
  /// Makes this recorder the active one (one at a time) until it is destroyed.
  ParamRecorder();
  ~ParamRecorder();
  ParamRecorder(const ParamRecorder&) = delete;
  ParamRecorder& operator=(const ParamRecorder&) = delete;

  /// The active recorder, or null outside a describe pass.
  static ParamRecorder* active() { return active_; }

  /// Names the document of every node of `root` (the loaded scenario: "scenario"; a city file:
  /// its stem). `city` is the loaded city map (stem -> file): a file it lacks is a document too.
  void add_document(const ParamNode& root, const std::string& document);
  void add_city(const ParamNode& city);
  /// Forgets the trees added so far (before those of the next scenario); keeps what was recorded.
  void forget_trees();

  /// The reader of what is asked while it lives; `realised` when it reads the trees with every
  /// distribution replaced by a value (the processes), so that a distribution is allowed there.
  class Reader {
   public:
    Reader(std::string name, bool realised);
    ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

   private:
    std::string previous_;
    bool previous_realised_ = false;
  };
  /// Nothing is recorded while it lives (copies of trees, trajectory bookkeeping).
  class Pause {
   public:
    Pause();
    ~Pause();
    Pause(const Pause&) = delete;
    Pause& operator=(const Pause&) = delete;
  };

  // ---- hooks (called by ParamNode) ----
  /// `parent.key` is asked for as `type` (present or not).
  void asked(const ParamNode& parent, std::string_view key, ParamType type, double lo, double hi,
             const std::string* fallback, bool required);
  /// `node` itself is converted to `type`; `trajectory` when the reader takes a trajectory there
  /// itself (core/trajectory.h read_trajectory()).
  void converted(const ParamNode& node, ParamType type, double lo, double hi,
                 bool trajectory = false);
  /// A reader iterated the entries of `map`: its keys are names of the reader's choosing.
  void iterated(const ParamNode& map);
  /// The keys of `map` are a closed set the reader knows (though it iterates them).
  void closed(const ParamNode& map);
  /// An empty map standing for the absent `parent.key` (see above); null when not recording.
  const ParamNode* stub(const ParamNode& parent, std::string_view key, const std::string& path);
  /// The reader also accepts a plain string at `node`'s place (an alternative form).
  void accepts_string(const ParamNode& node);
  bool recording() const { return pause_depth_ == 0 && !reader_.empty(); }
  /// Stand-ins for absent keys on (default) or off. A stand-in may change what a reader does
  /// with the values that are there (an empty map where it takes an absent key for "none"), so a
  /// describe pass reads each scenario both ways and keeps what either asked.
  void set_stubs(bool on) { stubs_on_ = on; }

  // ---- results ----
  const std::map<std::pair<std::string, std::string>, ParamField>& fields() const {
    return fields_;
  }
  /// Paths (document, path) of maps whose keys the reader chooses (with [] and * as in fields).
  const std::set<std::pair<std::string, std::string>>& free_maps() const { return free_maps_; }
  /// Every document seen, the city files first (in name order), then "scenario".
  std::vector<std::string> documents() const;

 private:
  struct NodeInfo {
    std::string document;
    bool evaluated = false;  // part of a tree evaluated for a year
  };
  /// The document of a node and whether it was evaluated for a year; false when unknown.
  bool resolve(const ParamNode& node, NodeInfo& info) const;
  void register_tree(const ParamNode& node, const std::string& document);
  ParamField* field(const NodeInfo& info, const std::string& raw_path, bool& collapsed);

  static ParamRecorder* active_;
  std::string reader_;
  bool realised_ = false;
  int pause_depth_ = 0;
  bool stubs_on_ = true;
  const ParamNode* city_ = nullptr;
  std::unordered_map<const ParamNode*, NodeInfo> nodes_;
  std::unordered_map<std::string, std::string> files_;  // source file -> document
  std::deque<std::unique_ptr<ParamNode>> stubs_;
  std::map<std::pair<std::string, std::string>, ParamField> fields_;
  std::set<std::pair<std::string, std::string>> free_maps_, closed_maps_;
  std::set<std::string> documents_;
  // Values read from city files in the current reader, by key name: a scenario key whose
  // fallback is one of them defaults to the city's value (ParamLayer, or a reader's own layering).
  std::map<std::string, std::set<std::string>> city_values_;
  std::string city_values_reader_;
};

/// "zones[3].x_m" -> "zones[].x_m"; a year key ("tfr.2025", "tfr.step.2025") is dropped (its
/// value is a knot of the trajectory at the parent); `collapsed` says whether one was.
std::string normalised_param_path(const std::string& path, bool* collapsed = nullptr);

}  // namespace plansim
