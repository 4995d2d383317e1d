#include "generate/sampler.h"

#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace tunesmith::generate {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

std::vector<int> Kept(const std::vector<float>& logits) {
  std::vector<int> ids;
  for (size_t i = 0; i < logits.size(); ++i) {
    if (std::isfinite(logits[i])) ids.push_back(static_cast<int>(i));
  }
  return ids;
}

TEST(Temperature, DividesFiniteLogits) {
  std::vector<float> l = {2.0f, -1.0f, -kInf, 0.0f};
  ApplyTemperature(l, 0.5f);
  EXPECT_FLOAT_EQ(l[0], 4.0f);
  EXPECT_FLOAT_EQ(l[1], -2.0f);
  EXPECT_EQ(l[2], -kInf);
  EXPECT_FLOAT_EQ(l[3], 0.0f);
  ApplyTemperature(l, 2.0f);
  EXPECT_FLOAT_EQ(l[0], 2.0f);
  std::vector<float> greedy = {1.0f, 3.0f};
  ApplyTemperature(greedy, 0.0f);  // greedy: left to the chain
  EXPECT_EQ(greedy, (std::vector<float>{1.0f, 3.0f}));
}

TEST(TopK, KeepsTheKLargestWithLowIdsOnTies) {
  struct Case {
    std::vector<float> in;
    int k;
    std::vector<int> kept;
  };
  const std::vector<Case> cases = {
      {{0.1f, 3.0f, 2.0f, -1.0f, 2.5f}, 2, {1, 4}},
      {{0.1f, 3.0f, 2.0f, -1.0f, 2.5f}, 1, {1}},
      {{1.0f, 1.0f, 1.0f, 0.0f}, 2, {0, 1}},         // ties: lower ids
      {{1.0f, -kInf, 0.5f}, 5, {0, 2}},              // k beyond the finite ones keeps all
      {{1.0f, 2.0f, 0.5f}, 0, {0, 1, 2}},            // 0 = off
      {{-kInf, 5.0f, -kInf, 4.0f, 3.0f}, 2, {1, 3}},
  };
  for (const Case& c : cases) {
    std::vector<float> l = c.in;
    ApplyTopK(l, c.k);
    EXPECT_EQ(Kept(l), c.kept) << "k=" << c.k;
  }
}

TEST(TopP, KeepsTheSmallestNucleus) {
  // Probabilities 0.5, 0.25, 0.125, 0.125 (logits log 4, log 2, 0, 0).
  const std::vector<float> base = {std::log(4.0f), std::log(2.0f), 0.0f, 0.0f};
  struct Case {
    float p;
    std::vector<int> kept;
  };
  const std::vector<Case> cases = {
      {0.4f, {0}},       {0.5f, {0}},          {0.6f, {0, 1}},
      {0.75f, {0, 1}},   {0.8f, {0, 1, 2}},    {1.0f, {0, 1, 2, 3}},
      {0.0f, {0}},  // the most probable token always stays
  };
  for (const Case& c : cases) {
    std::vector<float> l = base;
    ApplyTopP(l, c.p);
    EXPECT_EQ(Kept(l), c.kept) << "p=" << c.p;
  }
}

TEST(Mask, RemovesForbiddenTokens) {
  std::vector<float> l = {1, 2, 3, 4};
  const std::vector<uint8_t> allowed = {1, 0, 1, 0};
  ApplyMask(l, allowed);
  EXPECT_EQ(Kept(l), (std::vector<int>{0, 2}));
}

TEST(Draw, FollowsTheSoftmax) {
  // p = 0.5, 0.25, 0.25 (token 3 is out).
  const std::vector<float> l = {std::log(2.0f), 0.0f, 0.0f, -kInf};
  Rng rng(7);
  std::vector<int> counts(4, 0);
  const int n = 40000;
  for (int i = 0; i < n; ++i) counts[Draw(l, rng)]++;
  EXPECT_NEAR(counts[0] / double(n), 0.5, 0.015);
  EXPECT_NEAR(counts[1] / double(n), 0.25, 0.015);
  EXPECT_NEAR(counts[2] / double(n), 0.25, 0.015);
  EXPECT_EQ(counts[3], 0);
  const std::vector<float> none = {-kInf, -kInf};
  EXPECT_EQ(Draw(none, rng), -1);
}

TEST(Draw, SameSeedSameDraws) {
  const std::vector<float> l = {0.3f, 1.2f, -0.5f, 0.9f, 0.0f};
  Rng a(123), b(123), c(124);
  std::vector<int> da, db, dc;
  for (int i = 0; i < 200; ++i) {
    da.push_back(Draw(l, a));
    db.push_back(Draw(l, b));
    dc.push_back(Draw(l, c));
  }
  EXPECT_EQ(da, db);
  EXPECT_NE(da, dc);
}

TEST(Rng, UniformIsInUnitInterval) {
  Rng rng(1);
  double lo = 1, hi = 0;
  for (int i = 0; i < 10000; ++i) {
    double u = rng.Uniform();
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
  EXPECT_LT(lo, 0.01);
  EXPECT_GT(hi, 0.99);
}

TEST(SamplerChain, DrawsOnlyAllowedTokens) {
  SamplerChain chain({.temperature = 1.0f, .top_k = 0, .top_p = 1.0f});
  const std::vector<float> l = {5.0f, 0.0f, 1.0f, 4.0f};
  const std::vector<uint8_t> allowed = {0, 1, 1, 0};
  Rng rng(3);
  for (int i = 0; i < 500; ++i) {
    int t = chain.Sample(l, allowed, rng);
    ASSERT_TRUE(t == 1 || t == 2) << t;
  }
}

TEST(SamplerChain, FallsBackWhenTruncationKeepsOnlyForbiddenTokens) {
  // top-k 1 keeps token 0, which the grammar forbids: the chain truncates the
  // allowed tokens instead, so it draws the best allowed one (2).
  SamplerChain chain({.temperature = 1.0f, .top_k = 1, .top_p = 1.0f});
  const std::vector<float> l = {9.0f, 0.0f, 1.0f, 0.5f};
  const std::vector<uint8_t> allowed = {0, 1, 1, 1};
  Rng rng(5);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(chain.Sample(l, allowed, rng), 2);
}

TEST(SamplerChain, TruncationThenMaskKeepsTheModelsView) {
  // top-k 2 keeps {0, 3}; the mask removes 0; only 3 remains.
  SamplerChain chain({.temperature = 1.0f, .top_k = 2, .top_p = 1.0f});
  const std::vector<float> l = {9.0f, 0.0f, 1.0f, 8.0f};
  const std::vector<uint8_t> allowed = {0, 1, 1, 1};
  Rng rng(5);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(chain.Sample(l, allowed, rng), 3);
}

TEST(SamplerChain, GreedyAtTemperatureZero) {
  SamplerChain chain({.temperature = 0.0f});
  const std::vector<float> l = {1.0f, 3.0f, 2.0f};
  Rng rng(1);
  EXPECT_EQ(chain.Sample(l, std::vector<uint8_t>{1, 1, 1}, rng), 1);
  EXPECT_EQ(chain.Sample(l, std::vector<uint8_t>{1, 0, 1}, rng), 2);
}

TEST(SamplerChain, NothingAllowedIsMinusOne) {
  SamplerChain chain(SamplingOptions{});
  Rng rng(1);
  EXPECT_EQ(chain.Sample(std::vector<float>{1, 2}, std::vector<uint8_t>{0, 0}, rng), -1);
}

TEST(SamplerChain, AllowedTokensWithInfiniteOrNanLogitsStillDraw) {
  SamplerChain chain(SamplingOptions{});
  Rng rng(1);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> l = {nan, -kInf, 3.0f};
  int t = chain.Sample(l, std::vector<uint8_t>{1, 1, 0}, rng);
  EXPECT_TRUE(t == 0 || t == 1);
}

// A link that forbids one token, counts what it took, and says so.
class ForbidLink : public SamplerLink {
 public:
  explicit ForbidLink(int32_t id) : id_(id) {}
  const char* name() const override { return "forbid"; }
  LinkVerdict Apply(Candidates& c, Rng&) const override {
    c.allowed[id_] = 0;
    return LinkVerdict::kGo;
  }
  Status Accept(int32_t) override {
    ++taken;
    return Status::Ok();
  }
  std::unique_ptr<SamplerLink> Clone() const override { return std::make_unique<ForbidLink>(*this); }
  int taken = 0;

 private:
  int32_t id_;
};

TEST(SamplerChain, LinksRunInOrderAndANewLinkComposes) {
  // Greedy: the best token, until a link before the draw forbids it.
  SamplerChain chain;
  chain.Add(std::make_unique<ForbidLink>(2)).AddSampling({.temperature = 0.0f});
  ASSERT_EQ(chain.size(), 3u);
  EXPECT_STREQ(chain.link(0).name(), "forbid");
  EXPECT_STREQ(chain.link(2).name(), "draw");
  Rng rng(1);
  const std::vector<float> l = {0.0f, 1.0f, 5.0f, 2.0f};
  const SamplerChain::Outcome o = chain.Run(l, rng);
  EXPECT_EQ(o.verdict, LinkVerdict::kGo);
  EXPECT_EQ(o.id, 3);
  EXPECT_EQ(SamplerChain(SamplingOptions{.temperature = 0.0f}).Run(l, rng).id, 2);
}

TEST(SamplerChain, ClonesCarryTheLinksState) {
  SamplerChain chain;
  chain.Add(std::make_unique<ForbidLink>(0)).AddSampling({});
  ASSERT_TRUE(chain.Accept(1).ok());
  SamplerChain snapshot = chain;  // a bar start
  ASSERT_TRUE(chain.Accept(2).ok());
  EXPECT_EQ(chain.Find<ForbidLink>()->taken, 2);
  EXPECT_EQ(snapshot.Find<ForbidLink>()->taken, 1);
  chain = snapshot;  // the rollback
  EXPECT_EQ(chain.Find<ForbidLink>()->taken, 1);
  EXPECT_NE(chain.Find<ForbidLink>(), snapshot.Find<ForbidLink>());
  EXPECT_EQ(chain.Find<TruncationLink>(), nullptr);  // top-k and top-p are off
}

TEST(SamplerChain, NothingAllowedNamesTheLink) {
  SamplerChain chain;
  chain.Add(std::make_unique<ForbidLink>(0)).Add(std::make_unique<ForbidLink>(1)).AddSampling({.top_k = 1});
  Rng rng(1);
  const SamplerChain::Outcome o = chain.Run(std::vector<float>{1.0f, 2.0f}, rng);
  EXPECT_EQ(o.id, -1);
  EXPECT_EQ(o.verdict, LinkVerdict::kNothingAllowed);
  ASSERT_NE(o.stopped_by, nullptr);
  EXPECT_STREQ(o.stopped_by->name(), "top-k/top-p");
}

// The chain of links draws what the fixed order did: the same ids for the
// same seeds, with the permission given from outside or by a link.
TEST(SamplerChain, RunWithAPermissionLinkMatchesSampleWithAllowed) {
  Rng source(3);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<float> l(12);
    for (float& x : l) x = static_cast<float>(source.Uniform() * 6.0 - 3.0);
    const int32_t forbidden = static_cast<int32_t>(source.Next() % 12);
    std::vector<uint8_t> allowed(12, 1);
    allowed[forbidden] = 0;
    const SamplingOptions o{.temperature = 0.8f, .top_k = trial % 4, .top_p = trial % 3 == 0 ? 0.9f : 1.0f};
    SamplerChain linked;
    linked.Add(std::make_unique<ForbidLink>(forbidden)).AddSampling(o);
    Rng a(trial), b(trial);
    EXPECT_EQ(linked.Run(l, a).id, SamplerChain(o).Sample(l, allowed, b)) << trial;
  }
}

}  // namespace
}  // namespace tunesmith::generate
