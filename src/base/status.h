// Status and Result<T>: expected failures as values (bad ABC, a missing file,
// a checkpoint of the wrong version). Exceptions are kept for the cases where
// the program cannot go on.
//
// A failure carries a code that says what kind of failure it is (the command
// line turns it into an exit code) and a message a user can act on:
//
//   if (!fs::exists(path)) return Status::NotFound("no such file: " + path);
//   Result<Checkpoint> c = ReadCheckpoint(path);
//   if (!c.ok()) return c.status().WithPrefix("--model: ");  // keeps the code
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace tunesmith {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,         // a file, folder, program or named thing that is not there
    kCorruption,       // data that should be well-formed is not (a damaged checkpoint)
    kNotSupported,     // well-formed, but this build cannot do it (a newer format version)
    kInvalidArgument,  // the caller asked for something wrong (a bad flag value, bad ABC)
    kIOError,          // the system failed a read, write, rename or process start
  };

  Status() = default;  // OK
  static Status Ok() { return Status(); }
  static Status NotFound(std::string message) { return Status(Code::kNotFound, std::move(message)); }
  static Status Corruption(std::string message) { return Status(Code::kCorruption, std::move(message)); }
  static Status NotSupported(std::string message) { return Status(Code::kNotSupported, std::move(message)); }
  static Status InvalidArgument(std::string message) {
    return Status(Code::kInvalidArgument, std::move(message));
  }
  static Status IOError(std::string message) { return Status(Code::kIOError, std::move(message)); }
  // Transitional: a failure whose kind the caller has not named; it reads as
  // InvalidArgument. Only the cli/ files being rewritten still call it; new
  // code names the code.
  static Status Error(std::string message) { return InvalidArgument(std::move(message)); }

  bool ok() const { return code_ == Code::kOk; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsNotSupported() const { return code_ == Code::kNotSupported; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsIOError() const { return code_ == Code::kIOError; }
  Code code() const { return code_; }

  // The message a user can act on; empty when ok().
  const std::string& message() const { return message_; }
  // "Not found: <message>" (the kind, then the message); "OK" when ok().
  std::string ToString() const;
  // The same failure with `prefix` put before its message ("checkpoint m.ckpt: ");
  // an OK status stays OK.
  Status WithPrefix(std::string_view prefix) const;
  // The same failure with another message (to add a hint after it); an OK
  // status stays OK.
  Status WithMessage(std::string message) const;

  // "OK", "Not found", "Corruption", "Not supported", "Invalid argument", "I/O error".
  static const char* CodeName(Code code);

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {
    assert(code != Code::kOk);
  }
  Code code_ = Code::kOk;
  std::string message_;
};

inline const char* Status::CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "OK";
    case Code::kNotFound: return "Not found";
    case Code::kCorruption: return "Corruption";
    case Code::kNotSupported: return "Not supported";
    case Code::kInvalidArgument: return "Invalid argument";
    case Code::kIOError: return "I/O error";
  }
  return "Unknown";
}

inline std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(CodeName(code_)) + ": " + message_;
}

inline Status Status::WithPrefix(std::string_view prefix) const {
  if (ok()) return *this;
  return Status(code_, std::string(prefix) + message_);
}

inline Status Status::WithMessage(std::string message) const {
  if (ok()) return *this;
  return Status(code_, std::move(message));
}

// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  const T& value() const& { assert(ok()); return *value_; }
  T& value() & { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace tunesmith
