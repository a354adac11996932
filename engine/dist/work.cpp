#include "dist/work.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "core/sha256.h"
#include "dist/serialize.h"

namespace plansim {

namespace fs = std::filesystem;

std::string WorkItem::label() const {
  return "point " + std::to_string(point) + ", replicate " + std::to_string(replicate);
}

std::vector<WorkItem> make_work_items(std::uint32_t points, std::uint32_t replicates) {
  std::vector<WorkItem> items;
  items.reserve(static_cast<std::size_t>(points) * replicates);
  for (std::uint32_t p = 0; p < points; ++p)
    for (std::uint32_t r = 0; r < replicates; ++r) items.push_back({p, r});
  return items;
}

ItemStore::ItemStore(fs::path directory, std::string job_fingerprint)
    : directory_(std::move(directory)), fingerprint_(std::move(job_fingerprint)) {}

void ItemStore::open(bool resume) const {
  const fs::path manifest = directory_ / "manifest";
  if (resume && fs::exists(manifest)) {
    std::ifstream in(manifest);
    std::string found;
    std::getline(in, found);
    if (found != fingerprint_)
      throw std::runtime_error("the partial results in " + directory_.string() +
                               " belong to another job (different scenario, seed or settings); "
                               "run with --fresh instead of --resume to discard them");
    // Temporaries of a killed writer: never complete, never merged.
    std::error_code ec;
    for (fs::directory_iterator it(directory_, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".tmp") fs::remove(it->path(), ec);
    return;
  }
  std::error_code ec;
  clear();
  fs::create_directories(directory_);
  std::ofstream out(manifest);
  out << fingerprint_ << "\n";
  if (!out) throw std::runtime_error("cannot write " + manifest.string());
}

fs::path ItemStore::item_path(const WorkItem& item) const {
  return directory_ /
         ("item-" + std::to_string(item.point) + "-" + std::to_string(item.replicate) + ".bin");
}

namespace {

// An item file: a header line naming the format, the job, the item and the SHA-256 of the
// payload that follows, then the payload. A file whose header or checksum does not match
// (a flipped bit, a truncation, a file of another job or item swapped in) is never merged.
constexpr std::string_view kItemMagic = "plansim-item-1";

std::string item_header(const std::string& fingerprint, const WorkItem& item,
                        const std::string& payload_sha256) {
  return std::string(kItemMagic) + " " + fingerprint + " " + std::to_string(item.point) + " " +
         std::to_string(item.replicate) + " " + payload_sha256 + "\n";
}

}  // namespace

bool ItemStore::has(const WorkItem& item) const {
  std::string problem;
  return try_load(item, problem).has_value();
}

std::optional<ReplicateResults> ItemStore::try_load(const WorkItem& item,
                                                    std::string& problem) const {
  problem.clear();
  const fs::path path = item_path(item);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  const std::string bytes = s.str();
  const std::size_t newline = bytes.find('\n');
  if (newline == std::string::npos) {
    problem = "no header (truncated or not an item file)";
    return std::nullopt;
  }
  const std::string_view payload = std::string_view(bytes).substr(newline + 1);
  if (bytes.substr(0, newline + 1) != item_header(fingerprint_, item, sha256_hex(payload))) {
    problem = "checksum or identity does not match (corrupted, truncated or another item's file)";
    return std::nullopt;
  }
  try {
    return deserialize_results(std::string(payload));
  } catch (const std::exception& e) {
    problem = e.what();
    return std::nullopt;
  }
}

void ItemStore::save(const WorkItem& item, const ReplicateResults& results) const {
  const fs::path path = item_path(item);
  const fs::path tmp = path.string() + ".tmp";
  {
    const std::string bytes = serialize_results(results);
    errno = 0;
    std::ofstream out(tmp, std::ios::binary);
    const std::string header = item_header(fingerprint_, item, sha256_hex(bytes));
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      const int error = errno;  // the stream's failed write (EFBIG, ENOSPC) sets it
      out.close();
      std::error_code ignored;
      fs::remove(tmp, ignored);  // a half-written item is never left behind
      throw std::runtime_error("cannot write " + tmp.string() + ": " +
                               (error ? std::strerror(error) : "write failed"));
    }
  }
  fs::rename(tmp, path);
}

ReplicateResults ItemStore::load(const WorkItem& item) const {
  std::string problem;
  std::optional<ReplicateResults> results = try_load(item, problem);
  if (!results)
    throw std::runtime_error(item_path(item).string() + ": " +
                             (problem.empty() ? std::string("missing") : problem));
  return std::move(*results);
}

void ItemStore::clear() const {
  // Everything but the lock file of the output (cli/commands.cpp), which a run holds while it
  // prepares the folder.
  std::error_code ec;
  for (fs::directory_iterator it(directory_, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename() != kLockFileName) fs::remove_all(it->path(), ec);
}

void ItemStore::remove() const {
  std::error_code ec;
  fs::remove_all(directory_, ec);
}

Launch detect_launch(const EnvLookup& env) {
  const auto number = [&](const char* name) -> int {
    const char* v = env(name);
    if (!v || !*v) return -1;
    char* end = nullptr;
    const long n = std::strtol(v, &end, 10);
    return (*end == '\0' && n >= 0 && n < 1 << 30) ? static_cast<int>(n) : -1;
  };
  const auto make = [&](const char* launcher, const char* size, const char* rank) -> Launch {
    return {launcher, number(size), std::max(0, number(rank))};
  };
  // mpirun first: under `srun mpirun …` the inner launcher is the one that started us.
  if (number("OMPI_COMM_WORLD_SIZE") > 0)
    return make("mpirun", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK");
  // SLURM_STEP_NUM_TASKS is set by srun only, not in the batch script itself (whose SLURM_NTASKS
  // is the allocation's size, with a single process running the script).
  if (number("SLURM_STEP_NUM_TASKS") > 0)
    return make("srun", "SLURM_STEP_NUM_TASKS", "SLURM_PROCID");
  if (number("PMI_SIZE") > 0) return make("a PMI launcher", "PMI_SIZE", "PMI_RANK");
  return {};
}

std::string launch_mismatch(const Launch& launch, int mpi_size, bool built_with_mpi) {
  if (launch.tasks <= 1 || mpi_size == launch.tasks) return "";
  const std::string head =
      "error: " + launch.launcher + " started " + std::to_string(launch.tasks) + " tasks, but ";
  if (mpi_size > 1)
    return head + "MPI connects " + std::to_string(mpi_size) +
           " of them.\n  Launch plansim as a single MPI job (one srun or mpirun for all "
           "ranks).\n";
  const std::string m = head +
                        "MPI connects none of them: each would compute the whole\n"
                        "  job alone and write the same file.";
  if (!built_with_mpi)
    return m +
           " This plansim was built without MPI (Open MPI was not\n"
           "  found at build time): install libopenmpi-dev and rebuild, or start a single "
           "task.\n";
  if (launch.launcher == "srun")
    return m +
           " Launch them as one MPI job with PMIx:\n"
           "    srun --mpi=pmix plansim run|sweep ...\n"
           "  (Slurm's default, MpiDefault=none, starts tasks that do not know each other;\n"
           "  `srun --mpi=list` shows what this cluster supports), or start one task\n"
           "  (srun -n 1) for a serial run. Tasks meant as independent runs (srun --multi-prog,\n"
           "  a scenario per task) can set PLANSIM_INDEPENDENT_TASKS=1.\n";
  return m +
         " The launcher does not belong to the MPI library plansim\n"
         "  was built with: use that library's mpirun, or srun --mpi=pmix under Slurm.\n";
}

namespace detail {
// Implemented in mpi_work.cpp (MPI build) or below (serial build).
std::vector<ReplicateResults> run_items_distributed(const std::vector<WorkItem>& items,
                                                    std::vector<char>& pending,
                                                    std::vector<ReplicateResults>& results,
                                                    const ComputeItem& compute,
                                                    const ItemStore* store,
                                                    const ItemDone& on_done);
}  // namespace detail

namespace {
// Test hook: simulate a job killed after N items were persisted (exit status 3, no cleanup). N
// counts the items computed by the whole process, over every call of run_work_items.
void maybe_simulate_failure() {
  static const char* limit = std::getenv("PLANSIM_TEST_KILL_AFTER_ITEMS");
  static std::size_t finished = 0;
  ++finished;
  if (limit && finished >= static_cast<std::size_t>(std::atoll(limit))) {
    std::cerr << "plansim: PLANSIM_TEST_KILL_AFTER_ITEMS reached, stopping as if killed\n";
    std::_Exit(3);
  }
}
}  // namespace

std::vector<ReplicateResults> run_work_items(const std::vector<WorkItem>& items,
                                             const ComputeItem& compute, const ItemStore* store,
                                             const ItemDone& on_done, bool concurrent) {
  std::vector<ReplicateResults> results;
  std::vector<char> pending;
  if (MpiSession::rank() == 0) {
    results.resize(items.size());
    pending.assign(items.size(), 1);
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!store) break;
      std::string problem;
      std::optional<ReplicateResults> stored = store->try_load(items[i], problem);
      if (!stored) {
        // A damaged item is recomputed, never merged.
        if (!problem.empty())
          std::cerr << "warning: " << store->item_path(items[i]).string() << ": " << problem
                    << "; recomputing " << items[i].label() << "\n";
        continue;
      }
      results[i] = std::move(*stored);
      pending[i] = 0;
      if (on_done) on_done(items[i]);
    }
  }
  const ItemDone done = [&](const WorkItem& item) {
    if (on_done) on_done(item);
    maybe_simulate_failure();
  };
  if (MpiSession::size() > 1)
    return detail::run_items_distributed(items, pending, results, compute, store, done);
  if (concurrent) {
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < items.size(); ++i)
      if (pending[i]) todo.push_back(i);
    std::mutex lock;
    std::string failure;
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, todo.size(), 1),
        [&](const tbb::blocked_range<std::size_t>& range) {
          for (std::size_t k = range.begin(); k != range.end(); ++k) {
            const std::size_t i = todo[k];
            try {
              ReplicateResults r = compute(items[i]);
              const std::lock_guard<std::mutex> guard(lock);
              results[i] = std::move(r);
              if (store) store->save(items[i], results[i]);
              done(items[i]);
            } catch (const std::exception& e) {
              const std::lock_guard<std::mutex> guard(lock);
              if (failure.empty())
                failure = "work item (" + items[i].label() + ") failed: " + e.what();
            }
          }
        },
        tbb::simple_partitioner());
    if (!failure.empty()) throw std::runtime_error(failure);
    return results;
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!pending[i]) continue;
    try {
      results[i] = compute(items[i]);
    } catch (const std::exception& e) {
      throw std::runtime_error("work item (" + items[i].label() + ") failed: " + e.what());
    }
    if (store) store->save(items[i], results[i]);
    done(items[i]);
  }
  return results;
}

#ifndef PLANSIM_WITH_MPI
MpiSession::MpiSession(int&, char**&) {}
MpiSession::~MpiSession() = default;
int MpiSession::rank() { return 0; }
int MpiSession::size() { return 1; }
void MpiSession::abort_all(int status) { std::exit(status); }
void MpiSession::broadcast(std::string&) {}
namespace detail {
std::vector<ReplicateResults> run_items_distributed(const std::vector<WorkItem>&,
                                                    std::vector<char>&,
                                                    std::vector<ReplicateResults>& results,
                                                    const ComputeItem&, const ItemStore*,
                                                    const ItemDone&) {
  return std::move(results);  // unreachable: size() is 1 without MPI
}
}  // namespace detail
#endif

}  // namespace plansim
