// The transformer's KV cache against whole passes: step by step, from a
// primed state, with rows at different lengths, rows saved and put back,
// rows dropped, and past the context.
#include "model/transformer_lm.h"

#include <gtest/gtest.h>

namespace tunesmith::model {
namespace {

constexpr int64_t kVocab = 11;

void ExpectClose(const torch::Tensor& a, const torch::Tensor& b, double tol, const std::string& what) {
  ASSERT_EQ(a.sizes(), b.sizes()) << what;
  const double diff = (a - b).abs().max().item<double>();
  EXPECT_LT(diff, tol) << what << ": max abs difference " << diff;
}

// A tiny transformer; with `columns`, it reads two context columns (sizes 5 and 3).
std::shared_ptr<LanguageModel> Tiny(int64_t context, bool columns, uint64_t seed = 7) {
  torch::manual_seed(seed);
  ModelConfig c;
  c.type = ModelType::kTransformer;
  c.vocab_size = kVocab;
  c.hidden = 16;
  c.layers = 2;
  c.heads = 2;
  c.dropout = 0.0;
  c.context = context;
  if (columns) c.positions = {5, 3};
  auto m = MakeModel(c);
  EXPECT_TRUE(m.ok()) << m.status().message();
  (*m)->eval();
  return *m;
}

struct Data {
  torch::Tensor ids;        // [T,B]
  torch::Tensor positions;  // [T,B,2], or undefined
};

Data RandomData(int64_t T, int64_t B, bool columns) {
  Data d;
  d.ids = torch::randint(0, kVocab, {T, B}, torch::kLong);
  if (columns) d.positions = torch::stack({torch::randint(0, 5, {T, B}, torch::kLong), torch::randint(0, 3, {T, B}, torch::kLong)}, -1);
  return d;
}

torch::Tensor At(const torch::Tensor& t, int64_t i) { return t.defined() ? t[i] : t; }

// The logits of a whole pass over `d` (no cache), [T,B,V].
torch::Tensor Whole(LanguageModel& m, const Data& d) {
  torch::NoGradGuard no_grad;
  return m.forward(d.ids, nullptr, d.positions);
}

TEST(TransformerKvCache, StepByStepMatchesTheWholePass) {
  for (bool columns : {false, true}) {
    auto m = Tiny(64, columns);
    const Data d = RandomData(20, 3, columns);
    const torch::Tensor whole = Whole(*m, d);
    State s = m->InitialState(3);
    for (int64_t t = 0; t < 20; ++t) {
      ExpectClose(m->Step(d.ids[t], &s, At(d.positions, t)), whole[t], 1e-5, "step " + std::to_string(t));
    }
  }
}

TEST(TransformerKvCache, TrainingPassGivesTheInferenceLogits) {
  // Training reads whole sequences without the cache: with dropout 0 its
  // logits (hence its loss) are the cached steps' logits.
  auto m = Tiny(64, true);
  const Data d = RandomData(12, 2, true);
  const torch::Tensor whole = Whole(*m, d);
  m->train();
  State carried = m->InitialState(2);
  const torch::Tensor trained = m->forward(d.ids, &carried, d.positions);
  EXPECT_TRUE(trained.requires_grad());
  EXPECT_TRUE(carried.empty()) << "training carries nothing from batch to batch";
  ExpectClose(trained.detach(), whole, 1e-5, "training pass");
  m->eval();
}

TEST(TransformerKvCache, PrimedStateContinues) {
  auto m = Tiny(64, true);
  const Data d = RandomData(15, 2, true);
  const torch::Tensor whole = Whole(*m, d);
  torch::NoGradGuard no_grad;
  State s;
  auto first = m->forward(d.ids.slice(0, 0, 6), &s, d.positions.slice(0, 0, 6));
  ExpectClose(first, whole.slice(0, 0, 6), 1e-5, "prefix");
  auto next = m->forward(d.ids.slice(0, 6, 9), &s, d.positions.slice(0, 6, 9));  // a chunk against the cache
  ExpectClose(next, whole.slice(0, 6, 9), 1e-5, "chunk");
  for (int64_t t = 9; t < 15; ++t) {
    ExpectClose(m->Step(d.ids[t], &s, d.positions[t]), whole[t], 1e-5, "step " + std::to_string(t));
  }
}

// Rows at different lengths in one batch: row 1 starts afresh half-way
// (RestoreRow with InitialState(1)), row 2 is dropped (Select); each row's
// logits are those of its own sequence read alone.
TEST(TransformerKvCache, RowsAtDifferentLengths) {
  auto m = Tiny(64, true);
  const Data a = RandomData(16, 3, true);
  const Data fresh = RandomData(8, 1, true);  // what row 1 reads after its restart
  const torch::Tensor whole = Whole(*m, a);
  const torch::Tensor whole_fresh = Whole(*m, fresh);
  State s = m->InitialState(3);
  for (int64_t t = 0; t < 8; ++t) m->Step(a.ids[t], &s, a.positions[t]);
  m->RestoreRow(&s, 1, m->InitialState(1));
  for (int64_t t = 8; t < 16; ++t) {
    auto ids = a.ids[t].clone();
    auto pos = a.positions[t].clone();
    ids[1] = fresh.ids[t - 8][0];
    pos[1] = fresh.positions[t - 8][0];
    if (t == 12) {  // row 2 finishes: rows 0 and 1 go on
      s = s.Select(torch::tensor({0, 1}, torch::kLong));
    }
    const int64_t rows = t < 12 ? 3 : 2;
    auto logits = m->Step(ids.slice(0, 0, rows), &s, pos.slice(0, 0, rows));
    ExpectClose(logits[0], whole[t][0], 1e-5, "row 0, step " + std::to_string(t));
    ExpectClose(logits[1], whole_fresh[t - 8][0], 1e-5, "row 1 restarted, step " + std::to_string(t));
    if (rows == 3) ExpectClose(logits[2], whole[t][2], 1e-5, "row 2, step " + std::to_string(t));
  }
}

// The novelty guard's rollback: a row saved at a bar line, stepped on, then
// put back, reads on exactly as it did the first time; the other rows are
// untouched, and the saved copy does not change when the state moves on.
TEST(TransformerKvCache, SavedRowPutBackReadsOnAsBefore) {
  auto m = Tiny(64, false);
  const Data d = RandomData(14, 2, false);
  const torch::Tensor whole = Whole(*m, d);
  State s = m->InitialState(2);
  for (int64_t t = 0; t < 6; ++t) m->Step(d.ids[t], &s);
  const State saved = m->SaveRow(s, 1);
  ASSERT_EQ(saved.tensors[0].item<int64_t>(), 6);
  const State saved_copy = m->SaveRow(s, 1);
  // Row 1 wanders off for 5 tokens (another bar), row 0 reads on.
  const auto other = torch::randint(0, kVocab, {5}, torch::kLong);
  for (int64_t t = 6; t < 11; ++t) {
    auto ids = d.ids[t].clone();
    ids[1] = other[t - 6];
    m->Step(ids, &s);
  }
  for (size_t j = 0; j < saved.tensors.size(); ++j) EXPECT_TRUE(torch::equal(saved.tensors[j], saved_copy.tensors[j])) << j;
  m->RestoreRow(&s, 1, saved);
  // Now row 1 is 5 tokens behind row 0: it reads its own sequence from 6 on.
  for (int64_t k = 0; k < 3; ++k) {
    auto ids = torch::stack({d.ids[11 + k][0], d.ids[6 + k][1]});
    auto logits = m->Step(ids, &s);
    ExpectClose(logits[0], whole[11 + k][0], 1e-5, "row 0");
    ExpectClose(logits[1], whole[6 + k][1], 1e-5, "row 1 after the rollback");
  }
}

// Past the context each step sees the last `context` tokens, read from
// position 0 (a sliding window), as a whole pass over that window does.
TEST(TransformerKvCache, PastTheContextTheWindowSlides) {
  const int64_t C = 6;
  auto m = Tiny(C, true);
  const Data d = RandomData(17, 2, true);
  State s = m->InitialState(2);
  for (int64_t t = 0; t < 17; ++t) {
    const int64_t from = std::max<int64_t>(0, t + 1 - C);
    Data window{d.ids.slice(0, from, t + 1), d.positions.slice(0, from, t + 1)};
    const torch::Tensor expected = Whole(*m, window)[t - from];
    ExpectClose(m->Step(d.ids[t], &s, d.positions[t]), expected, 1e-5, "step " + std::to_string(t));
  }
  // forward() over more than the context gives every position its logits, the same way.
  State fresh;
  torch::NoGradGuard no_grad;
  auto all = m->forward(d.ids, &fresh, d.positions);
  ASSERT_EQ(all.size(0), 17);
  const Data last{d.ids.slice(0, 17 - C), d.positions.slice(0, 17 - C)};
  ExpectClose(all[16], Whole(*m, last)[C - 1], 1e-5, "forward past the context");
}

}  // namespace
}  // namespace tunesmith::model
