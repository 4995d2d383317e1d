// The generator end to end with small models: a random LSTM (any logits must
// give valid tunes), and a "copycat" that wants to play one training tune
// note for note (the novelty guard must stop it).
#include "corpus/novelty.h"
#include "generate/generator.h"

#include <gtest/gtest.h>

#include "abc/bar_check.h"
#include "abc/reader.h"
#include "generate/row_parallel.h"
#include "generate/test_vocabulary.h"
#include "tokens/tokenizer.h"

namespace tunesmith::generate {
namespace {

using testing::Split;
using testing::TestVocabulary;

std::shared_ptr<model::LanguageModel> RandomModel(model::ModelType type, int64_t vocab_size, uint64_t seed) {
  torch::manual_seed(seed);
  model::ModelConfig config;
  config.type = type;
  config.vocab_size = vocab_size;
  config.embedding = 16;
  config.hidden = 32;
  config.layers = 2;
  config.heads = 2;
  config.context = 1024;
  auto m = model::MakeModel(config);
  EXPECT_TRUE(m.ok());
  (*m)->eval();
  return *m;
}

// The tests that hold for any model run over both kinds.
class GeneratorWith : public ::testing::TestWithParam<model::ModelType> {
 protected:
  std::shared_ptr<model::LanguageModel> Random(int64_t vocab_size, uint64_t seed) const {
    return RandomModel(GetParam(), vocab_size, seed);
  }
};

INSTANTIATE_TEST_SUITE_P(Models, GeneratorWith, ::testing::Values(model::ModelType::kLstm, model::ModelType::kTransformer),
                         [](const auto& test) { return std::string(model::ModelTypeName(test.param)); });

GenerateOptions Options(int count, uint64_t seed, int batch_size = 64) {
  GenerateOptions o;
  o.count = count;
  o.seed = seed;
  o.batch_size = batch_size;
  return o;
}

// Wants, at step t, the token at t+1 of one fixed tune (logit `strength`, others 0).
class Copycat : public model::LanguageModel {
 public:
  Copycat(const tokens::Vocabulary& vocab, const std::vector<std::string>& tune, float strength)
      : LanguageModel(Config(vocab)), tune_(vocab.Ids(tune)), strength_(strength) {}

  torch::Tensor forward(const torch::Tensor&, model::State*, const torch::Tensor& = {}) override {
    throw std::logic_error("not used");
  }
  model::State InitialState(int64_t batch) const override {
    model::State s;
    s.tensors.push_back(torch::zeros({batch, 1}, torch::kInt64));
    return s;
  }
  torch::Tensor Step(const torch::Tensor& ids, model::State* state, const torch::Tensor& = {}) override {
    const int64_t B = ids.size(0);
    if (state->empty()) *state = InitialState(B);
    auto logits = torch::zeros({B, config_.vocab_size});
    auto pos = state->tensors[0];
    for (int64_t r = 0; r < B; ++r) {
      const int64_t p = pos[r][0].item<int64_t>();
      const int64_t next = std::min<int64_t>(p + 1, static_cast<int64_t>(tune_.size()) - 1);
      logits[r][tune_[next]] = strength_;
      pos[r][0] = p + 1;
    }
    return logits;
  }

 private:
  static model::ModelConfig Config(const tokens::Vocabulary& vocab) {
    model::ModelConfig c;
    c.vocab_size = vocab.size();
    return c;
  }
  std::vector<int32_t> tune_;
  float strength_;
};

// Every tune decodes, reads back without errors and has no bar off the meter.
void ExpectValid(const std::vector<SampledTune>& tunes, const Structure& structure = {}) {
  for (const SampledTune& t : tunes) {
    ASSERT_EQ(t.tokens.front(), "<s>");
    ASSERT_EQ(t.tokens.back(), "</s>");
    auto text = tokens::DecodeToAbc(t.tokens, tokens::TokenizerKind::kAbcToken);
    ASSERT_TRUE(text.ok()) << text.status().message();
    abc::ReadResult read = abc::ReadAbc(*text, "<test>");
    ASSERT_EQ(read.tunes.size(), 1u);
    EXPECT_EQ(read.rejected, 0);
    EXPECT_EQ(abc::CheckBars(read.tunes[0]).off_meter, 0) << *text;
    Status s = CheckStructure(t.tokens, structure);
    EXPECT_TRUE(s.ok()) << s.message();
  }
}

TEST_P(GeneratorWith, RandomModelGivesValidTunes) {
  const auto vocab = TestVocabulary();
  auto rules = GrammarRules::Make(vocab, {});
  ASSERT_TRUE(rules.ok());
  Generator gen(Random(vocab.size(), 1), *rules, nullptr);
  int progress_calls = 0;
  auto tunes = gen.Generate(Options(12, 5, 5), [&](int done, int total) {
    ++progress_calls;
    EXPECT_EQ(total, 12);
    EXPECT_LE(done, 12);
  });
  ASSERT_TRUE(tunes.ok()) << tunes.status().message();
  ASSERT_EQ(tunes->size(), 12u);
  EXPECT_EQ(progress_calls, 12);
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ((*tunes)[i].index, i);
    EXPECT_EQ((*tunes)[i].seed, 5u + i);
  }
  ExpectValid(*tunes);
}

TEST_P(GeneratorWith, SameSeedSameTunes) {
  const auto vocab = TestVocabulary();
  auto rules = GrammarRules::Make(vocab, {});
  Generator gen(Random(vocab.size(), 2), *rules, nullptr);
  GenerateOptions o = Options(6, 42);
  o.sampling.temperature = 1.1f;
  o.sampling.top_k = 20;
  o.sampling.top_p = 0.95f;
  auto a = gen.Generate(o);
  auto b = gen.Generate(o);
  ASSERT_TRUE(a.ok() && b.ok());
  for (int i = 0; i < 6; ++i) EXPECT_EQ((*a)[i].tokens, (*b)[i].tokens) << i;
  o.seed = 43;
  auto c = gen.Generate(o);
  ASSERT_TRUE(c.ok());
  int same = 0;
  for (int i = 0; i < 6; ++i) same += (*a)[i].tokens == (*c)[i].tokens;
  EXPECT_LT(same, 6);
  // Seed 43's tune 0 is seed 42's tune 1 (tune i draws from seed + i).
  EXPECT_EQ((*c)[0].tokens, (*a)[1].tokens);
}

// With K candidates each tune is the most likely of K draws: never less
// likely per token than its candidate 0 (the tune without candidates), made
// again by its own seed, and reported under that seed.
TEST_P(GeneratorWith, CandidatesKeepTheMostLikely) {
  const auto vocab = TestVocabulary();
  auto rules = GrammarRules::Make(vocab, {});
  ASSERT_TRUE(rules.ok());
  Generator gen(Random(vocab.size(), 3), *rules, nullptr);
  GenerateOptions one = Options(5, 100);
  GenerateOptions four = one;
  four.candidates = 4;
  auto a = gen.Generate(one);
  auto b = gen.Generate(four);
  ASSERT_TRUE(a.ok() && b.ok());
  auto mean = [](const SampledTune& t) { return t.log_prob / t.scored; };
  int better = 0;
  for (int i = 0; i < 5; ++i) {
    const SampledTune& x = (*a)[i];
    const SampledTune& y = (*b)[i];
    ASSERT_GT(x.scored, 0);
    EXPECT_LT(x.log_prob, 0);
    EXPECT_GE(mean(y), mean(x) - 1e-5) << i;  // batches of other sizes round a little differently
    better += mean(y) > mean(x) + 1e-5;
    EXPECT_EQ(y.seed, 100u + i);
    EXPECT_EQ(y.candidates, 4);
    // Tune i alone, from its own seed, with the same candidates.
    GenerateOptions alone = four;
    alone.count = 1;
    alone.seed = y.seed;
    auto c = gen.Generate(alone);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ((*c)[0].tokens, y.tokens) << i;
  }
  EXPECT_GT(better, 0);  // a random model's four draws are not all equally likely
  ExpectValid(*b);
}

TEST_P(GeneratorWith, ConditioningStructureAndPrime) {
  const auto vocab = TestVocabulary();
  GrammarOptions g;
  g.meter = "M:6/8";
  g.mode = "K:min";
  g.rhythm = "R:jig";
  g.structure = *ParseStructure("AABB", 4);
  auto rules = GrammarRules::Make(vocab, g);
  ASSERT_TRUE(rules.ok());
  Generator gen(Random(vocab.size(), 3), *rules, nullptr);
  const std::vector<std::string> prime = Split("|: A 2 B c 3 |");
  GenerateOptions o = Options(5, 9);
  o.prime = prime;
  auto tunes = gen.Generate(o);
  ASSERT_TRUE(tunes.ok()) << tunes.status().message();
  for (const SampledTune& t : *tunes) {
    ASSERT_GE(t.tokens.size(), 4 + prime.size());
    EXPECT_EQ(std::vector<std::string>(t.tokens.begin() + 1, t.tokens.begin() + 4),
              (std::vector<std::string>{"M:6/8", "K:min", "R:jig"}));
    EXPECT_EQ(std::vector<std::string>(t.tokens.begin() + 4, t.tokens.begin() + 4 + prime.size()), prime);
  }
  ExpectValid(*tunes, g.structure);
  // A prime that breaks the form is refused before sampling.
  o.prime = Split("A 2 B c 3 || c 6 |");  // a double bar after one bar of an 8-bar part
  auto bad = gen.Generate(o);
  EXPECT_FALSE(bad.ok());
}

// A training tune of sixteen distinct bars.
std::vector<std::string> TrainingTune() {
  const char* bars[] = {"C D E F G A B c", "d c B A G F E D", "C E G c e c G E", "D F A d f d A F",
                        "E G B e g e B G", "F A c f a f c A", "G B d g b g d B", "c 4 G 4",
                        "A B c d e f g a", "a g f e d c B A", "G c e g G c e g", "F A d f F A d f",
                        "E G c e E G c e", "D G B d D G B d", "C E G c G E C E", "c 8"};
  std::vector<std::string> t = {"<s>", "M:4/4", "K:maj", "R:reel"};
  for (size_t i = 0; i < std::size(bars); ++i) {
    for (const auto& tok : Split(bars[i])) t.push_back(tok);
    t.push_back(i + 1 == std::size(bars) ? "|]" : "|");
  }
  t.push_back("</s>");
  return t;
}

struct GuardRun {
  int long_runs = 0;      // tunes sharing more than 3 bars in a row
  int retries = 0;        // bars drawn again
  int gave_up = 0;
  int copies_kept = 0;    // tunes identical to the unguarded ones
};

GuardRun RunCopycat(const tokens::Vocabulary& vocab, float strength, const NoveltyGuard* guard,
                    const std::vector<SampledTune>* unguarded, std::vector<SampledTune>* out) {
  const auto training = TrainingTune();
  auto rules = GrammarRules::Make(vocab, {});
  EXPECT_TRUE(rules.ok()) << rules.status().message();
  Generator gen(std::make_shared<Copycat>(vocab, training, strength), *rules, guard);
  auto tunes = gen.Generate(Options(8, 1, 3));
  EXPECT_TRUE(tunes.ok()) << tunes.status().message();
  GuardRun run;
  corpus::IndexedTune indexed{"The Training Reel", corpus::BarHashesOfTokens(training), {}};
  corpus::NoveltyIndex index({indexed}, "test");
  for (size_t i = 0; i < tunes->size(); ++i) {
    const SampledTune& t = (*tunes)[i];
    auto tune = tokens::DecodeTune(t.tokens, tokens::TokenizerKind::kAbcToken);
    EXPECT_TRUE(tune.ok());
    const int longest = corpus::MeasureNovelty(index, t.tokens, *tune).longest_bar_run;
    run.long_runs += longest > 3;
    if (guard && !t.guard_gave_up) {
      EXPECT_LE(longest, 3) << i;
      EXPECT_LE(t.longest_guarded_run, 3) << i;
    }
    run.retries += t.bar_retries;
    run.gave_up += t.guard_gave_up;
    if (unguarded) run.copies_kept += (*unguarded)[i].tokens == t.tokens;
  }
  ExpectValid(*tunes);
  *out = std::move(tunes.value());
  return run;
}

std::shared_ptr<const corpus::NoveltyIndex> TrainingIndex() {
  corpus::IndexedTune indexed{"The Training Reel", corpus::BarHashesOfTokens(TrainingTune()), {}};
  return std::make_shared<corpus::NoveltyIndex>(std::vector<corpus::IndexedTune>{indexed}, "test");
}

TEST(Generator, NoveltyGuardStopsACopy) {
  // The full vocabulary: a blocked bar line can often be avoided by going on
  // with the bar (a shorter last note, a tie), so few bars are drawn again.
  const auto vocab = TestVocabulary();
  std::vector<SampledTune> copies, guarded;
  const GuardRun free_run = RunCopycat(vocab, 12.0f, nullptr, nullptr, &copies);
  EXPECT_GE(free_run.long_runs, 7);  // the copycat copies
  NoveltyGuard guard(TrainingIndex(), 3);
  const GuardRun run = RunCopycat(vocab, 12.0f, &guard, &copies, &guarded);
  EXPECT_EQ(run.long_runs, run.gave_up);
  EXPECT_EQ(run.copies_kept, 0);
  std::printf("guard, full vocabulary: %d bars drawn again, %d tunes given up\n", run.retries, run.gave_up);
}

TEST(Generator, NoveltyGuardDrawsBlockedBarsAgain) {
  // Only the training tune's own tokens: after a bar's last note only a bar
  // line may come, so a blocked bar is rolled back and drawn again.
  const auto training = TrainingTune();
  std::vector<std::string> words(training.begin(), training.end());
  for (const char* extra : {"||", ":|", "|:", "2", "/2"}) words.push_back(extra);
  const tokens::Vocabulary vocab(tokens::TokenizerKind::kAbcToken, words);
  std::vector<SampledTune> copies, guarded;
  const GuardRun free_run = RunCopycat(vocab, 6.0f, nullptr, nullptr, &copies);
  EXPECT_GE(free_run.long_runs, 4);
  NoveltyGuard guard(TrainingIndex(), 3);
  const GuardRun run = RunCopycat(vocab, 6.0f, &guard, &copies, &guarded);
  EXPECT_GT(run.retries, 0);
  EXPECT_LE(run.gave_up, 2);
  EXPECT_EQ(run.long_runs, run.gave_up);
  std::printf("guard, small vocabulary: %d bars drawn again, %d tunes given up; without it %d of 8 tunes copy > 3 bars\n",
              run.retries, run.gave_up, free_run.long_runs);
}

// The rows' sampler chains run on LibTorch's threads (row_parallel.h): the
// tunes must not depend on how many there are, with the guard rolling bars
// back and restarting tunes as well as without it.
TEST(Generator, RowsInParallelGiveTheSameTunes) {
  const int before = at::get_num_threads();
  const auto vocab = TestVocabulary();
  auto rules = GrammarRules::Make(vocab, {});
  ASSERT_TRUE(rules.ok());
  auto random = RandomModel(model::ModelType::kLstm, vocab.size(), 6);
  const auto training = TrainingTune();
  std::vector<std::string> words(training.begin(), training.end());
  for (const char* extra : {"||", ":|", "|:", "2", "/2"}) words.push_back(extra);
  const tokens::Vocabulary small(tokens::TokenizerKind::kAbcToken, words);
  auto small_rules = GrammarRules::Make(small, {});
  ASSERT_TRUE(small_rules.ok());
  NoveltyGuard guard(TrainingIndex(), 3);
  auto run = [&](int threads) {
    at::set_num_threads(threads);
    EXPECT_EQ(RowWorkers(), threads);
    std::vector<std::vector<SampledTune>> out;
    Generator plain(random, *rules, nullptr);
    GenerateOptions o = Options(24, 9, 24);
    o.sampling.temperature = 1.2f;
    auto a = plain.Generate(o);
    EXPECT_TRUE(a.ok()) << a.status().message();
    out.push_back(std::move(a.value()));
    Generator guarded(std::make_shared<Copycat>(small, training, 6.0f), *small_rules, &guard);
    auto b = guarded.Generate(Options(16, 1, 16));
    EXPECT_TRUE(b.ok()) << b.status().message();
    out.push_back(std::move(b.value()));
    return out;
  };
  const auto one = run(1);
  const auto two = run(2);
  at::set_num_threads(before);
  int retries = 0;
  for (size_t k = 0; k < one.size(); ++k) {
    ASSERT_EQ(one[k].size(), two[k].size());
    for (size_t i = 0; i < one[k].size(); ++i) {
      EXPECT_EQ(one[k][i].tokens, two[k][i].tokens) << k << " " << i;
      EXPECT_EQ(one[k][i].steps, two[k][i].steps) << k << " " << i;
      EXPECT_EQ(one[k][i].bar_retries, two[k][i].bar_retries) << k << " " << i;
      EXPECT_EQ(one[k][i].restarts, two[k][i].restarts) << k << " " << i;
      EXPECT_DOUBLE_EQ(one[k][i].log_prob, two[k][i].log_prob) << k << " " << i;
      retries += one[k][i].bar_retries;
    }
  }
  EXPECT_GT(retries, 0);  // the guard did roll bars back
}

// A tiny transformer trained until it plays the training tune (the copycat
// the guard must stop, learnt instead of written).
std::shared_ptr<model::LanguageModel> TransformerThatLearnt(const tokens::Vocabulary& vocab,
                                                            const std::vector<std::string>& tune) {
  auto m = RandomModel(model::ModelType::kTransformer, vocab.size(), 4);
  const std::vector<int32_t> ids32 = vocab.Ids(tune);
  const auto ids = torch::tensor(std::vector<int64_t>(ids32.begin(), ids32.end())).view({-1, 1});
  const auto inputs = ids.slice(0, 0, -1), targets = ids.slice(0, 1).reshape({-1});
  m->train();
  torch::optim::AdamW opt(m->parameters(), torch::optim::AdamWOptions(3e-3));
  double loss = 0;
  for (int step = 0; step < 150; ++step) {
    auto l = torch::cross_entropy_loss(m->forward(inputs, nullptr).reshape({-1, vocab.size()}), targets);
    opt.zero_grad();
    l.backward();
    opt.step();
    loss = l.item<double>();
  }
  m->eval();
  EXPECT_LT(loss, 0.2) << "the transformer did not learn the tune";
  return m;
}

// The sum of log p(token) a whole pass (no cache) gives the drawn tokens of
// `t`: what SampledTune::log_prob holds when every step read the right cache.
double WholePassLogProb(model::LanguageModel& m, const tokens::Vocabulary& vocab, const SampledTune& t) {
  torch::NoGradGuard no_grad;
  const std::vector<int32_t> ids32 = vocab.Ids(t.tokens);
  const auto ids = torch::tensor(std::vector<int64_t>(ids32.begin(), ids32.end())).view({-1, 1});
  const auto logp = torch::log_softmax(m.forward(ids.slice(0, 0, -1), nullptr), -1);  // [T,1,V]
  double sum = 0;
  for (size_t i = 1; i < ids32.size(); ++i) sum += logp[i - 1][0][ids32[i]].item<double>();
  return sum;
}

TEST(Generator, NoveltyGuardRollsBackATransformer) {
  // The training tune's own tokens and no shorter lengths: once a bar is
  // full only a bar line may come, so a blocked bar is rolled back (the
  // transformer's row put back to the bar line, KV cache included) and drawn again.
  const auto training = TrainingTune();
  std::vector<std::string> words(training.begin(), training.end());
  for (const char* extra : {"||", ":|", "|:"}) words.push_back(extra);
  const tokens::Vocabulary vocab(tokens::TokenizerKind::kAbcToken, words);
  auto model = TransformerThatLearnt(vocab, training);
  auto rules = GrammarRules::Make(vocab, {});
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  GenerateOptions o = Options(6, 1, 3);
  o.sampling.temperature = 1.3f;  // the learnt copy is sure of itself: let a bar drawn again differ
  Generator unguarded(model, *rules, nullptr);
  auto copies = unguarded.Generate(o);
  ASSERT_TRUE(copies.ok()) << copies.status().message();
  NoveltyGuard guard(TrainingIndex(), 3);
  Generator gen(model, *rules, &guard);
  auto tunes = gen.Generate(o);
  ASSERT_TRUE(tunes.ok()) << tunes.status().message();
  ExpectValid(*tunes);
  const auto index = TrainingIndex();
  int retries = 0, gave_up = 0, copied = 0, saved = 0;
  for (size_t i = 0; i < tunes->size(); ++i) {
    const SampledTune& t = (*tunes)[i];
    retries += t.bar_retries;
    gave_up += t.guard_gave_up;
    saved += t.bar_retries > 0 && !t.guard_gave_up;
    auto tune = tokens::DecodeTune((*copies)[i].tokens, tokens::TokenizerKind::kAbcToken);
    ASSERT_TRUE(tune.ok());
    copied += corpus::MeasureNovelty(*index, (*copies)[i].tokens, *tune).longest_bar_run > 3;
    if (!t.guard_gave_up) {
      auto mine = tokens::DecodeTune(t.tokens, tokens::TokenizerKind::kAbcToken);
      ASSERT_TRUE(mine.ok());
      EXPECT_LE(corpus::MeasureNovelty(*index, t.tokens, *mine).longest_bar_run, 3) << i;
    }
    // After every rollback the model read on from the restored cache: the
    // logits it gave match a whole pass over the finished tune.
    EXPECT_EQ(t.scored, static_cast<int>(t.tokens.size()) - 1);
    EXPECT_NEAR(t.log_prob, WholePassLogProb(*model, vocab, t), 1e-3 * t.scored) << i;
  }
  EXPECT_GE(copied, 3) << "without the guard the learnt transformer copies";
  EXPECT_GT(retries, 0) << "the guard rolled no bar back";
  EXPECT_GT(saved, 0) << "no tune was kept under the threshold by drawing bars again";
  std::printf("guard, transformer: %d bars drawn again, %d of %zu tunes given up; without it %d copy > 3 bars\n",
              retries, gave_up, tunes->size(), copied);
}

// Without the grammar mask the same loop samples the network alone: what a
// plain loop of Step and the chain's temperature -> top-k/top-p -> draw over
// all but the specials gives, token for token.
TEST_P(GeneratorWith, WithoutTheMaskSamplesTheNetworkAlone) {
  const auto vocab = TestVocabulary();
  auto model = Random(vocab.size(), 6);
  GenerateOptions o = Options(3, 20, 2);
  o.grammar_mask = false;
  o.max_tokens = 40;
  o.sampling.top_k = 30;
  Generator alone(model, vocab);
  auto tunes = alone.Generate(o);
  ASSERT_TRUE(tunes.ok()) << tunes.status().message();
  auto rules = GrammarRules::Make(vocab, {});
  ASSERT_TRUE(rules.ok());
  NoveltyGuard guard(TrainingIndex(), 3);
  auto with_rules = Generator(model, *rules, &guard).Generate(o);  // the mask and the guard are left out
  ASSERT_TRUE(with_rules.ok());
  for (int i = 0; i < 3; ++i) {
    const SampledTune& t = (*tunes)[i];
    EXPECT_EQ(t.tokens, (*with_rules)[i].tokens);
    // The reference: one tune, step by step.
    torch::NoGradGuard no_grad;
    SamplerChain chain(o.sampling);
    std::vector<uint8_t> allowed(vocab.size(), 1);
    for (int32_t id : {tokens::kPadId, tokens::kBosId, tokens::kUnkId}) allowed[id] = 0;
    Rng rng(t.seed);
    model::State state = model->InitialState(1);
    std::vector<std::string> want = {"<s>"};
    int64_t input = tokens::kBosId;
    while (want.size() <= 40) {
      auto logits = model->Step(torch::tensor({input}), &state).contiguous();
      input = chain.Sample(std::span<const float>(logits.data_ptr<float>(), vocab.size()), allowed, rng);
      want.push_back(vocab.Token(static_cast<int32_t>(input)));
      if (input == tokens::kEosId) break;
    }
    EXPECT_EQ(t.tokens, want) << i;
    EXPECT_EQ(t.finished, want.back() == "</s>");
    EXPECT_EQ(t.tonic, tokens::NoteName{});
    EXPECT_EQ(t.bar_retries, 0);
  }
  o.grammar_mask = true;
  EXPECT_FALSE(alone.Generate(o).ok()) << "no mask without grammar rules";
  o.grammar_mask = false;
  o.prime = {"C"};
  EXPECT_FALSE(alone.Generate(o).ok()) << "no prime without the mask";
}

}  // namespace
}  // namespace tunesmith::generate
