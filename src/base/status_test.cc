#include "base/status.h"

#include <gtest/gtest.h>

namespace tunesmith {
namespace {

TEST(Status, OkHasNoCodeNorMessage) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.code(), Status::Code::kOk);
  EXPECT_EQ(ok.message(), "");
  EXPECT_EQ(ok.ToString(), "OK");
  EXPECT_TRUE(ok.WithPrefix("x: ").ok());
}

TEST(Status, EachConstructorSetsItsCodeAndOnlyItsPredicate) {
  struct Case {
    Status status;
    Status::Code code;
    const char* text;
  };
  const Case cases[] = {
      {Status::NotFound("m"), Status::Code::kNotFound, "Not found: m"},
      {Status::Corruption("m"), Status::Code::kCorruption, "Corruption: m"},
      {Status::NotSupported("m"), Status::Code::kNotSupported, "Not supported: m"},
      {Status::InvalidArgument("m"), Status::Code::kInvalidArgument, "Invalid argument: m"},
      {Status::IOError("m"), Status::Code::kIOError, "I/O error: m"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_FALSE(c.status.ok());
    EXPECT_EQ(c.status.code(), c.code);
    EXPECT_EQ(c.status.message(), "m");
    EXPECT_EQ(c.status.ToString(), c.text);
    const int predicates = c.status.IsNotFound() + c.status.IsCorruption() + c.status.IsNotSupported() +
                           c.status.IsInvalidArgument() + c.status.IsIOError();
    EXPECT_EQ(predicates, 1);
  }
  EXPECT_TRUE(Status::NotFound("m").IsNotFound());
  EXPECT_TRUE(Status::Corruption("m").IsCorruption());
  EXPECT_TRUE(Status::NotSupported("m").IsNotSupported());
  EXPECT_TRUE(Status::InvalidArgument("m").IsInvalidArgument());
  EXPECT_TRUE(Status::IOError("m").IsIOError());
}

TEST(Status, WithPrefixKeepsTheCode) {
  Status s = Status::Corruption("checksum mismatch").WithPrefix("checkpoint m.ckpt: ");
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ(s.message(), "checkpoint m.ckpt: checksum mismatch");
  Status hinted = s.WithMessage(s.message() + " (HINT: retrain)");
  EXPECT_TRUE(hinted.IsCorruption());
  EXPECT_EQ(hinted.message(), "checkpoint m.ckpt: checksum mismatch (HINT: retrain)");
  EXPECT_TRUE(Status::Ok().WithMessage("x").ok());
}

TEST(Result, HoldsAValueOrAStatus) {
  Result<int> value = 3;
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 3);
  EXPECT_TRUE(value.status().ok());
  Result<int> failure = Status::NotFound("no such file: a.abc");
  EXPECT_FALSE(failure.ok());
  EXPECT_TRUE(failure.status().IsNotFound());
  EXPECT_EQ(failure.status().message(), "no such file: a.abc");
}

}  // namespace
}  // namespace tunesmith
