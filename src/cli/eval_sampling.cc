#include "cli/eval_sampling.h"

#include <algorithm>
#include <chrono>
#include <unordered_set>

#include <torch/torch.h>

#include "generate/generator.h"
#include "generate/grammar_mask.h"
#include "generate/novelty_guard.h"
#include "generate/title.h"
#include "generate/tune_output.h"
#include "tokens/position.h"

namespace tunesmith::cli {
namespace {

// The rhythm a tune's header names ("jig"), for its title; "other" when none.
std::string RhythmOf(const std::vector<std::string>& tokens, tokens::TokenizerKind kind) {
  if (kind == tokens::TokenizerKind::kAbcToken) {
    for (const std::string& t : tokens) {
      if (t.rfind("R:", 0) == 0) return t.substr(2);
    }
    return "other";
  }
  std::string text;
  for (const std::string& t : tokens) text += t;
  const size_t r = text.find("R:");
  if (r == std::string::npos) return "other";
  const size_t end = text.find('\n', r);
  std::string rhythm = text.substr(r + 2, end == std::string::npos ? std::string::npos : end - r - 2);
  std::transform(rhythm.begin(), rhythm.end(), rhythm.begin(), [](unsigned char c) { return std::tolower(c); });
  return rhythm;
}

// The meter a tune's header names ("6/8"), for its title; "" when none.
std::string MeterOf(const std::vector<std::string>& tokens, tokens::TokenizerKind kind) {
  if (kind == tokens::TokenizerKind::kAbcToken) {
    for (const std::string& t : tokens) {
      if (t.rfind("M:", 0) == 0) return t.substr(2);
    }
    return "";
  }
  std::string text;
  for (const std::string& t : tokens) text += t;
  const size_t m = text.find("M:");
  if (m == std::string::npos) return "";
  const size_t end = text.find('\n', m);
  return text.substr(m + 2, end == std::string::npos ? std::string::npos : end - m - 2);
}

// Plain sampling: the model's distribution through temperature, top-k and
// top-p, then a draw; the specials that never follow in a tune (<pad>, <s>,
// <unk>) are the only tokens held back. Batches of options.batch_size tunes.
std::vector<EvalSample> SamplePlainly(model::LanguageModel& model, const tokens::Vocabulary& vocab,
                                      const EvalSamplingOptions& options) {
  torch::NoGradGuard no_grad;
  const int cap = options.max_plain_tokens > 0                                ? options.max_plain_tokens
                  : vocab.kind() == tokens::TokenizerKind::kChar ? 4000
                                                                              : 1500;
  const generate::SamplerChain chain(options.sampling);
  std::vector<uint8_t> allowed(vocab.size(), 1);
  for (int32_t id : {tokens::kPadId, tokens::kBosId, tokens::kUnkId}) allowed[id] = 0;
  const torch::Device device = model.device();

  std::vector<EvalSample> out(options.count);
  const int batch = std::max(1, options.batch_size);
  for (int first = 0; first < options.count; first += batch) {
    const int n = std::min(batch, options.count - first);
    std::vector<generate::Rng> rngs;
    std::vector<int64_t> inputs(n, tokens::kBosId);
    for (int i = 0; i < n; ++i) {
      EvalSample& s = out[first + i];
      s.index = first + i;
      s.seed = options.seed + static_cast<uint64_t>(s.index);
      s.tokens.push_back("<s>");
      rngs.emplace_back(s.seed);
    }
    std::vector<int> active(n);  // row r of the batch is tune first + active[r]
    for (int i = 0; i < n; ++i) active[i] = i;
    model::State state = model.InitialState(n);
    // A model that reads musical positions gets them as in free form (no structure).
    const int64_t P = static_cast<int64_t>(model.config().positions.size());
    std::vector<tokens::PositionTracker> where(n);
    for (auto& w : where) w.Push("<s>", tokens::kBosId);
    while (!active.empty()) {
      const int64_t B = static_cast<int64_t>(active.size());
      std::vector<int64_t> ids(B), pos(B * P);
      for (int64_t r = 0; r < B; ++r) {
        ids[r] = inputs[active[r]];
        const tokens::Position p = where[active[r]].current();
        for (int64_t f = 0; f < P; ++f) pos[r * P + f] = p[f];
      }
      torch::Tensor positions;
      if (P > 0) positions = torch::from_blob(pos.data(), {B, P}, torch::kInt64).to(device);
      torch::Tensor logits = model.Step(torch::from_blob(ids.data(), {B}, torch::kInt64).to(device), &state, positions)
                                 .to(torch::kCPU, torch::kFloat)
                                 .contiguous();
      const float* data = logits.data_ptr<float>();
      const int64_t V = logits.size(1);
      std::vector<int64_t> keep;
      std::vector<int> next;
      for (int64_t r = 0; r < B; ++r) {
        const int i = active[r];
        EvalSample& s = out[first + i];
        const int id = chain.Sample(std::span<const float>(data + r * V, V), allowed, rngs[i]);
        s.tokens.push_back(vocab.Token(id));
        if (P > 0) where[i].Push(vocab.Token(id), id);
        inputs[i] = id;
        if (id == tokens::kEosId) {
          s.finished = true;
        } else if (static_cast<int>(s.tokens.size()) <= cap) {
          keep.push_back(r);
          next.push_back(i);
        }
      }
      if (keep.size() != static_cast<size_t>(B) && !keep.empty()) {
        state = state.Select(torch::tensor(keep, torch::kInt64).to(device));
      }
      active = std::move(next);
    }
  }
  return out;
}

// The tune's text as a user gets it: abc-token tunes in the key drawn for
// them (C for a model without a key table); char tunes
// are already ABC from M: on and get X: and T: in front.
void WriteText(EvalSample& s, tokens::TokenizerKind kind) {
  if (kind == tokens::TokenizerKind::kChar) {
    std::string body;
    for (size_t i = 1; i < s.tokens.size(); ++i) {
      if (s.tokens[i] == "</s>") break;
      body += s.tokens[i];
    }
    if (body.empty() || body.back() != '\n') body += '\n';
    s.abc = "X:" + std::to_string(s.index + 1) + "\nT:" + s.title + "\n" + body;
    return;
  }
  generate::TuneTextOptions text;
  text.tonic = s.tonic;
  text.x = s.index + 1;
  text.title = s.title;
  text.provenance = "tunesmith eval, seed " + std::to_string(s.seed);
  auto written = generate::WriteGeneratedTune(s.tokens, text);
  if (written.ok()) {
    s.abc = written->abc;
  } else {
    s.write_error = written.status().message();
  }
}

}  // namespace

Result<EvalSampling> SampleForEval(const model::LoadedModel& loaded,
                                   std::shared_ptr<const corpus::NoveltyIndex> guard_index,
                                   const std::vector<std::string>& avoid_titles, const EvalSamplingOptions& options) {
  const tokens::Vocabulary& vocab = loaded.vocabulary;
  const tokens::TokenizerKind kind = vocab.kind();
  const bool masked = kind == tokens::TokenizerKind::kAbcToken && options.grammar_mask;
  EvalSampling result;
  const auto start = std::chrono::steady_clock::now();
  try {
    if (masked) {
      generate::GrammarOptions grammar;
      grammar.structure = options.structure;
      auto rules = generate::GrammarRules::Make(vocab, grammar);
      if (!rules.ok()) return rules.status();
      const bool guarded = guard_index && options.novelty_threshold > 0;
      generate::NoveltyGuard guard(guarded ? guard_index : nullptr, std::max(1, options.novelty_threshold));
      generate::Generator generator(loaded.model, *rules, guarded ? &guard : nullptr);
      generate::GenerateOptions g;
      g.count = options.count;
      g.seed = options.seed;
      g.sampling = options.sampling;
      g.batch_size = options.batch_size;
      g.candidates = options.candidates;
      // Keys and range as `generate` chooses them.
      auto table = generate::KeyTableFromExtras(loaded.checkpoint.extras);
      if (!table.ok()) return table.status();
      if (table->has_value()) g.keys.table = &**table;
      if (!options.instrument.empty()) {
        auto instrument = generate::FindInstrument(options.instrument);
        if (!instrument.ok()) return instrument.status();
        g.keys.instrument = *instrument;
      }
      auto tunes = generator.Generate(g);
      if (!tunes.ok()) return tunes.status();
      for (generate::SampledTune& t : *tunes) {
        EvalSample s;
        s.index = t.index;
        s.seed = t.seed;
        s.tokens = std::move(t.tokens);
        s.tonic = t.tonic;
        s.finished = !s.tokens.empty() && s.tokens.back() == "</s>";
        s.bar_retries = t.bar_retries;
        s.restarts = t.restarts;
        s.guard_gave_up = t.guard_gave_up;
        result.tunes.push_back(std::move(s));
      }
      result.method = guarded ? "grammar mask + novelty guard (" + std::to_string(options.novelty_threshold) + " bars)"
                              : "grammar mask";
    } else {
      result.tunes = SamplePlainly(*loaded.model, vocab, options);
      result.method = "plain (no grammar mask)";
    }
  } catch (const c10::Error& e) {
    return Status::Error(std::string("sampling failed in LibTorch: ") + e.what_without_backtrace());
  }

  std::unordered_set<std::string> avoid;
  for (const std::string& t : avoid_titles) avoid.insert(generate::TitleMaker::TitleKey(t));
  generate::TitleMaker titles(std::move(avoid));  // never the same title twice in a run
  for (EvalSample& s : result.tunes) {
    s.title = titles.Make(s.seed, RhythmOf(s.tokens, kind), MeterOf(s.tokens, kind));
    WriteText(s, kind);
    result.tokens += static_cast<int64_t>(s.tokens.size()) - 1;
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace tunesmith::cli
