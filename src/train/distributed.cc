#include "train/distributed.h"

#include <cstdlib>
#include <sstream>

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

namespace tunesmith::train {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The heartbeat: each rank writes "beat/RANK" = "COUNT STEP" this often.
constexpr milliseconds kBeatInterval{250};
// How long a heartbeat may stand still before its rank is said to have stopped.
constexpr milliseconds kBeatSilence{1500};

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::vector<uint8_t> Bytes(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }
std::string Text(const std::vector<uint8_t>& b) { return std::string(b.begin(), b.end()); }

// The first line of an exception's message (LibTorch appends a backtrace).
std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

Result<int> IntVariable(const char* name, bool required, int fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) {
    if (required) {
      return Status::InvalidArgument(std::string("--distributed: the variable ") + name +
                                     " is not set (HINT: launch with python3 -m torch.distributed.run, or set RANK, "
                                     "WORLD_SIZE, MASTER_ADDR and MASTER_PORT; docs/distributed.md)");
    }
    return fallback;
  }
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  if (*end != '\0' || n < 0 || n > 1000000) {
    return Status::InvalidArgument(std::string("--distributed: ") + name + "='" + v + "' is not a whole number >= 0");
  }
  return static_cast<int>(n);
}

bool IsLoopback(const std::string& host) { return host == "127.0.0.1" || host == "localhost" || host == "::1"; }

}  // namespace

struct Group::Connections {
  c10::intrusive_ptr<c10d::Store> store;       // our keys (prefix "tunesmith/"), main thread
  c10::intrusive_ptr<c10d::Store> beat_store;  // the heartbeat thread's own connection
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
};

Result<DistributedEnv> DistributedEnvFromVariables() {
  DistributedEnv env;
  auto rank = IntVariable("RANK", true, 0);
  if (!rank.ok()) return rank.status();
  auto world = IntVariable("WORLD_SIZE", true, 1);
  if (!world.ok()) return world.status();
  auto local_rank = IntVariable("LOCAL_RANK", false, 0);
  if (!local_rank.ok()) return local_rank.status();
  auto local_world = IntVariable("LOCAL_WORLD_SIZE", false, 1);
  if (!local_world.ok()) return local_world.status();
  auto port = IntVariable("MASTER_PORT", true, 29500);
  if (!port.ok()) return port.status();
  const char* addr = std::getenv("MASTER_ADDR");
  if (!addr || !*addr) return IntVariable("MASTER_ADDR", true, 0).status();
  env.rank = *rank;
  env.world_size = *world;
  env.local_rank = *local_rank;
  env.local_world_size = std::max(1, *local_world);
  env.master_port = *port;
  env.master_addr = addr;
  const char* agent = std::getenv("TORCHELASTIC_USE_AGENT_STORE");
  env.agent_store = agent && std::string(agent) == "True";
  if (env.world_size < 1) return Status::InvalidArgument("--distributed: WORLD_SIZE must be at least 1");
  if (env.rank >= env.world_size) {
    return Status::InvalidArgument("--distributed: RANK=" + std::to_string(env.rank) + " is not below WORLD_SIZE=" +
                                   std::to_string(env.world_size));
  }
  if (env.master_port < 1 || env.master_port > 65535) {
    return Status::InvalidArgument("--distributed: MASTER_PORT=" + std::to_string(env.master_port) +
                                   " is not a TCP port (1-65535)");
  }
  return env;
}

Group::Group(DistributedEnv env, GroupOptions options)
    : env_(std::move(env)), options_(options), c_(std::make_unique<Connections>()) {}

Group::~Group() {
  stop_beating_.store(true);
  if (beat_thread_.joinable()) beat_thread_.join();
}

Result<std::unique_ptr<Group>> Group::Join(const DistributedEnv& env, const GroupOptions& options) {
  std::unique_ptr<Group> g(new Group(env, options));
  const auto timeout = milliseconds(static_cast<int64_t>(options.timeout_seconds * 1000));
  const std::string where = env.master_addr + ":" + std::to_string(env.master_port);
  std::string doing = "connecting to the store at " + where;
  try {
    // torchrun's agent already holds a store on MASTER_PORT; its workers are
    // clients of it under "/worker", as PyTorch's own workers are.
    auto connect = [&](bool server) -> c10::intrusive_ptr<c10d::Store> {
      c10d::TCPStoreOptions so;
      so.port = static_cast<uint16_t>(env.master_port);
      so.isServer = server;
      so.timeout = timeout;
      if (server || !env.agent_store) so.numWorkers = env.world_size;
      so.waitWorkers = !env.agent_store;
      c10::intrusive_ptr<c10d::Store> s = c10::make_intrusive<c10d::TCPStore>(env.master_addr, so);
      if (env.agent_store) s = c10::make_intrusive<c10d::PrefixStore>("/worker", s);
      return s;
    };
    auto base = connect(!env.agent_store && env.rank == 0);
    g->c_->store = c10::make_intrusive<c10d::PrefixStore>("tunesmith", base);

    doing = "meeting the other " + std::to_string(env.world_size - 1) + " ranks through Gloo";
    auto opts = c10d::ProcessGroupGloo::Options::create(timeout);
    if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname) {
      std::stringstream names(ifname);
      for (std::string name; std::getline(names, name, ',');) {
        opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(name));
      }
    } else if (IsLoopback(env.master_addr)) {
      opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    } else {
      opts->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    }
    opts->threads = 2;
    g->c_->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(c10::make_intrusive<c10d::PrefixStore>("gloo", base),
                                                               env.rank, env.world_size, opts);

    // The heartbeat has a connection of its own: the store client is not
    // meant to be shared between threads.
    doing = "opening the heartbeat connection to " + where;
    c10d::TCPStoreOptions bo;
    bo.port = static_cast<uint16_t>(env.master_port);
    bo.isServer = false;
    bo.waitWorkers = false;
    bo.timeout = timeout;
    c10::intrusive_ptr<c10d::Store> beat = c10::make_intrusive<c10d::TCPStore>(env.master_addr, bo);
    if (env.agent_store) beat = c10::make_intrusive<c10d::PrefixStore>("/worker", beat);
    g->c_->beat_store = c10::make_intrusive<c10d::PrefixStore>("tunesmith", beat);
    g->c_->beat_store->set("beat/" + std::to_string(env.rank), Bytes("0 0"));
  } catch (const std::exception& e) {
    return Status::IOError("--distributed: rank " + std::to_string(env.rank) + " of " + std::to_string(env.world_size) +
                           ": " + doing + " failed within " + std::to_string(static_cast<int>(options.timeout_seconds)) +
                           " s: " + FirstLine(e.what()) + " (HINT: are all ranks started, with the same MASTER_ADDR and "
                           "MASTER_PORT? GLOO_SOCKET_IFNAME picks the network interface)");
  }
  g->beat_thread_ = std::thread([p = g.get()] { p->Beat(); });
  return g;
}

void Group::Beat() {
  int64_t count = 0;
  const std::string key = "beat/" + std::to_string(env_.rank);
  while (!stop_beating_.load()) {
    try {
      ++count;
      c_->beat_store->set(key, Bytes(std::to_string(count) + " " + std::to_string(step_.load())));
    } catch (const std::exception&) {
      return;  // the store is gone; the main thread finds out at its next collective
    }
    for (auto slept = milliseconds(0); slept < kBeatInterval && !stop_beating_.load(); slept += milliseconds(25)) {
      std::this_thread::sleep_for(milliseconds(25));
    }
  }
}

Status Group::Failure(const std::string& doing, const std::string& what) {
  const std::string head = "--distributed: rank " + std::to_string(env_.rank) + ": " + doing + " failed";
  const std::string store_holder = env_.agent_store ? "the torchrun agent's store at " + env_.master_addr + ":" +
                                                          std::to_string(env_.master_port)
                                                    : "rank 0 (it holds the store at " + env_.master_addr + ":" +
                                                          std::to_string(env_.master_port) + ")";
  // Read every other rank's heartbeat twice, kBeatSilence apart.
  std::vector<std::string> first(env_.world_size), second(env_.world_size);
  try {
    c_->store->setTimeout(milliseconds(5000));
    for (int pass = 0; pass < 2; ++pass) {
      if (pass == 1) std::this_thread::sleep_for(kBeatSilence);
      for (int r = 0; r < env_.world_size; ++r) {
        if (r == env_.rank) continue;
        const std::string key = "beat/" + std::to_string(r);
        (pass == 0 ? first : second)[r] = c_->store->check({key}) ? Text(c_->store->get(key)) : "";
      }
    }
  } catch (const std::exception& e) {
    return Status::IOError(head + ": " + store_holder + " stopped answering (killed, or its machine is unreachable): " +
                           FirstLine(e.what()) + "; Gloo said: " + what);
  }
  std::vector<std::string> culprits;
  const int64_t my_step = step_.load();
  for (int r = 0; r < env_.world_size; ++r) {
    if (r == env_.rank) continue;
    int64_t count = 0, step = -1;
    std::istringstream(second[r]) >> count >> step;
    if (second[r].empty() || first[r] == second[r]) {
      culprits.push_back("rank " + std::to_string(r) + " stopped (no heartbeat for " +
                         std::to_string(kBeatSilence.count()) + " ms; last seen at step " + std::to_string(step) +
                         "): killed, crashed or frozen");
    } else if (step < my_step) {
      culprits.push_back("rank " + std::to_string(r) + " is alive but stuck at step " + std::to_string(step) +
                         " while this rank is at step " + std::to_string(my_step));
    }
  }
  std::string who;
  for (const auto& c : culprits) who += (who.empty() ? "" : "; ") + c;
  if (who.empty()) who = "every other rank still beats; the network between them failed";
  return Status::IOError(head + ": " + who + " (Gloo said: " + what + ")");
}

Status Group::Broadcast(const std::vector<torch::Tensor>& tensors) {
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < tensors.size(); ++i) {
    auto t = tensors[i].detach().to(torch::kCPU).contiguous();
    std::vector<at::Tensor> one{t};
    try {
      c_->gloo->broadcast(one)->wait();
    } catch (const std::exception& e) {
      return Failure("broadcasting rank 0's initial weights (tensor " + std::to_string(i) + ")", FirstLine(e.what()));
    }
    tensors[i].copy_(t);
  }
  return Status::Ok();
}

Status Group::SumGradients(const std::vector<torch::Tensor>& params, std::vector<double>* scalars, int64_t step) {
  torch::NoGradGuard no_grad;
  const auto start = Clock::now();
  SetStep(step);
  // The buckets: parameters in order, a new bucket when the next one would
  // overflow this one; the scalars at the end of the last.
  const int64_t cap = std::max<int64_t>(1, options_.bucket_bytes / static_cast<int64_t>(sizeof(float)));
  std::vector<int64_t> bucket_of(params.size()), offset(params.size());
  std::vector<int64_t> sizes{0};
  for (size_t i = 0; i < params.size(); ++i) {
    const int64_t n = params[i].numel();
    if (sizes.back() > 0 && sizes.back() + n > cap) sizes.push_back(0);
    bucket_of[i] = static_cast<int64_t>(sizes.size()) - 1;
    offset[i] = sizes.back();
    sizes.back() += n;
  }
  const int64_t scalar_offset = sizes.back();
  sizes.back() += static_cast<int64_t>(scalars->size());
  if (buckets_.size() != sizes.size()) buckets_.assign(sizes.size(), torch::Tensor());
  for (size_t b = 0; b < sizes.size(); ++b) {
    if (!buckets_[b].defined() || buckets_[b].numel() != sizes[b]) buckets_[b] = torch::empty({sizes[b]}, torch::kFloat);
  }
  for (size_t i = 0; i < params.size(); ++i) {
    auto slice = buckets_[bucket_of[i]].narrow(0, offset[i], params[i].numel());
    const auto& grad = params[i].grad();
    if (grad.defined()) {
      slice.copy_(grad.reshape({-1}));
    } else {
      slice.zero_();
    }
  }
  auto tail = buckets_.back().narrow(0, scalar_offset, static_cast<int64_t>(scalars->size()));
  for (size_t k = 0; k < scalars->size(); ++k) tail[static_cast<int64_t>(k)] = (*scalars)[k];

  // Every bucket's all-reduce is started, then each is waited on.
  try {
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    for (auto& bucket : buckets_) {
      std::vector<at::Tensor> one{bucket};
      works.push_back(c_->gloo->allreduce(one));
    }
    for (auto& w : works) w->wait();
  } catch (const std::exception& e) {
    return Failure("the gradient all-reduce of step " + std::to_string(step), FirstLine(e.what()));
  }

  for (size_t i = 0; i < params.size(); ++i) {
    auto slice = buckets_[bucket_of[i]].narrow(0, offset[i], params[i].numel());
    auto p = params[i];
    if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
    p.grad().copy_(slice.view_as(p.grad()));
  }
  for (size_t k = 0; k < scalars->size(); ++k) (*scalars)[k] = tail[static_cast<int64_t>(k)].item<double>();
  const double took = Since(start);
  allreduce_seconds_ += took;
  allreduce_min_seconds_ = std::min(allreduce_min_seconds_, took);
  ++allreduce_calls_;
  return Status::Ok();
}

Status Group::ShareFromRoot(const std::string& key, std::string* bytes) {
  try {
    if (env_.rank == 0) {
      c_->store->set(key, Bytes(*bytes));
      return Status::Ok();
    }
    // Rank 0 may validate for longer than the timeout: wait while its
    // heartbeat moves (a frozen rank 0 that holds the store makes check() time out).
    std::string last_beat;
    auto last_change = Clock::now();
    while (!c_->store->check({key})) {
      std::this_thread::sleep_for(milliseconds(20));
      const std::string beat = Text(c_->store->get("beat/0"));
      if (beat != last_beat) {
        last_beat = beat;
        last_change = Clock::now();
      } else if (Since(last_change) > options_.timeout_seconds) {
        return Status::IOError("--distributed: rank " + std::to_string(env_.rank) + ": waiting for rank 0 (" + key +
                               "): rank 0's heartbeat stopped " + std::to_string(static_cast<int>(Since(last_change))) +
                               " s ago: killed, crashed or frozen");
      }
    }
    *bytes = Text(c_->store->get(key));
    return Status::Ok();
  } catch (const std::exception& e) {
    return Failure("waiting for rank 0 (" + key + ")", FirstLine(e.what()));
  }
}

Status Group::GatherToRoot(const std::string& key, const std::string& mine, std::vector<std::string>* all) {
  all->clear();
  try {
    if (env_.rank != 0) {
      c_->store->set(key + "/" + std::to_string(env_.rank), Bytes(mine));
      return Status::Ok();
    }
    all->push_back(mine);
    for (int r = 1; r < env_.world_size; ++r) {
      const std::string k = key + "/" + std::to_string(r);
      all->push_back(Text(c_->store->get(k)));  // waits at most the store's timeout
      c_->store->deleteKey(k);
    }
    return Status::Ok();
  } catch (const std::exception& e) {
    return Failure("gathering " + key + " at rank 0", FirstLine(e.what()));
  }
}

Status Group::Barrier(const std::string& what) {
  try {
    c_->gloo->barrier()->wait();
  } catch (const std::exception& e) {
    return Failure(what, FirstLine(e.what()));
  }
  return Status::Ok();
}

}  // namespace tunesmith::train
