#include "serve/store.h"

#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <random>

namespace tunesmith::serve {
namespace {

// A prepared statement that finalizes itself.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return stmt_; }
  void Text(int i, const std::string& s) { sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT); }
  void Int(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void Null(int i) { sqlite3_bind_null(stmt_, i); }
  int Step() { return sqlite3_step(stmt_); }
  std::string ColumnText(int i) {
    const unsigned char* t = sqlite3_column_text(stmt_, i);
    return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(stmt_, i)) : std::string();
  }
  int64_t ColumnInt(int i) { return sqlite3_column_int64(stmt_, i); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

Status DbError(sqlite3* db, const std::string& what) {
  return Status::IOError("tune database: " + what + ": " + sqlite3_errmsg(db));
}

constexpr const char* kColumns =
    "id, created, title, kind, parent, abc, settings, seed, checks, nearest, starred, meter, key, rhythm, bars";

TuneRecord ReadRow(Statement& s) {
  TuneRecord t;
  t.id = s.ColumnText(0);
  t.created = s.ColumnText(1);
  t.title = s.ColumnText(2);
  t.kind = s.ColumnText(3);
  t.parent = s.ColumnText(4);
  t.abc = s.ColumnText(5);
  t.settings = nlohmann::json::parse(s.ColumnText(6), nullptr, false);
  t.seed = static_cast<uint64_t>(s.ColumnInt(7));
  t.checks = nlohmann::json::parse(s.ColumnText(8), nullptr, false);
  const std::string nearest = s.ColumnText(9);
  t.nearest = nearest.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(nearest, nullptr, false);
  t.starred = s.ColumnInt(10) != 0;
  t.meter = s.ColumnText(11);
  t.key = s.ColumnText(12);
  t.rhythm = s.ColumnText(13);
  t.bars = static_cast<int>(s.ColumnInt(14));
  return t;
}

std::string NowUtc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string NewId() {
  static thread_local std::mt19937_64 rng(std::random_device{}() ^
                                          static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string id(8, 'a');
  for (char& ch : id) ch = kAlphabet[rng() % 36];
  return id;
}

}  // namespace

nlohmann::json TuneRecord::ToJson() const {
  using nlohmann::json;
  const auto or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  return {{"id", id},
          {"created", created},
          {"title", title},
          {"kind", kind},
          {"parent", or_null(parent)},
          {"abc", abc},
          {"settings", settings},
          {"seed", seed},
          {"checks", checks},
          {"nearest", nearest},
          {"starred", starred},
          {"meter", or_null(meter)},
          {"key", or_null(key)},
          {"rhythm", or_null(rhythm)},
          {"bars", bars}};
}

Result<std::unique_ptr<TuneStore>> TuneStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::IOError("cannot open the tune database " + path + ": " + message);
  }
  std::unique_ptr<TuneStore> store(new TuneStore(db));
  sqlite3_busy_timeout(db, 5000);
  // WAL: readers do not wait for the writer; FULL: a tune that was answered
  // with 201 is on disk.
  const char* setup =
      "PRAGMA journal_mode=WAL;"
      "PRAGMA synchronous=FULL;"
      "CREATE TABLE IF NOT EXISTS tunes("
      "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  id TEXT NOT NULL UNIQUE,"
      "  created TEXT NOT NULL,"
      "  title TEXT NOT NULL,"
      "  kind TEXT NOT NULL,"
      "  parent TEXT,"
      "  abc TEXT NOT NULL,"
      "  settings TEXT NOT NULL,"
      "  seed INTEGER NOT NULL,"
      "  checks TEXT NOT NULL,"
      "  nearest TEXT,"
      "  starred INTEGER NOT NULL DEFAULT 0,"
      "  meter TEXT, key TEXT, rhythm TEXT, bars INTEGER NOT NULL DEFAULT 0);"
      "CREATE INDEX IF NOT EXISTS tunes_starred ON tunes(starred, seq);";
  if (Status s = store->Exec(setup); !s.ok()) return s.WithPrefix(path + ": ");
  return store;
}

TuneStore::~TuneStore() { sqlite3_close(db_); }

Status TuneStore::Exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    return Status::IOError("tune database: " + message);
  }
  return Status::Ok();
}

Result<TuneRecord> TuneStore::Insert(TuneRecord t) {
  std::lock_guard<std::mutex> lock(mu_);
  t.created = NowUtc();
  for (int attempt = 0; attempt < 8; ++attempt) {
    t.id = NewId();
    Statement s(db_,
                "INSERT INTO tunes(id, created, title, kind, parent, abc, settings, seed, checks, nearest, starred, "
                "meter, key, rhythm, bars) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return DbError(db_, "insert");
    s.Text(1, t.id);
    s.Text(2, t.created);
    s.Text(3, t.title);
    s.Text(4, t.kind);
    if (t.parent.empty()) s.Null(5);
    else s.Text(5, t.parent);
    s.Text(6, t.abc);
    s.Text(7, t.settings.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    s.Int(8, static_cast<int64_t>(t.seed));
    s.Text(9, t.checks.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (t.nearest.is_null()) s.Null(10);
    else s.Text(10, t.nearest.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    s.Int(11, t.starred ? 1 : 0);
    s.Text(12, t.meter);
    s.Text(13, t.key);
    s.Text(14, t.rhythm);
    s.Int(15, t.bars);
    const int rc = s.Step();
    if (rc == SQLITE_DONE) return t;
    if (rc != SQLITE_CONSTRAINT) return DbError(db_, "insert");
    // An id that is taken already: draw another.
  }
  return Status::IOError("tune database: no free id after 8 draws");
}

Result<TuneRecord> TuneStore::Get(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  Statement s(db_, (std::string("SELECT ") + kColumns + " FROM tunes WHERE id = ?").c_str());
  if (!s.ok()) return DbError(db_, "read");
  s.Text(1, id);
  const int rc = s.Step();
  if (rc == SQLITE_ROW) return ReadRow(s);
  if (rc == SQLITE_DONE) return Status::NotFound("no tune '" + id + "'");
  return DbError(db_, "read");
}

bool TuneStore::Exists(const std::string& id) { return Get(id).ok(); }

Result<std::vector<TuneRecord>> TuneStore::List(int page, int per_page, bool starred_only) {
  std::lock_guard<std::mutex> lock(mu_);
  Statement s(db_, (std::string("SELECT ") + kColumns + " FROM tunes" + (starred_only ? " WHERE starred = 1" : "") +
                    " ORDER BY seq DESC LIMIT ? OFFSET ?")
                       .c_str());
  if (!s.ok()) return DbError(db_, "list");
  s.Int(1, per_page);
  s.Int(2, static_cast<int64_t>(page - 1) * per_page);
  std::vector<TuneRecord> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadRow(s));
  if (rc != SQLITE_DONE) return DbError(db_, "list");
  return out;
}

Result<int64_t> TuneStore::Count(bool starred_only) {
  std::lock_guard<std::mutex> lock(mu_);
  Statement s(db_, starred_only ? "SELECT COUNT(*) FROM tunes WHERE starred = 1" : "SELECT COUNT(*) FROM tunes");
  if (!s.ok() || s.Step() != SQLITE_ROW) return DbError(db_, "count");
  return s.ColumnInt(0);
}

Status TuneStore::Delete(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  Statement s(db_, "DELETE FROM tunes WHERE id = ?");
  if (!s.ok()) return DbError(db_, "delete");
  s.Text(1, id);
  if (s.Step() != SQLITE_DONE) return DbError(db_, "delete");
  if (sqlite3_changes(db_) == 0) return Status::NotFound("no tune '" + id + "'");
  return Status::Ok();
}

Result<TuneRecord> TuneStore::SetStarred(const std::string& id, bool starred) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    Statement s(db_, "UPDATE tunes SET starred = ? WHERE id = ?");
    if (!s.ok()) return DbError(db_, "star");
    s.Int(1, starred ? 1 : 0);
    s.Text(2, id);
    if (s.Step() != SQLITE_DONE) return DbError(db_, "star");
    if (sqlite3_changes(db_) == 0) return Status::NotFound("no tune '" + id + "'");
  }
  return Get(id);
}

Result<std::vector<TuneRecord>> TuneStore::Starred() {
  std::lock_guard<std::mutex> lock(mu_);
  Statement s(db_, (std::string("SELECT ") + kColumns + " FROM tunes WHERE starred = 1 ORDER BY seq").c_str());
  if (!s.ok()) return DbError(db_, "tunebook");
  std::vector<TuneRecord> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadRow(s));
  if (rc != SQLITE_DONE) return DbError(db_, "tunebook");
  return out;
}

Result<std::string> TuneStore::IntegrityCheck() {
  std::lock_guard<std::mutex> lock(mu_);
  Statement s(db_, "PRAGMA integrity_check");
  if (!s.ok()) return DbError(db_, "integrity_check");
  std::string out;
  while (s.Step() == SQLITE_ROW) out += (out.empty() ? "" : "\n") + s.ColumnText(0);
  return out;
}

}  // namespace tunesmith::serve
