#include "generate/generator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

#include "generate/row_parallel.h"
#include "tokens/position.h"

namespace tunesmith::generate {
namespace {

// One tune being sampled: its chain (with the state of the links that
// follow it), and where to roll back to when the guard blocks the bar it is
// writing.
struct Slot {
  Slot(int index, uint64_t seed, const SamplerChain& start, std::vector<int> part_bars)
      : rng(seed), chain(start), where(std::move(part_bars)) {
    out.index = index;
    out.seed = seed;
  }

  // The grammar mask's state; null when sampling without the mask.
  GrammarState* mask() {
    GrammarMaskLink* link = chain.Find<GrammarMaskLink>();
    return link ? &link->state() : nullptr;
  }
  bool in_body() {
    GrammarState* m = mask();
    return m && m->in_body();
  }
  std::string Describe() {
    GrammarState* m = mask();
    return m ? m->Describe() : "no grammar mask, token " + std::to_string(out.tokens.size());
  }
  // The guard gave up on the tune: it follows it on but blocks nothing.
  void StopGuard() {
    guard_on = false;
    if (auto* g = chain.Find<NoveltyGuardLink>()) g->StopBlocking();
  }

  Rng rng;
  SamplerChain chain;
  tokens::PositionTracker where;  // the musical position after the last token (models that read it)
  std::optional<PitchWindow> window;  // the instrument's range in root C, due once the prime is written
  size_t prime_pos = 0;  // next prime token to force
  int32_t input = tokens::kBosId;  // the token the model reads at the next step
  bool guard_on = true;
  SampledTune out;

  // The start of the current bar.
  struct Snapshot {
    SamplerChain chain;
    tokens::PositionTracker where;
    double log_prob = 0;
    int scored = 0;
    size_t tokens = 0;
    int32_t input = 0;
    model::State state;  // the tune's row of the model state before reading `input`
  };
  std::optional<Snapshot> snapshot;
  int retries = 0;  // draws of the current bar so far
};

// What one row's step decided (Generator::GenerateBatch, StepRow).
struct RowStep {
  enum Next { kOn, kRollback, kDone };
  Status status;          // not ok: the whole call fails with it
  Next next = kOn;        // kRollback: the guard blocked the bar; kDone: the tune ended
  bool snapshot = false;  // a new snapshot was taken: its model state is due (SaveRow)
};

// Rows per thread below which a step's rows run on one thread: waking a
// thread costs more than the sampler chain of a few rows.
constexpr int64_t kMinRowsPerWorker = 4;

// log softmax(logits)[id], in nats.
double LogProb(const float* logits, int64_t V, int32_t id) {
  float top = logits[0];
  for (int64_t v = 1; v < V; ++v) top = std::max(top, logits[v]);
  double sum = 0;
  for (int64_t v = 0; v < V; ++v) sum += std::exp(static_cast<double>(logits[v] - top));
  return static_cast<double>(logits[id] - top) - std::log(sum);
}

// The header is drawn: the tune's key, from the plan (or the table, by its
// rhythm and mode), and the instrument's range moved into root C.
void ChooseKey(const KeyPlan& plan, Slot& s) {
  const std::vector<std::string>& t = s.out.tokens;  // <s> M: K: R:
  if (plan.tonic) {
    s.out.tonic = *plan.tonic;
  } else if (plan.table && t.size() >= 4) {
    s.out.tonic = plan.table->Draw(t[3], t[2], s.rng);
  } else {
    s.out.tonic = tokens::NoteName{};
  }
  if (plan.instrument) s.window = BodyWindow(*plan.instrument, ShiftFromC(s.out.tonic));
}

// The window takes effect once the prime (kept as the user wrote it) is done.
Status ApplyWindow(Slot& s, const std::string& instrument) {
  if (!s.window) return Status::Ok();
  Status st = s.mask()->SetPitchRange(s.window->lowest, s.window->highest);
  s.window.reset();
  if (!st.ok()) return st.WithPrefix("the " + instrument + "'s range cannot hold the tune: ");
  return Status::Ok();
}

}  // namespace

Generator::Generator(std::shared_ptr<model::LanguageModel> model, std::shared_ptr<const GrammarRules> rules,
                     const NoveltyGuard* guard)
    : model_(std::move(model)), rules_(std::move(rules)), guard_(guard), vocab_(&rules_->vocabulary()) {}

Generator::Generator(std::shared_ptr<model::LanguageModel> model, tokens::Vocabulary vocab)
    : model_(std::move(model)),
      guard_(nullptr),
      own_vocab_(std::make_shared<const tokens::Vocabulary>(std::move(vocab))),
      vocab_(own_vocab_.get()) {}

Result<std::vector<SampledTune>> Generator::Generate(const GenerateOptions& options,
                                                     const std::function<void(int, int)>& progress) const {
  if (options.grammar_mask && !rules_) return Status::InvalidArgument("the grammar mask needs grammar rules (an abc-token model)");
  if (!options.grammar_mask && !options.prime.empty()) return Status::InvalidArgument("a prime needs the grammar mask");
  // The prime must fit the grammar after some header: check it once, up front.
  if (!options.prime.empty()) {
    const GrammarOptions& g = rules_->options();
    if (g.meter.empty() || g.mode.empty()) return Status::InvalidArgument("a prime needs the meter and the mode fixed");
    if (Status s = CheckPrimeFits(rules_.get(), options.prime); !s.ok()) return s.WithPrefix("--prime does not fit: ");
  }
  // Every candidate of every tune, in batches; then the best of each tune.
  const int K = std::max(1, options.candidates);
  std::vector<int> indices;
  std::vector<uint64_t> seeds;
  for (int i = 0; i < options.count; ++i) {
    const uint64_t tune_seed = options.seed + static_cast<uint64_t>(i);
    for (int j = 0; j < K; ++j) {
      indices.push_back(i);
      seeds.push_back(j == 0 ? tune_seed : CandidateSeed(tune_seed, j));
    }
  }
  std::vector<std::optional<SampledTune>> best(options.count);
  std::vector<int> drawn(options.count, 0);
  int finished = 0;
  const size_t batch = static_cast<size_t>(std::max(1, options.batch_size));
  for (size_t first = 0; first < indices.size(); first += batch) {
    const size_t n = std::min(batch, indices.size() - first);
    auto part = GenerateBatch(options, std::vector<int>(indices.begin() + first, indices.begin() + first + n),
                              std::vector<uint64_t>(seeds.begin() + first, seeds.begin() + first + n), [&](int i) {
                                if (++drawn[i] < K) return;
                                ++finished;
                                if (progress) progress(finished, options.count);
                              });
    if (!part.ok()) return part.status();
    for (auto& t : part.value()) {
      auto mean = [](const SampledTune& x) { return x.scored > 0 ? x.log_prob / x.scored : 0.0; };
      std::optional<SampledTune>& b = best[t.index];
      if (!b || mean(t) > mean(*b)) b = std::move(t);
    }
  }
  std::vector<SampledTune> tunes;
  tunes.reserve(options.count);
  for (auto& b : best) {
    b->candidates = K;
    b->seed = options.seed + static_cast<uint64_t>(b->index);  // the tune's own seed, whichever candidate won
    tunes.push_back(std::move(*b));
  }
  return tunes;
}

uint64_t CandidateSeed(uint64_t tune_seed, int j) {
  // splitmix64 of (seed, j): far from seed + k for any small k.
  uint64_t z = tune_seed ^ (0x9e3779b97f4a7c15ull * static_cast<uint64_t>(j));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

SamplerChain TuneChain(const GrammarRules* rules, const NoveltyGuard* guard, const SamplingOptions& sampling) {
  SamplerChain chain;
  if (rules) {
    chain.Add(std::make_unique<GrammarMaskLink>(rules));
    if (guard) chain.Add(std::make_unique<NoveltyGuardLink>(guard, rules));
  } else {
    chain.Add(std::make_unique<SpecialsLink>());
  }
  return chain.AddSampling(sampling);
}

int DefaultMaxTokens(const tokens::Vocabulary& vocab) {
  return vocab.kind() == tokens::TokenizerKind::kChar ? 4000 : 1500;
}

Result<std::vector<SampledTune>> Generator::GenerateBatch(const GenerateOptions& options, const std::vector<int>& indices,
                                                          const std::vector<uint64_t>& seeds,
                                                          const std::function<void(int)>& finished) const {
  const int count = static_cast<int>(indices.size());
  torch::NoGradGuard no_grad;
  const bool masked = options.grammar_mask;
  const GrammarRules* rules = masked ? rules_.get() : nullptr;
  const NoveltyGuard* guard = masked ? guard_ : nullptr;
  const tokens::Vocabulary& vocab = *vocab_;
  const int32_t eos = vocab.Id("</s>");
  const int cap = options.max_tokens > 0 ? options.max_tokens : DefaultMaxTokens(vocab);
  const SamplerChain start = TuneChain(rules, guard, options.sampling);
  // The bars of each part as the structure asks (unknown in free form, and without the mask).
  std::vector<int> part_bars;
  if (rules) part_bars.assign(rules->options().structure.parts.size(), rules->options().structure.bars_per_part);
  const torch::Device device = model_->device();

  auto begin = [&](Slot& s) {
    s.where.Push("<s>", tokens::kBosId);
    s.out.tokens.push_back("<s>");
    if (!masked) s.out.tonic = options.keys.tonic.value_or(tokens::NoteName{});
  };
  std::vector<Slot> slots;
  slots.reserve(count);
  for (int i = 0; i < count; ++i) {
    slots.emplace_back(indices[i], seeds[i], start, part_bars);
    begin(slots.back());
  }
  const int64_t P = static_cast<int64_t>(model_->config().positions.size());
  std::vector<int> active(count);  // row r of the batch is slots[active[r]]
  for (int i = 0; i < count; ++i) active[i] = i;
  model::State state = model_->InitialState(count);
  const model::State zero = model_->InitialState(1);

  // One row's step, given its logits: draw or force the token, take it, and
  // say what comes next. Touches nothing but the slot (and `scratch`, its
  // worker's own): rows run in parallel. The model's state of a new
  // snapshot is filled in afterwards (RowStep::snapshot).
  auto StepRow = [&](Slot& s, std::span<const float> logits, Candidates* scratch) -> RowStep {
    RowStep step;
    ++s.out.steps;
    int32_t id = -1;
    const bool priming = s.in_body() && s.prime_pos < options.prime.size();
    if (priming) {
      id = vocab.Id(options.prime[s.prime_pos++]);
    } else {
      const SamplerChain::Outcome drawn = s.chain.Run(logits, s.rng, scratch);
      if (drawn.verdict == LinkVerdict::kBlocked) {
        step.next = RowStep::kRollback;  // only a bar line could come: draw the bar again
        return step;
      }
      if (drawn.id < 0) {
        const std::string link = drawn.stopped_by ? drawn.stopped_by->name() : "sampler chain";
        step.status = Status::Corruption("the " + link + " allows no token (a bug): " + s.Describe());
        return step;
      }
      id = drawn.id;
      s.out.log_prob += LogProb(logits.data(), static_cast<int64_t>(logits.size()), id);
      ++s.out.scored;
    }
    const bool was_in_body = s.in_body();
    if (Status st = s.chain.Accept(id); !st.ok()) {
      step.status = st;
      return step;
    }
    const std::string& token = vocab.Token(id);
    if (rules && rules->info(id).valid) {
      s.where.Push(rules->info(id).token, id);
    } else {
      s.where.Push(token, id);
    }
    s.out.tokens.push_back(token);
    if (!was_in_body && s.in_body()) ChooseKey(options.keys, s);
    s.input = id;
    if (priming && s.prime_pos == options.prime.size()) s.mask()->CloseDuration();
    if (s.window && s.in_body() && s.prime_pos == options.prime.size()) {
      if (Status st = ApplyWindow(s, options.keys.instrument->name); !st.ok()) {
        step.status = st;
        return step;
      }
    }
    if (id == eos) {
      s.out.finished = true;
      step.next = RowStep::kDone;
      return step;
    }
    if (!masked) {
      // Without the mask nothing bounds a tune: it stops here, unfinished.
      if (static_cast<int64_t>(s.out.tokens.size()) > cap) step.next = RowStep::kDone;
      return step;
    }
    if (static_cast<int64_t>(s.out.tokens.size()) > rules->MaxTokens()) {
      step.status = Status::Corruption("a tune ran past the mask's bound of " + std::to_string(rules->MaxTokens()) +
                                       " tokens (a bug): " + s.Describe());
      return step;
    }
    // A new bar (or the end of the prime) is a point to roll back to.
    const bool prime_done = s.prime_pos == options.prime.size();
    if (prime_done && s.in_body() && (s.mask()->at_bar_start() || (priming && !s.snapshot))) {
      s.snapshot = Slot::Snapshot{s.chain, s.where, s.out.log_prob, s.out.scored, s.out.tokens.size(), s.input,
                                  model::State{}};
      s.retries = 0;
      step.snapshot = true;
    }
    return step;
  };

  std::vector<Candidates> scratch(RowWorkers());
  std::vector<RowStep> steps;
  std::vector<int64_t> inputs, where;
  std::vector<int> rollback;  // rows whose bar is to be drawn again
  using Clock = std::chrono::steady_clock;
  const auto seconds_since = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  GenerateProfile* profile = options.profile;
  while (!active.empty()) {
    const int64_t B = static_cast<int64_t>(active.size());
    const auto step_started = Clock::now();
    inputs.resize(B);
    for (int64_t r = 0; r < B; ++r) inputs[r] = slots[active[r]].input;
    torch::Tensor ids = torch::from_blob(inputs.data(), {B}, torch::kInt64).to(device);
    torch::Tensor positions;
    if (P > 0) {
      where.resize(B * P);
      for (int64_t r = 0; r < B; ++r) {
        const tokens::Position p = slots[active[r]].where.current();
        for (int64_t f = 0; f < P; ++f) where[r * P + f] = p[f];
      }
      positions = torch::from_blob(where.data(), {B, P}, torch::kInt64).to(device);
    }
    torch::Tensor logits = model_->Step(ids, &state, positions).to(torch::kCPU, torch::kFloat).contiguous();
    const float* data = logits.data_ptr<float>();
    const int64_t V = logits.size(1);
    const auto rows_started = Clock::now();
    if (profile) {
      profile->network_seconds += std::chrono::duration<double>(rows_started - step_started).count();
      ++profile->steps;
      profile->row_steps += B;
    }

    // Every row draws (or is forced) its next token and takes it. Rows share
    // nothing but read-only rules, guard and logits, so they run in parallel
    // (row_parallel.h); what touches the model's state (snapshots,
    // rollbacks, dropping finished rows) follows here, in row order.
    steps.assign(B, RowStep{});
    ForEachRow(B, kMinRowsPerWorker, [&](int64_t r, int worker) {
      steps[r] = StepRow(slots[active[r]], std::span<const float>(data + r * V, V), &scratch[worker]);
    });
    const auto serial_started = Clock::now();
    if (profile) profile->rows_seconds += std::chrono::duration<double>(serial_started - rows_started).count();
    rollback.clear();
    std::vector<char> done(B, 0);
    for (int64_t r = 0; r < B; ++r) {
      if (!steps[r].status.ok()) return steps[r].status;  // the first row's error, as a serial loop would
      switch (steps[r].next) {
        case RowStep::kOn: break;
        case RowStep::kRollback: rollback.push_back(static_cast<int>(r)); break;
        case RowStep::kDone: done[r] = 1; break;
      }
      // A new bar (or the end of the prime) is a point to roll back to: the row's model state goes with it.
      if (steps[r].snapshot) slots[active[r]].snapshot->state = model_->SaveRow(state, r);
    }

    for (int r : rollback) {
      Slot& s = slots[active[r]];
      ++s.out.bar_retries;
      bool restart = false;
      if (++s.retries > options.guard.max_bar_retries || !s.snapshot) {
        if (++s.out.restarts > options.guard.max_restarts) {
          // Keep the tune and finish it without the guard (reported).
          s.StopGuard();
          s.out.guard_gave_up = true;
          restart = !s.snapshot;
        } else {
          restart = true;
        }
      }
      if (restart) {
        // A fresh start is a new tune: the generator draws on, the counters stay.
        Slot fresh(s.out.index, s.out.seed, start, part_bars);
        fresh.rng = s.rng;
        fresh.out.steps = s.out.steps;
        fresh.out.bar_retries = s.out.bar_retries;
        fresh.out.restarts = s.out.restarts;
        fresh.out.guard_gave_up = s.out.guard_gave_up;
        if (!s.guard_on) fresh.StopGuard();
        begin(fresh);
        s = std::move(fresh);
        model_->RestoreRow(&state, r, zero);
        continue;
      }
      // Back to the start of the bar: the model reads the bar line again.
      const Slot::Snapshot& snap = *s.snapshot;
      s.chain = snap.chain;
      if (!s.guard_on) s.StopGuard();
      s.where = snap.where;
      s.out.log_prob = snap.log_prob;
      s.out.scored = snap.scored;
      s.out.tokens.resize(snap.tokens);
      s.input = snap.input;
      model_->RestoreRow(&state, r, snap.state);
    }

    if (std::find(done.begin(), done.end(), 1) != done.end()) {
      std::vector<int64_t> keep;
      std::vector<int> next_active;
      for (int64_t r = 0; r < B; ++r) {
        Slot& s = slots[active[r]];
        if (done[r]) {
          if (guard && guard->index()) {
            s.out.longest_guarded_run = s.chain.Find<NoveltyGuardLink>()->tracker().longest().length;
          }
          finished(s.out.index);
        } else {
          keep.push_back(r);
          next_active.push_back(active[r]);
        }
      }
      active = std::move(next_active);
      if (!active.empty()) {
        state = state.Select(torch::tensor(keep, torch::kInt64).to(device));
      }
    }
    if (profile) profile->serial_seconds += seconds_since(serial_started);
  }
  std::vector<SampledTune> out;
  out.reserve(count);
  for (Slot& s : slots) out.push_back(std::move(s.out));
  return out;
}

}  // namespace tunesmith::generate
