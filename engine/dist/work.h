// Work items of a run or sweep, and the driver that spreads them over MPI ranks (or runs them
// in this process), persisting each finished item so that an interrupted job can resume.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/results.h"

namespace plansim {

/// One unit of work: one replicate of one sweep point (a plain run has the single point 0).
struct WorkItem {
  std::uint32_t point = 0;
  std::uint32_t replicate = 0;
  /// "point 2, replicate 5" — for messages.
  std::string label() const;
};

/// All (point, replicate) pairs, point-major.
std::vector<WorkItem> make_work_items(std::uint32_t points, std::uint32_t replicates);

/// Finished items on disk: one file per item, written to a temporary name and renamed, so a killed
/// job leaves only complete items. A manifest ties the folder to one job (its fingerprint).
class ItemStore {
 public:
  ItemStore(std::filesystem::path directory, std::string job_fingerprint);
  /// Prepares the folder. With resume, keeps items of the same job and fails (std::runtime_error
  /// with a clear message) if the folder belongs to another job; without, clears it.
  void open(bool resume) const;
  /// True when the item is stored intact (its checksum and identity match).
  bool has(const WorkItem& item) const;
  /// Each item file carries the job's fingerprint, the item's (point, replicate) and the SHA-256
  /// of its content.
  void save(const WorkItem& item, const ReplicateResults& results) const;
  /// The stored item; throws std::runtime_error when it is missing or damaged.
  ReplicateResults load(const WorkItem& item) const;
  /// The stored item, or nullopt: `problem` is empty when there is none, else why it cannot be
  /// used (truncated, checksum or identity mismatch, unreadable).
  std::optional<ReplicateResults> try_load(const WorkItem& item, std::string& problem) const;
  std::filesystem::path item_path(const WorkItem& item) const;
  /// Removes the folder after the final output was written.
  void remove() const;
  /// Removes the folder's content but its lock file.
  void clear() const;
  /// The file in the folder that a writer holds locked (flock) while it runs.
  static constexpr const char* kLockFileName = "lock";
  const std::filesystem::path& directory() const { return directory_; }

 private:
  std::filesystem::path directory_;
  std::string fingerprint_;
};

/// Process-wide MPI state: initialised only when the program was started by mpirun (so a plain
/// `plansim run` never touches MPI). Without the MPI build, always one rank.
class MpiSession {
 public:
  MpiSession(int& argc, char**& argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  static int rank();
  static int size();
  /// Aborts every rank (after printing on this one).
  [[noreturn]] static void abort_all(int status);
  /// Rank 0's `bytes` on every rank (nothing to do with one rank). Every rank must call it.
  static void broadcast(std::string& bytes);

 private:
  bool initialised_ = false;
};

/// How this process was started, from the launcher's environment variables: srun's
/// SLURM_STEP_NUM_TASKS / SLURM_PROCID, Open MPI's OMPI_COMM_WORLD_SIZE / OMPI_COMM_WORLD_RANK,
/// PMI's PMI_SIZE / PMI_RANK. A plain start is {"", 1, 0}.
struct Launch {
  std::string launcher;  // "srun", "mpirun", "a PMI launcher" or "" (started directly)
  int tasks = 1;         // processes the launcher started together
  int task_index = 0;    // this process's index among them
};
using EnvLookup = std::function<const char*(const char*)>;
Launch detect_launch(const EnvLookup& env);

/// "" when MPI connects as many processes as the launcher started. Otherwise the explanation to
/// print, saying how to launch: several tasks that each see one MPI process would each compute
/// the whole job and write the same file (e.g. `srun` without `--mpi=pmix` on a Slurm whose
/// default is MpiDefault=none, or `mpirun` with a plansim built without MPI).
std::string launch_mismatch(const Launch& launch, int mpi_size, bool built_with_mpi);

using ComputeItem = std::function<ReplicateResults(const WorkItem&)>;
using ItemDone = std::function<void(const WorkItem&)>;

/// Runs every item and returns their results in item order on rank 0 (the writer); other ranks
/// return an empty vector. Items already in `store` (when resuming) are loaded, not recomputed.
/// With several ranks, rank 0 hands out items one at a time to ranks 1..K-1 as they become free
/// (dynamic load balancing); with one rank it computes them itself. A failing item aborts the job
/// with a message naming the item and the rank. `on_done` is called on rank 0 per finished item.
/// May be called several times in a process (on every rank alike): a calibration runs a batch of
/// items per call.
///
/// `concurrent`: with one rank, compute several items at once on the TBB threads (each item
/// still parallel inside); for many small items such as the simulations of a calibration, where
/// one item alone cannot use the threads. `compute` must then be safe to call from several threads
/// at once; `on_done` and the store are called under a lock. Results do not depend on it.
std::vector<ReplicateResults> run_work_items(const std::vector<WorkItem>& items,
                                             const ComputeItem& compute, const ItemStore* store,
                                             const ItemDone& on_done, bool concurrent = false);

}  // namespace plansim
