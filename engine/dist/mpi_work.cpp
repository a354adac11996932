// MPI side of the work driver: rank 0 hands out items and collects results; other ranks compute.
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "dist/serialize.h"
#include "dist/work.h"

namespace plansim {
namespace {

int g_rank = 0;
int g_size = 1;

enum Tag : int {
  kReady = 1,   // worker -> master: give me work
  kResult = 2,  // worker -> master: [uint64 item index][serialised results]
  kFailed = 3,  // worker -> master: [uint64 item index][error message]
  kWork = 10,   // master -> worker: uint64 item index
  kStop = 11,   // master -> worker: no more work
};

bool launched_by_mpirun() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(v)) return true;
  return false;
}

std::string receive(int source, int tag, MPI_Status& status) {
  MPI_Probe(source, tag, MPI_COMM_WORLD, &status);
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  std::string buffer(static_cast<std::size_t>(count), '\0');
  MPI_Recv(buffer.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  return buffer;
}

// Rank 0 waits for the next message without spinning: a blocking MPI receive busy-polls a whole
// core, but rank 0 only hands out items and collects results, so it sleeps between checks (items
// take seconds; a few milliseconds of latency cost nothing) and can share a CPU with a worker.
std::string receive_idle(MPI_Status& status) {
  int arrived = 0;
  auto pause = std::chrono::microseconds(50);
  for (;;) {
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status);
    if (arrived) return receive(status.MPI_SOURCE, status.MPI_TAG, status);
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(5000));
  }
}

void send(int dest, int tag, const std::string& payload) {
  MPI_Send(payload.data(), static_cast<int>(payload.size()), MPI_BYTE, dest, tag, MPI_COMM_WORLD);
}

std::string with_index(std::uint64_t index, const std::string& body) {
  std::string out(sizeof index, '\0');
  std::memcpy(out.data(), &index, sizeof index);
  return out + body;
}

std::uint64_t index_of(const std::string& payload) {
  std::uint64_t index = 0;
  if (payload.size() < sizeof index) throw std::runtime_error("malformed message between ranks");
  std::memcpy(&index, payload.data(), sizeof index);
  return index;
}

}  // namespace

MpiSession::MpiSession(int& argc, char**& argv) {
  if (!launched_by_mpirun()) return;
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
  initialised_ = true;
}

MpiSession::~MpiSession() {
  if (initialised_) MPI_Finalize();
}

int MpiSession::rank() { return g_rank; }
int MpiSession::size() { return g_size; }

void MpiSession::abort_all(int status) {
  std::cerr.flush();
  if (g_size > 1) MPI_Abort(MPI_COMM_WORLD, status);
  std::exit(status);
}

void MpiSession::broadcast(std::string& bytes) {
  if (g_size <= 1) return;
  std::uint64_t size = bytes.size();
  MPI_Bcast(&size, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  bytes.resize(size);
  if (size > 0) MPI_Bcast(bytes.data(), static_cast<int>(size), MPI_BYTE, 0, MPI_COMM_WORLD);
}

namespace detail {

std::vector<ReplicateResults> run_items_distributed(const std::vector<WorkItem>& items,
                                                    std::vector<char>& pending,
                                                    std::vector<ReplicateResults>& results,
                                                    const ComputeItem& compute,
                                                    const ItemStore* store,
                                                    const ItemDone& on_done) {
  MPI_Status status;
  if (g_rank != 0) {
    send(0, kReady, std::string());
    for (;;) {
      const std::string message = receive(0, MPI_ANY_TAG, status);
      if (status.MPI_TAG == kStop) break;
      const std::uint64_t index = index_of(message);
      try {
        send(0, kResult, with_index(index, serialize_results(compute(items[index]))));
      } catch (const std::exception& e) {
        send(0, kFailed, with_index(index, e.what()));
      }
    }
    return {};
  }
  // Rank 0: dynamic load balancing, one item at a time to whichever rank asks.
  std::size_t next = 0;
  int working = g_size - 1;
  while (working > 0) {
    const std::string message = receive_idle(status);
    const int worker = status.MPI_SOURCE;
    if (status.MPI_TAG == kFailed) {
      const std::uint64_t index = index_of(message);
      std::cerr << "error: work item (" << items[index].label() << ") failed on rank " << worker
                << ": " << message.substr(sizeof(std::uint64_t)) << "\n";
      MpiSession::abort_all(1);
    }
    if (status.MPI_TAG == kResult) {
      const std::uint64_t index = index_of(message);
      results[index] = deserialize_results(std::string_view(message).substr(sizeof index));
      if (store) store->save(items[index], results[index]);
      on_done(items[index]);
    }
    while (next < items.size() && !pending[next]) ++next;
    if (next < items.size()) {
      send(worker, kWork, with_index(next, std::string()));
      ++next;
    } else {
      send(worker, kStop, std::string());
      --working;
    }
  }
  return std::move(results);
}

}  // namespace detail
}  // namespace plansim
