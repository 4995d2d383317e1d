// Data-parallel training across processes and machines with LibTorch's c10d
// (the engine under PyTorch's DistributedDataParallel): a c10d::TCPStore for
// the rendezvous and small messages, a c10d::ProcessGroupGloo for the
// collectives. docs/distributed.md says how to launch a group.
//
// Every rank holds the whole model. Rank 0's initial weights are broadcast;
// after each backward pass the gradients are flattened into buckets, summed
// over the ranks (one Gloo all-reduce per bucket, each waited on before the
// optimiser step) and every rank takes the same optimiser step.
//
// A rank that dies or stops is reported by the others, naming it: a
// collective that fails (a closed connection) or does not finish within the
// timeout is followed by a look at every rank's heartbeat in the store.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <torch/torch.h>

#include "base/status.h"

namespace tunesmith::train {

// Where this process stands in its group: the variables torchrun sets (or a
// cluster scheduler, or a person by hand).
struct DistributedEnv {
  int rank = 0;                          // RANK: 0 .. world_size-1; rank 0 evaluates, logs and writes files
  int world_size = 1;                    // WORLD_SIZE: processes in the group, over all machines
  int local_rank = 0;                    // LOCAL_RANK: index among this machine's processes (its GPU)
  int local_world_size = 1;              // LOCAL_WORLD_SIZE: processes on this machine (threads are shared out)
  std::string master_addr = "127.0.0.1";  // MASTER_ADDR: the machine of rank 0 (or torchrun's agent)
  int master_port = 29500;               // MASTER_PORT: its TCP port for the store
  bool agent_store = false;              // TORCHELASTIC_USE_AGENT_STORE=True: torchrun's agent holds the
                                         // store, every rank is a client of it (under the prefix /worker)
};

// Reads the variables above from the environment. RANK, WORLD_SIZE,
// MASTER_ADDR and MASTER_PORT must be set; LOCAL_RANK and LOCAL_WORLD_SIZE
// default to 0 and 1. InvalidArgument names a missing or bad variable.
Result<DistributedEnv> DistributedEnvFromVariables();

// How a group behaves.
struct GroupOptions {
  double timeout_seconds = 60;  // a collective, a store read or the rendezvous that takes longer fails
  int64_t bucket_bytes = 25 << 20;  // gradients are all-reduced in buckets of at most this many bytes
};

// One process's membership in a training group. Every method except the
// accessors is collective: all ranks call it, in the same order.
class Group {
 public:
  // Connects to the store and the other ranks (waiting at most the timeout
  // for all of them). IOError names what did not answer.
  static Result<std::unique_ptr<Group>> Join(const DistributedEnv& env, const GroupOptions& options);
  ~Group();

  int rank() const { return env_.rank; }
  int size() const { return env_.world_size; }
  const DistributedEnv& env() const { return env_; }
  double timeout_seconds() const { return options_.timeout_seconds; }

  // Copies rank 0's values of `tensors` into every rank's (in place).
  Status Broadcast(const std::vector<torch::Tensor>& tensors);

  // Sums the gradients of `params` over the ranks, in place (an undefined
  // gradient counts as zeros and is made defined), and with them the
  // `scalars` (a loss, wishes to stop). `step` names the step in errors.
  Status SumGradients(const std::vector<torch::Tensor>& params, std::vector<double>* scalars, int64_t step);

  // Rank 0's `bytes` to every rank: rank 0 passes its value, the others get
  // it. Waits as long as rank 0 takes (its validation), but fails when rank
  // 0 or the store stops answering.
  Status ShareFromRoot(const std::string& key, std::string* bytes);

  // Every rank's `mine` to rank 0, which gets them in `all` (by rank; its own
  // at [0]); the other ranks get `all` empty.
  Status GatherToRoot(const std::string& key, const std::string& mine, std::vector<std::string>* all);

  // Waits until every rank arrives here.
  Status Barrier(const std::string& what);

  // Seconds spent in the gradient all-reduce (waiting included) and the
  // number of calls, in this process.
  double allreduce_seconds() const { return allreduce_seconds_; }
  int64_t allreduce_calls() const { return allreduce_calls_; }
  // The quickest all-reduce (no rank kept the others waiting): the network's share.
  double allreduce_min_seconds() const { return allreduce_min_seconds_; }

  // The step this rank is at, told to the others through its heartbeat.
  void SetStep(int64_t step) { step_.store(step); }

 private:
  Group(DistributedEnv env, GroupOptions options);
  // A collective failed with `what`: which ranks stopped (by their heartbeats), as an error.
  Status Failure(const std::string& doing, const std::string& what);
  void Beat();

  DistributedEnv env_;
  GroupOptions options_;
  struct Connections;  // the store (one connection per thread) and Gloo, kept out of this header
  std::unique_ptr<Connections> c_;
  std::thread beat_thread_;
  std::atomic<bool> stop_beating_{false};
  std::atomic<int64_t> step_{0};
  double allreduce_seconds_ = 0;
  int64_t allreduce_calls_ = 0;
  double allreduce_min_seconds_ = 1e30;
  std::vector<torch::Tensor> buckets_;  // reused flat buffers, one per bucket
};

}  // namespace tunesmith::train
