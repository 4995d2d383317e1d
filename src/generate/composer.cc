#include "generate/composer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>
#include <unordered_set>

#include <torch/torch.h>

#include "generate/conditioning.h"
#include "generate/generator.h"
#include "generate/grammar_mask.h"
#include "generate/instrument.h"
#include "generate/key_choice.h"
#include "generate/model_path.h"
#include "generate/title.h"
#include "model/load_model.h"
#include "tokens/abc_token.h"

namespace tunesmith::generate {
namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Numbers as the N: line writes them ("0.8", "1").
std::string Num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

std::string Quote(const std::string& s) {
  if (!s.empty() && s.find_first_of(" \t\"'\\|$&;<>()") == std::string::npos) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The flags of `tunesmith generate` that make the tune of `seed` again.
std::string CommandFlags(const ComposeRequest& r, const std::string& model_shown, uint64_t seed) {
  std::string s = "--model " + Quote(model_shown) + " --seed " + std::to_string(seed);
  s += " --temperature " + Num(r.sampling.temperature) + " --top-k " + std::to_string(r.sampling.top_k) + " --top-p " +
       Num(r.sampling.top_p);
  if (!r.meter.empty()) s += " --meter " + Quote(r.meter);
  if (!r.mode.empty()) s += " --mode " + Quote(r.mode);
  if (!r.rhythm.empty()) s += " --rhythm " + Quote(r.rhythm);
  if (!r.key.empty()) s += " --key " + Quote(r.key);
  if (r.instrument != "fiddle") s += " --instrument " + Quote(r.instrument);
  if (!r.parts.empty()) s += " --parts " + r.parts;
  if (r.bars > 0) s += " --bars " + std::to_string(r.bars);
  if (!r.prime.empty()) s += " --prime " + Quote(r.prime);
  if (r.candidates != 1) s += " --candidates " + std::to_string(r.candidates);
  if (!r.chords) s += " --no-chords";
  if (r.novelty_threshold == 0) {
    s += " --no-novelty-guard";
  } else if (r.novelty_threshold != kDefaultNoveltyThreshold) {
    s += " --novelty-threshold " + std::to_string(r.novelty_threshold);
  }
  if (r.min_bars != kDefaultMinBars) s += " --min-bars " + std::to_string(r.min_bars);
  if (r.max_length != kDefaultMaxLength) s += " --max-length " + std::to_string(r.max_length);
  return s;
}

// A header field of a sampled tune ("R:" -> "jig"), from its tokens (abc-token)
// or its text (char); "" when it has none.
std::string HeaderField(const std::vector<std::string>& tokens, tokens::TokenizerKind kind, const std::string& field) {
  if (kind == tokens::TokenizerKind::kAbcToken) {
    for (const std::string& t : tokens) {
      if (t.rfind(field, 0) == 0) return t.substr(field.size());
    }
    return "";
  }
  std::string text;
  for (const std::string& t : tokens) text += t;
  const size_t at = text.find(field);
  if (at == std::string::npos) return "";
  const size_t end = text.find('\n', at);
  return text.substr(at + field.size(), end == std::string::npos ? std::string::npos : end - at - field.size());
}

std::string RhythmOf(const std::vector<std::string>& tokens, tokens::TokenizerKind kind) {
  std::string rhythm = HeaderField(tokens, kind, "R:");
  if (rhythm.empty()) return "other";
  if (kind == tokens::TokenizerKind::kChar) {
    std::transform(rhythm.begin(), rhythm.end(), rhythm.begin(), [](unsigned char c) { return std::tolower(c); });
  }
  return rhythm;
}

// A char model's tune is already ABC from M: on: it gets X: and T: in front.
std::string CharTuneText(const ComposedTune& s) {
  std::string body;
  for (size_t i = 1; i < s.tokens.size(); ++i) {
    if (s.tokens[i] == "</s>") break;
    body += s.tokens[i];
  }
  if (body.empty() || body.back() != '\n') body += '\n';
  return "X:" + std::to_string(s.index + 1) + "\nT:" + s.title + "\n" + body;
}

// The prime fed to a fresh grammar state after the header, as the generator
// checks it: the first token that does not fit, or Ok.
// A fragment that does not fit where the form starts: say what to write
// instead (AABB opens with a repeat sign, so '|:GABc', not 'GABc') rather
// than the position of a token.
Status PrimeFitsForm(const std::vector<std::string>& prime, const GrammarRules* rules, const ComposeRequest& r,
                     const std::string& form) {
  if (prime.empty()) return Status::Ok();
  Status as_given = CheckPrimeFits(rules, prime);
  if (as_given.ok()) return as_given;
  if (prime.front() != "|:") {
    std::vector<std::string> opened = {"|:"};
    opened.insert(opened.end(), prime.begin(), prime.end());
    if (CheckPrimeFits(rules, opened).ok()) {
      return Status::InvalidArgument("--prime '" + r.prime + "': the form (" + form +
                                     ") starts with a repeated part, so the fragment must start with its repeat "
                                     "sign: write --prime '|:" + r.prime + "' (or choose --parts AB or --parts free)");
    }
  }
  return as_given.WithPrefix("--prime '" + r.prime + "' does not fit the start of the form (" + form +
                             "): write the first bars of the tune's first part, without closing it (or choose "
                             "--parts free, or --parts and --bars that hold the fragment): ");
}

}  // namespace

struct Composer::Impl {
  model::LoadedModel loaded;
  ModelSummary summary;
  std::optional<KeyTable> key_table;
  std::shared_ptr<const corpus::NoveltyIndex> index;
  NoveltySource source = NoveltySource::kNone;
  int unindexed = 0;
  std::vector<std::string> notes;
};

Composer::Composer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Composer::~Composer() = default;

Result<std::unique_ptr<Composer>> Composer::Open(const std::string& model_path, const corpus::Corpus* corpus) {
  auto impl = std::make_unique<Impl>();
  std::string path = model_path;
  impl->summary.shown = model_path;
  if (path.empty()) {
    auto found = FindDefaultModel();
    if (!found.ok()) return found.status();
    path = *found;
    impl->summary.shown = "models/default.ckpt";
  }
  auto loaded = model::LoadModel(path, torch::kCPU);
  if (!loaded.ok()) return loaded.status();
  impl->loaded = std::move(*loaded);
  const model::ModelConfig& config = impl->loaded.model->config();
  ModelSummary& m = impl->summary;
  m.path = path;
  m.architecture = model::ModelTypeName(config.type);
  m.tokenizer = tokens::TokenizerKindName(impl->loaded.vocabulary.kind());
  for (const auto& p : impl->loaded.model->parameters()) m.parameters += p.numel();
  m.layers = config.layers;
  m.hidden = config.hidden;
  m.vocab_size = static_cast<int>(impl->loaded.vocabulary.size());
  m.config = model::ModelConfigToJson(config);
  m.corpus_fingerprint = impl->loaded.checkpoint.corpus_fingerprint;

  auto table = KeyTableFromExtras(impl->loaded.checkpoint.extras);
  if (!table.ok()) return table.status().WithPrefix(path + ": ");
  impl->key_table = std::move(*table);

  // The novelty index: the checkpoint's (the model's own training split),
  // else one of the corpus's train split, else none.
  auto stored = NoveltyIndexFromExtras(impl->loaded.checkpoint.extras);
  if (!stored.ok()) {
    if (!corpus) return stored.status().WithPrefix(path + ": ");
    impl->notes.push_back("the checkpoint's novelty index is damaged (" + stored.status().message() +
                          "); using the corpus's train split");
  } else if (stored->has_value() && ((*stored)->has_notes() || !corpus)) {
    impl->index = std::make_shared<const corpus::NoveltyIndex>(std::move(**stored));
    impl->source = NoveltySource::kCheckpoint;
  }
  if (!impl->index && corpus) {
    impl->index = std::make_shared<const corpus::NoveltyIndex>(
        corpus::BuildNoveltyIndex(*corpus, corpus::Split::kTrain, &impl->unindexed));
    impl->source = NoveltySource::kCorpus;
  }
  if (!impl->index) {
    impl->notes.push_back(
        "the model carries no novelty index and no corpus was given: the novelty guard is off and novelty is "
        "reported as unknown");
  }
  return std::unique_ptr<Composer>(new Composer(std::move(impl)));
}

const ModelSummary& Composer::model() const { return impl_->summary; }
const tokens::Vocabulary& Composer::vocabulary() const { return impl_->loaded.vocabulary; }
const model::LoadedModel& Composer::loaded() const { return impl_->loaded; }
std::shared_ptr<const corpus::NoveltyIndex> Composer::novelty_index() const { return impl_->index; }
NoveltySource Composer::novelty_source() const { return impl_->source; }
int Composer::unindexed() const { return impl_->unindexed; }
const std::vector<std::string>& Composer::notes() const { return impl_->notes; }

Result<Composition> Composer::Compose(const ComposeRequest& request,
                                      const std::function<void(int, int)>& progress) const {
  std::vector<ComposedTune> tunes;
  auto c = ComposeEach(
      request,
      [&tunes](ComposedTune& t, const Composition&) {
        tunes.push_back(std::move(t));
        return true;
      },
      progress);
  if (!c.ok()) return c.status();
  c->tunes = std::move(tunes);
  return c;
}

Result<Composition> Composer::ComposeEach(const ComposeRequest& request, const TuneSink& sink,
                                          const std::function<void(int, int)>& progress) const {
  if (Status s = ValidateComposeRequest(request); !s.ok()) return s;
  const tokens::Vocabulary& vocab = impl_->loaded.vocabulary;
  const tokens::TokenizerKind kind = vocab.kind();

  Composition c;
  c.seed_drawn = !request.seed.has_value();
  c.seed = request.seed ? *request.seed : std::random_device{}() ^ (uint64_t{std::random_device{}()} << 32);
  c.instrument = request.instrument;
  const bool masked = kind == tokens::TokenizerKind::kAbcToken && request.grammar_mask;

  // The titles: never one of a training tune's, never the same twice in a run.
  std::unordered_set<std::string> taken;
  if (impl_->index) {
    for (int i = 0; i < impl_->index->size(); ++i) taken.insert(TitleMaker::TitleKey(impl_->index->tune(i).title));
  }
  TitleMaker titles(std::move(taken));

  GenerateOptions options;
  options.count = request.count;
  options.seed = c.seed;
  options.sampling = request.sampling;
  options.batch_size = request.batch_size;
  std::unique_ptr<Generator> generator;
  // Turns one sampled tune into a composed one (written, checked, measured).
  std::function<Status(SampledTune&, ComposedTune*)> finish;
  // The form and key options below outlive the generator, which keeps pointers to them.
  GrammarOptions grammar;
  const std::optional<KeyTable>& key_table = impl_->key_table;
  std::optional<NoveltyGuard> guard;
  std::shared_ptr<const GrammarRules> grammar_rules;

  if (!masked) {
    // The network alone: temperature, top-k, top-p and a draw; a tune stops
    // at </s> or at the cap (1,500 tokens, 4,000 characters).
    generator = std::make_unique<Generator>(impl_->loaded.model, vocab);
    options.grammar_mask = false;
    c.method = "plain (no grammar mask)";
    c.structure = "free form";
    finish = [&](SampledTune& t, ComposedTune* out) -> Status {
      out->index = t.index;
      out->seed = t.seed;
      out->tokens = std::move(t.tokens);
      out->finished = t.finished;
      out->steps = t.steps;
      out->bits_per_token = t.scored > 0 ? -t.log_prob / t.scored / std::log(2.0) : 0.0;
      out->title = titles.Make(out->seed, RhythmOf(out->tokens, kind), HeaderField(out->tokens, kind, "M:"));
      out->command = CommandFlags(request, impl_->summary.shown, out->seed);
      if (kind == tokens::TokenizerKind::kChar) {
        out->abc = CharTuneText(*out);
      } else {
        TuneTextOptions text;
        text.x = out->index + 1;
        text.title = out->title;
        text.provenance = request.provenance.empty() ? "tunesmith generate " + out->command
                                                     : request.provenance + ", seed " + std::to_string(out->seed);
        auto written = WriteGeneratedTune(out->tokens, text);
        if (written.ok()) out->abc = written->abc;
        else out->write_error = written.status().message();
      }
      return Status::Ok();
    };
  } else {
    // What the tunes must be.
    grammar.min_bars = request.min_bars;
    grammar.soft_max_tokens = request.max_length;
    // The default form is the commonest of jigs and reels: two repeated
    // 8-bar parts. "free" lets the model decide (bounded by min_bars and
    // max_length); bars alone is one part of that length.
    std::string parts = request.parts;
    if (parts.empty() && request.bars == 0) parts = "AABB";
    if (parts == "free") {
      if (request.bars > 0) return Status::InvalidArgument("--bars does not apply to --parts free (use --min-bars)");
      parts.clear();
    }
    auto structure = ParseStructure(parts, request.bars);
    if (!structure.ok()) return structure.status();
    grammar.structure = *structure;
    auto need_token = [](Result<std::string> r, std::string* out) -> Status {
      if (!r.ok()) return r.status();
      *out = *r;
      return Status::Ok();
    };
    if (!request.meter.empty()) {
      if (Status s = need_token(MeterToken(request.meter, vocab), &grammar.meter); !s.ok()) return s;
    }
    if (!request.mode.empty()) {
      if (Status s = need_token(ModeToken(request.mode, vocab), &grammar.mode); !s.ok()) return s;
    }
    if (!request.rhythm.empty()) {
      if (Status s = need_token(RhythmToken(request.rhythm, vocab), &grammar.rhythm); !s.ok()) return s;
    }
    std::optional<tokens::NoteName> tonic;
    if (!request.key.empty()) {
      auto key = ParseKey(request.key);
      if (!key.ok()) return key.status();
      tonic = key->tonic;
      if (key->mode) {
        const std::string mode_token = tokens::FormatMode(*key->mode);
        if (!grammar.mode.empty() && grammar.mode != mode_token) {
          return Status::InvalidArgument("--key " + request.key + " names the mode " + abc::ModeName(*key->mode) +
                                         " but --mode says " + grammar.mode.substr(2));
        }
        if (Status s = need_token(ModeToken(abc::ModeName(*key->mode), vocab), &grammar.mode); !s.ok()) return s;
      }
    }
    std::optional<Instrument> instrument;
    if (!request.instrument.empty() && request.instrument != "none") {
      auto found = FindInstrument(request.instrument);
      if (!found.ok()) return found.status();
      instrument = *found;
      c.instrument = found->name;
    }
    if (!key_table && !tonic) c.notes.push_back("the model carries no table of keys: tunes are written in C (give --key)");
    std::vector<std::string> prime;
    if (!request.prime.empty()) {
      if (grammar.meter.empty()) {
        if (Status s = need_token(MeterToken("4/4", vocab), &grammar.meter); !s.ok()) {
          return s.WithPrefix("--prime without --meter reads the fragment in 4/4: ");
        }
        c.notes.push_back("--prime: reading the fragment in M:4/4 (give --meter to change it)");
      }
      if (grammar.mode.empty()) {
        if (Status s = need_token(ModeToken("maj", vocab), &grammar.mode); !s.ok()) {
          return s.WithPrefix("--prime without --mode reads the fragment in major: ");
        }
        c.notes.push_back("--prime: reading the fragment in major (give --mode or --key to change it)");
      }
      if (!tonic) {
        // A fragment without a key is read in the key that best holds it.
        tonic = KeyOfFragment(FragmentLetters(request.prime),
                              key_table ? key_table->Tonics(grammar.rhythm.empty() ? "R:other" : grammar.rhythm,
                                                            grammar.mode)
                                        : std::vector<std::pair<tokens::NoteName, int>>{{tokens::NoteName{}, 1}});
        c.notes.push_back("--prime: reading the fragment in " + NoteNameString(*tonic) + " (give --key to change it)");
      }
      auto primed = PrimeTokens(request.prime, grammar.meter, grammar.mode, *tonic, vocab);
      if (!primed.ok()) return primed.status();
      prime = std::move(*primed);
    }
    auto rules = GrammarRules::Make(vocab, grammar);
    if (!rules.ok()) return rules.status();
    grammar_rules = *rules;
    if (Status s = PrimeFitsForm(prime, grammar_rules.get(), request, grammar.structure.ToString()); !s.ok()) return s;
    c.meter = grammar.meter.empty() ? "" : grammar.meter.substr(2);
    c.mode = grammar.mode.empty() ? "" : grammar.mode.substr(2);
    c.rhythm = grammar.rhythm.empty() ? "" : grammar.rhythm.substr(2);
    c.structure = grammar.structure.ToString();

    if (impl_->index && request.novelty_threshold > 0) guard.emplace(impl_->index, request.novelty_threshold);
    c.guard_on = guard.has_value();
    c.method = guard ? "grammar mask + novelty guard (" + std::to_string(request.novelty_threshold) + " bars)"
                     : "grammar mask";

    options.prime = prime;
    options.candidates = request.candidates;
    options.keys.tonic = tonic;
    options.keys.table = key_table ? &*key_table : nullptr;
    options.keys.instrument = instrument;
    generator = std::make_unique<Generator>(impl_->loaded.model, grammar_rules, guard ? &*guard : nullptr);
    finish = [&](SampledTune& t, ComposedTune* out) -> Status {
      out->index = t.index;
      out->seed = t.seed;
      out->tokens = std::move(t.tokens);
      out->finished = !out->tokens.empty() && out->tokens.back() == "</s>";
      out->bar_retries = t.bar_retries;
      out->restarts = t.restarts;
      out->guard_gave_up = t.guard_gave_up;
      out->steps = t.steps;
      out->bits_per_token = t.scored > 0 ? -t.log_prob / t.scored / std::log(2.0) : 0.0;
      out->command = CommandFlags(request, impl_->summary.shown, t.seed);
      out->title = titles.Make(t.seed, RhythmOf(out->tokens, kind), HeaderField(out->tokens, kind, "M:"));
      TuneTextOptions text;
      text.x = t.index + 1;
      text.title = out->title;
      text.tonic = t.tonic;
      text.chord_symbols = request.chords;
      text.provenance = request.provenance.empty() ? "tunesmith generate " + out->command
                                                   : request.provenance + ", seed " + std::to_string(t.seed);
      auto written = WriteGeneratedTune(out->tokens, text);
      if (!written.ok()) {
        // The grammar mask rules this out; say which tune if it ever happens.
        return written.status().WithPrefix("tune " + std::to_string(t.index + 1) + ": ");
      }
      out->abc = written->abc;
      out->key = NoteNameString(t.tonic) +
                 (written->tune.key.mode == abc::Mode::kMajor ? "" : abc::ModeName(written->tune.key.mode));
      out->checked = true;
      out->checks = CheckGeneratedTune(out->abc, out->tokens, grammar.structure);
      out->ok = out->checks.read_ok && out->checks.off_meter == 0 && out->checks.structure.empty();
      if (impl_->index) out->novelty = corpus::MeasureNovelty(*impl_->index, out->tokens, written->tune);
      return Status::Ok();
    };
  }

  // Sample in groups whose candidates fill whole batches: the batches are
  // the ones one call for every tune would step, so the tunes are the same.
  const int K = masked ? std::max(1, request.candidates) : 1;
  const int batch = std::max(1, request.batch_size);
  const int group = batch / std::gcd(batch, K);
  for (int first = 0; first < request.count; first += group) {
    GenerateOptions part = options;
    part.count = std::min(group, request.count - first);
    part.seed = c.seed + static_cast<uint64_t>(first);
    std::function<void(int, int)> part_progress;
    if (progress) part_progress = [&](int done, int) { progress(first + done, request.count); };
    const auto started = std::chrono::steady_clock::now();
    std::vector<SampledTune> sampled;
    try {
      auto drawn = generator->Generate(part, part_progress);
      if (!drawn.ok()) return drawn.status();
      sampled = std::move(*drawn);
    } catch (const c10::Error& e) {
      return Status::IOError(std::string("sampling failed in LibTorch: ") + e.what_without_backtrace());
    }
    c.seconds += Seconds(started);
    for (SampledTune& t : sampled) {
      t.index += first;
      ComposedTune out;
      const auto writing = std::chrono::steady_clock::now();
      if (Status s = finish(t, &out); !s.ok()) return s;
      c.write_seconds += Seconds(writing);
      c.tokens += static_cast<int64_t>(out.tokens.size()) - 1;
      c.steps += out.steps;
      ++c.composed;
      if (!sink(out, c)) {
        c.stopped = c.composed < request.count;
        return c;
      }
    }
  }
  return c;
}

std::map<std::string, std::string> ModelExtras(const corpus::Corpus& corpus) {
  return {{kNoveltyExtraKey, NoveltyBlobFor(corpus)},
          {kKeyTableExtraKey, KeyTable::FromCorpus(corpus, corpus::Split::kTrain).Serialize()}};
}

nlohmann::json ComposedTuneToJson(const ComposedTune& t, const Composition& c, const ComposeRequest& request,
                                  const Composer& composer) {
  using nlohmann::json;
  const auto or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  json j;
  j["x"] = t.index + 1;
  j["title"] = t.title;
  j["abc"] = t.abc;
  j["seed"] = t.seed;
  j["key"] = t.key;
  j["settings"] = {{"command", "tunesmith generate " + t.command},
                   {"model", composer.model().shown},
                   {"temperature", request.sampling.temperature},
                   {"top_k", request.sampling.top_k},
                   {"top_p", request.sampling.top_p},
                   {"candidates", request.candidates},
                   {"meter", or_null(c.meter)},
                   {"mode", or_null(c.mode)},
                   {"rhythm", or_null(c.rhythm)},
                   {"key", or_null(request.key)},
                   {"instrument", c.instrument},
                   {"structure", c.structure},
                   {"prime", or_null(request.prime)},
                   {"chords", request.chords}};
  j["checks"] = {{"read", t.checks.read_ok},
                 {"read_warnings", t.checks.read_warnings},
                 {"bars", t.checks.bars},
                 {"off_meter_bars", t.checks.off_meter},
                 {"structure", t.checks.structure.empty() ? json(true) : json(t.checks.structure)},
                 {"abc2midi", nullptr}};
  if (!t.checks.error.empty()) j["checks"]["error"] = t.checks.error;
  const auto index = composer.novelty_index();
  const bool known = t.novelty.has_value();
  j["novelty"] = {{"known", known},
                  {"nearest_training_tune", known ? json(t.novelty->nearest_title) : json(nullptr)},
                  {"longest_shared_bars", known ? json(t.novelty->longest_bar_run) : json(nullptr)},
                  {"longest_shared_notes", known && index->has_notes() ? json(t.novelty->longest_note_run) : json(nullptr)},
                  {"guard", {{"on", c.guard_on},
                             {"threshold", request.novelty_threshold > 0 ? request.novelty_threshold : kDefaultNoveltyThreshold},
                             {"bars_drawn_again", t.bar_retries},
                             {"restarts", t.restarts},
                             {"gave_up", t.guard_gave_up}}}};
  j["tokens"] = static_cast<int64_t>(t.tokens.size());
  j["bits_per_token"] = t.bits_per_token;
  j["paths"] = json::object();
  return j;
}

}  // namespace tunesmith::generate
