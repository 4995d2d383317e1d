#include "eval/evaluate.h"

#include <algorithm>
#include <map>
#include <memory>

#include "abc/files.h"
#include "abc/tune_check.h"
#include "corpus/corpus.h"
#include "render/tune_text.h"
#include "tokens/vocabulary.h"

namespace tunesmith::eval {
namespace {

render::MidiOptions ExampleMidiOptions(const EvaluateOptions& o) {
  render::MidiOptions m;
  m.program = o.program;
  m.chords = true;   // the chord symbols the model wrote are part of the tune
  m.strict = false;  // keep the messages of a failed tune to count them
  return m;
}

}  // namespace

void CheckJudgedTune(JudgedTune& c, const render::MidiOptions& midi_options) {
  if (c.abc.empty()) return;  // first_error says why
  abc::TuneTextCheck read = abc::CheckTuneText(c.abc, "<sample " + std::to_string(c.index + 1) + ">");
  if (c.first_error.empty()) c.first_error = read.error;
  c.read = read.read_ok;
  if (c.read) {
    c.tune = std::move(read.tune);
    c.bars = read.bars;
    c.bars_off_meter = read.off_meter;
  }
  auto midi = render::AbcToMidi(c.abc, midi_options);
  if (midi.ok()) {
    bool errors = false;
    for (const auto& m : midi->messages) {
      if (m.severity == render::ToolMessage::Severity::kError) {
        errors = true;
        if (c.first_error.empty()) c.first_error = "abc2midi: " + m.text;
      } else {
        ++c.abc2midi_warnings;
        std::string kind = m.text;
        for (char& ch : kind) {
          if (ch >= '0' && ch <= '9') ch = '#';
        }
        if (std::find(c.warning_kinds.begin(), c.warning_kinds.end(), kind) == c.warning_kinds.end()) {
          c.warning_kinds.push_back(kind);
        }
      }
    }
    c.abc2midi_ok = !errors;
    if (c.abc2midi_ok) c.midi = std::move(midi->bytes);
  } else if (c.first_error.empty()) {
    c.first_error = midi.status().message();
  }
}

Result<std::vector<JudgedTune>> ReadTunesToJudge(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  if (Status st = abc::ListAbcFiles(paths, &files); !st.ok()) return st;
  std::vector<JudgedTune> tunes;
  for (const std::string& file : files) {
    auto text = abc::ReadTextFile(file);
    if (!text.ok()) return text.status();
    const render::AbcFileText split = render::SplitTunes(*text);
    // The file header's fields (L:, M:, ...) apply to every tune of the file.
    const bool header = split.header.find_first_not_of(" \t\r\n") != std::string::npos;
    for (const render::TuneText& t : split.tunes) {
      JudgedTune s;
      s.index = static_cast<int>(tunes.size());
      s.title = t.title;
      s.abc = header ? split.header + "\n" + t.text : t.text;
      tunes.push_back(std::move(s));
    }
  }
  if (tunes.empty()) return Status::InvalidArgument("no tune (no X: line) in the --tunes files");
  return tunes;
}

Result<Evaluation> Evaluate(const EvaluateOptions& options, const std::function<void(const std::string&)>& say) {
  Evaluation ev;
  ev.options = options;
  EvaluateOptions& o = ev.options;
  if (o.samples < 1 || o.request.batch_size < 1 || o.examples < 0) {
    return Status::InvalidArgument("--samples and --batch-size must be at least 1");
  }
  auto note = [&](const std::string& text) {
    say(text);
    ev.notes.push_back(text);
  };

  // The corpus, and the model (unless the tunes come from files alone).
  auto corpus = corpus::LoadCorpus(o.corpus);
  if (!corpus.ok()) return corpus.status();
  const auto& stats = corpus->stats;
  if (stats.kept == 0) {
    std::string paths;
    for (const auto& p : o.corpus) paths += (paths.empty() ? "" : " ") + p;
    return Status::InvalidArgument("--corpus " + paths + ": no tune could be read (" + std::to_string(stats.rejected) +
                                   " rejected): nothing to score or compare against (HINT: check the path, or run "
                                   "tunesmith check on it)");
  }
  ev.corpus_paths = o.corpus;
  ev.fingerprint = corpus->Fingerprint();
  ev.train_tunes = stats.train;
  ev.valid_tunes = stats.valid;
  ev.test_tunes = stats.test;
  say("corpus: " + std::to_string(stats.kept) + " tunes (" + std::to_string(stats.train) + " train, " +
      std::to_string(stats.valid) + " valid, " + std::to_string(stats.test) + " test); fingerprint " + ev.fingerprint);
  std::unique_ptr<generate::Composer> composer;
  if (!o.model.empty() || o.tunes.empty()) {
    auto opened = generate::Composer::Open(o.model, &*corpus);
    if (!opened.ok()) return opened.status();
    composer = std::move(*opened);
    ev.model = composer->model();
    ev.model_path = o.model.empty() ? composer->model().shown : o.model;
    ev.metrics_path = composer->model().path + ".metrics.jsonl";
    const std::string& trained_on = composer->model().corpus_fingerprint;
    if (!trained_on.empty() && trained_on != ev.fingerprint) {
      note("the corpus fingerprint " + ev.fingerprint + " differs from the model's training corpus (" + trained_on +
           "): the test split may hold tunes the model was trained on, and the novelty index is not the model's "
           "training set (HINT: pass the --corpus the model was trained with)");
    }
  }

  // Held-out likelihood on the test split, with the model's own vocabulary.
  if (!composer) {
    note("likelihood not measured: no --model (the tunes judged were read from --tunes files)");
  } else if (const auto test = corpus::EncodeSplit(*corpus, composer->vocabulary(), corpus::Split::kTest);
             test.tunes.empty()) {
    note("the corpus has no test split: likelihood not measured");
  } else {
    int64_t unknown = 0;
    for (const auto& t : test.tunes) unknown += std::count(t.begin(), t.end(), tokens::kUnkId);
    if (unknown > 0) {
      note(std::to_string(unknown) + " test tokens are not in the model's vocabulary and were scored as <unk>");
    }
    auto score = train::ScoreTunes(composer->loaded(), test.tunes, 32);
    if (!score.ok()) return score.status();
    ev.likelihood = *score;
    const train::EvalResult& e = score->likelihood;
    say("test split: " + std::to_string(e.bits_per_token) + " bits/token, " + std::to_string(e.bits_per_tune) +
        " bits/tune");
    if (score->repeats) {
      const train::RepeatProbe& p = *score->repeats;
      say("test split, bars that repeat an earlier bar (" + std::to_string(p.repeat_bars) +
          "): " + std::to_string(p.repeat_bits_per_bar) + " bits/bar, " + std::to_string(p.repeat_bits_per_token) +
          " bits/token, " + std::to_string(100 * p.repeat_bar_likely) + "% given more than 1/2; new bars (" +
          std::to_string(p.new_bars) + "): " + std::to_string(p.new_bits_per_bar) + " bits/bar, " +
          std::to_string(p.new_bits_per_token) + " bits/token");
    }
  }

  // The training split's novelty index, for the guard and the figures: the
  // model's (its own training split), else the corpus's train split.
  std::shared_ptr<const corpus::NoveltyIndex> index;
  int unindexed = 0;
  if (composer) {
    for (const std::string& n : composer->notes()) note(n);
    index = composer->novelty_index();
    unindexed = composer->unindexed();
    ev.novelty_index_source =
        composer->novelty_source() == generate::NoveltySource::kCheckpoint ? "checkpoint" : "corpus train split";
  } else {
    index = std::make_shared<const corpus::NoveltyIndex>(corpus::BuildNoveltyIndex(*corpus, corpus::Split::kTrain, &unindexed));
    ev.novelty_index_source = "corpus train split";
  }
  ev.novelty_index_tunes = index->size();
  say("novelty index: " + std::string(ev.novelty_index_source == "checkpoint" ? "the checkpoint's (" : "the corpus's train split (") +
      std::to_string(index->size()) + (ev.novelty_index_source == "checkpoint" ? " training tunes)" : " tunes)"));

  // The tunes judged: read from --tunes files, or sampled from the model.
  if (!o.tunes.empty()) {
    auto read = ReadTunesToJudge(o.tunes);
    if (!read.ok()) return read.status().WithPrefix("--tunes: ");
    ev.tunes = std::move(*read);
    say(std::to_string(ev.tunes.size()) + " tunes read from --tunes");
  } else {
    generate::ComposeRequest& request = o.request;
    request.count = o.samples;
    request.seed = o.seed;
    if (request.provenance.empty()) request.provenance = "tunesmith eval";
    say("sampling " + std::to_string(o.samples) + " tunes");
    auto composed = composer->Compose(request);
    if (!composed.ok()) return composed.status();
    ev.sampled = true;
    const bool masked = composer->vocabulary().kind() == tokens::TokenizerKind::kAbcToken && request.grammar_mask;
    ev.form = masked ? composed->structure : "free form";
    ev.novelty_guard = masked ? request.novelty_threshold : 0;
    Generation g;
    g.method = composed->method;
    g.seconds = composed->seconds + composed->write_seconds;
    g.tokens = composed->tokens;
    for (generate::ComposedTune& t : composed->tunes) {
      JudgedTune s;
      s.index = t.index;
      s.seed = t.seed;
      s.title = t.title;
      s.abc = t.abc;
      s.first_error = t.write_error;
      s.finished = t.finished;
      s.bar_retries = t.bar_retries;
      s.restarts = t.restarts;
      s.guard_gave_up = t.guard_gave_up;
      ev.tunes.push_back(std::move(s));
    }
    ev.generation = g;
    say("sampled " + std::to_string(g.tokens) + " tokens (" + g.method + ")");
  }
  const int judged = static_cast<int>(ev.tunes.size());

  // Validity.
  const render::MidiOptions midi_options = ExampleMidiOptions(o);
  Validity& v = ev.validity;
  v.samples = judged;
  int unfinished = 0, gave_up = 0, retries = 0;
  std::string first_problem;
  std::map<std::string, int> warning_tunes;
  for (JudgedTune& c : ev.tunes) {
    CheckJudgedTune(c, midi_options);
    v.read += c.read;
    v.tunes_off_meter += c.read && c.bars_off_meter > 0;
    v.bars += c.bars;
    v.bars_off_meter += c.bars_off_meter;
    v.abc2midi_ok += c.abc2midi_ok;
    v.abc2midi_warnings += c.abc2midi_warnings;
    v.tunes_with_warnings += c.abc2midi_warnings > 0;
    unfinished += !c.finished;
    gave_up += c.guard_gave_up;
    retries += c.bar_retries;
    for (const std::string& k : c.warning_kinds) ++warning_tunes[k];
    if (first_problem.empty() && !c.first_error.empty()) {
      first_problem = "tune " + std::to_string(c.index + 1) + ": " + c.first_error;
    }
  }
  if (!warning_tunes.empty()) {
    const auto top = std::max_element(warning_tunes.begin(), warning_tunes.end(),
                                      [](const auto& a, const auto& b) { return a.second < b.second; });
    note("the most frequent abc2midi warning (" + std::to_string(top->second) + " tunes): " + top->first);
  }
  if (unfinished > 0) note(std::to_string(unfinished) + " sampled tunes reached the length cap before </s>");
  if (gave_up > 0) note("the novelty guard gave up on " + std::to_string(gave_up) + " tunes (kept as sampled)");
  if (!first_problem.empty() && v.read < judged) note("first rejected tune: " + first_problem);
  if (ev.generation) {
    ev.generation->unfinished = unfinished;
    ev.generation->guard_bar_retries = retries;
    ev.generation->guard_gave_up = gave_up;
  }

  // Musical statistics and structure: the judged tunes against the real test tunes.
  std::vector<const abc::Tune*> real_tunes, judged_tunes;
  for (const auto& t : corpus->tunes) {
    if (t.split == corpus::Split::kTest) real_tunes.push_back(&t.tune);
  }
  for (const JudgedTune& c : ev.tunes) {
    if (c.read) judged_tunes.push_back(&c.tune);
  }
  ev.judge_options.seed = o.seed;
  ev.judgement = JudgeSets(judged_tunes, real_tunes, ev.judge_options);
  const SetJudgement& j = ev.judgement;
  if (j.generated_empty > 0)
    note(std::to_string(j.generated_empty) + " judged tunes had no notes and were left out of the statistics");
  if (j.real_empty > 0) note(std::to_string(j.real_empty) + " real test tunes had no notes and were left out");
  if (!j.comparison) note("feature comparison not measured: " + j.comparison_error);
  if (!j.generated_vs_real) note("classifier test not run: " + j.generated_vs_real_error);

  // Novelty, judged and real test tunes side by side, against the train split.
  if (unindexed > 0) note(std::to_string(unindexed) + " training tunes could not be indexed for novelty");
  std::vector<TuneNovelty> gen_novelty, real_novelty;
  int gen_unmeasured = 0, real_unmeasured = 0;
  for (JudgedTune& c : ev.tunes) {
    if (!c.read) continue;
    auto n = corpus::MeasureNovelty(*index, c.tune);
    if (!n.ok()) {
      ++gen_unmeasured;
      continue;
    }
    c.novelty = *n;
    gen_novelty.push_back(*n);
  }
  for (const abc::Tune* t : real_tunes) {
    auto n = corpus::MeasureNovelty(*index, *t);
    if (n.ok()) real_novelty.push_back(*n);
    else ++real_unmeasured;
  }
  if (gen_unmeasured + real_unmeasured > 0) {
    note("novelty not measured for " + std::to_string(gen_unmeasured) + " generated and " +
         std::to_string(real_unmeasured) + " real tunes that cannot be tokenised");
  }
  ev.generated_novelty = SummariseNovelty(gen_novelty);
  ev.real_novelty = SummariseNovelty(real_novelty);

  // Examples: the first tunes (by index) the reader accepted, not a choice of the best.
  for (size_t i = 0; i < ev.tunes.size() && static_cast<int>(ev.examples.size()) < o.examples; ++i) {
    if (ev.tunes[i].read) ev.examples.push_back(static_cast<int>(i));
  }
  return ev;
}

}  // namespace tunesmith::eval
