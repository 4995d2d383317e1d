// The studio's tune history: one SQLite database in WAL mode. Each tune is
// one row written by one statement, so a crash leaves the tune whole or
// absent, never half written. Safe to call from many threads (one
// connection, one lock: SQLite writes one at a time anyway).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

struct sqlite3;

namespace tunesmith::serve {

struct TuneRecord {
  std::string id;        // [a-z0-9]{8}; given by Insert
  std::string created;   // "2026-12-06T04:12:33Z"; given by Insert
  std::string title;
  std::string kind;      // "composed", "variation", "edited"
  std::string parent;    // "" none
  std::string abc;
  nlohmann::json settings = nlohmann::json::object();
  uint64_t seed = 0;
  nlohmann::json checks = nlohmann::json::object();
  nlohmann::json nearest;  // null or {"title", "shared_bars"}
  bool starred = false;
  std::string meter, key, rhythm;
  int bars = 0;

  // The tune object of the API (docs/api.md).
  nlohmann::json ToJson() const;
};

class TuneStore {
 public:
  // Opens (creating when absent) the database at `path`; its folder must exist.
  static Result<std::unique_ptr<TuneStore>> Open(const std::string& path);
  ~TuneStore();
  TuneStore(const TuneStore&) = delete;
  TuneStore& operator=(const TuneStore&) = delete;

  // Stores `tune` under a new id (and the current time); returns the stored record.
  Result<TuneRecord> Insert(TuneRecord tune);
  // NotFound when there is no tune `id`.
  Result<TuneRecord> Get(const std::string& id);
  // Newest first; `page` from 1.
  Result<std::vector<TuneRecord>> List(int page, int per_page, bool starred_only);
  Result<int64_t> Count(bool starred_only);
  // NotFound when there is no tune `id`.
  Status Delete(const std::string& id);
  Result<TuneRecord> SetStarred(const std::string& id, bool starred);
  // Every starred tune, oldest first (the tunebook's order).
  Result<std::vector<TuneRecord>> Starred();
  // Whether a tune `id` exists (false on a database error too).
  bool Exists(const std::string& id);
  // PRAGMA integrity_check's answer ("ok" when the file is sound).
  Result<std::string> IntegrityCheck();

 private:
  explicit TuneStore(sqlite3* db) : db_(db) {}
  Status Exec(const char* sql);
  sqlite3* db_;
  std::mutex mu_;
};

}  // namespace tunesmith::serve
