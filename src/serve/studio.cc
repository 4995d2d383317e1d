#include "serve/studio.h"

#include <algorithm>

#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <regex>
#include <set>

#include "abc/bar_check.h"
#include "abc/reader.h"
#include "abc/transpose.h"
#include "base/files.h"
#include "base/process.h"
#include "corpus/novelty.h"
#include "generate/conditioning.h"
#include "generate/instrument.h"
#include "model/threads.h"
#include "render/tune_files.h"
#include "render/tune_text.h"
#include "serve/abc_edit.h"
#include "serve/compose_queue.h"
#include "serve/connection_threads.h"
#include "serve/request.h"
#include "serve/store.h"
#include "tokens/abc_token.h"

namespace tunesmith::serve {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {


// At most `limit` renders at once and `queue` waiting; Enter says no past that.
class RenderGate {
 public:
  RenderGate(int limit, int queue) : limit_(limit), queue_(queue) {}
  bool Enter() {
    std::unique_lock<std::mutex> lock(mu_);
    if (running_ >= limit_ && waiting_ >= queue_) return false;
    ++waiting_;
    cv_.wait(lock, [this] { return running_ < limit_; });
    --waiting_;
    ++running_;
    return true;
  }
  void Leave() {
    std::lock_guard<std::mutex> lock(mu_);
    --running_;
    cv_.notify_one();
  }

 private:
  const int limit_, queue_;
  std::mutex mu_;
  std::condition_variable cv_;
  int running_ = 0, waiting_ = 0;
};

void SendJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void SendError(httplib::Response& res, const ApiError& e) {
  SendJson(res, e.status, e.Body());
}

// A Composer failure as an API error: an invalid request names the field
// its message starts with ("--mode ...", "--prime: ...").
ApiError ComposeError(const Status& s) {
  if (!s.IsInvalidArgument() && !s.IsNotFound()) return ApiError{500, s.message(), "", json::object()};
  static const std::regex flag(R"(--([a-z][a-z-]*))");
  std::smatch m;
  std::string field;
  if (std::regex_search(s.message(), m, flag)) {
    field = m[1].str();
    std::replace(field.begin(), field.end(), '-', '_');
  }
  return ApiError{400, s.message(), field, json::object()};
}

std::string ContentType(const std::string& ext) {
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "json") return "application/json";
  if (ext == "abc") return "text/vnd.abc; charset=utf-8";
  if (ext == "mid") return "audio/midi";
  if (ext == "wav") return "audio/wav";
  return "application/octet-stream";
}

// The diagnostics of one tune's text as the API's problems.
struct CheckedAbc {
  bool ok = false;
  json problems = json::array();
  std::optional<abc::Tune> tune;
  int bars = 0;
  int warnings = 0;
};

CheckedAbc CheckAbc(const std::string& text) {
  CheckedAbc out;
  abc::ReadResult read = abc::ReadAbc(text, "tune");
  bool errors = false;
  for (const abc::Diagnostic& d : read.diagnostics) {
    errors |= d.severity == abc::Severity::kError;
    out.warnings += d.severity == abc::Severity::kWarning;
    if (out.problems.size() < 100) {
      out.problems.push_back({{"line", d.line},
                              {"col", d.column},
                              {"message", d.message},
                              {"severity", d.severity == abc::Severity::kError ? "error" : "warning"}});
    }
  }
  if (read.tunes.empty()) {
    errors = true;
    if (read.diagnostics.empty()) {
      out.problems.push_back({{"line", 1}, {"col", 1}, {"message", "no tune: a tune starts with an X: line"},
                              {"severity", "error"}});
    }
  } else if (read.tunes.size() > 1) {
    errors = true;
    out.problems.push_back({{"line", read.tunes[1].pos.line}, {"col", 1},
                            {"message", "more than one tune: send one at a time"}, {"severity", "error"}});
  } else {
    abc::BarCheck bars = abc::CheckBars(read.tunes[0]);
    out.bars = static_cast<int>(bars.bars.size());
    for (const abc::Diagnostic& d : bars.diagnostics) {
      errors = true;
      if (out.problems.size() < 100) {
        out.problems.push_back({{"line", d.line}, {"col", d.column}, {"message", d.message}, {"severity", "error"}});
      }
    }
    out.tune = std::move(read.tunes[0]);
  }
  out.ok = !errors;
  return out;
}

std::vector<std::string> TokensWithPrefix(const tokens::Vocabulary& vocab, const std::string& prefix) {
  std::vector<std::string> out;
  for (const std::string& t : vocab.tokens()) {
    if (t.rfind(prefix, 0) == 0) out.push_back(t.substr(prefix.size()));
  }
  return out;
}

}  // namespace

Result<std::string> FindWebRoot(const std::string& given) {
  std::vector<fs::path> candidates;
  if (!given.empty()) {
    if (!fs::is_regular_file(fs::path(given) / "web" / "index.html")) {
      return Status::NotFound("--web " + given + ": no web/index.html in it");
    }
    return fs::absolute(given).lexically_normal().string();
  }
  if (Result<fs::path> exe = base::ThisExecutable(); exe.ok()) {
    const fs::path dir = exe->parent_path();
    candidates.push_back(dir / ".." / "share" / "tunesmith");
    candidates.push_back(dir / "..");
    candidates.push_back(dir / ".." / "..");
  }
#ifdef TUNESMITH_SOURCE_DIR
  candidates.push_back(TUNESMITH_SOURCE_DIR);
#endif
  for (const fs::path& c : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(c / "web" / "index.html", ec)) return fs::absolute(c).lexically_normal().string();
  }
  return Status::NotFound("no web/index.html beside the executable or in the source tree (give --web DIR)");
}

struct Studio::Impl {
  const generate::Composer* composer = nullptr;
  StudioOptions options;
  std::unique_ptr<TuneStore> store;
  std::unique_ptr<ComposeQueue> queue;
  std::unique_ptr<RenderGate> renders;
  fs::path files;  // the render cache
  std::string web_root;
  httplib::Server server;
  int port = 0;
  int listen_fd = -1;
  json model_info;

  void Routes();
  json ModelInfo() const;
  // The tune `id` or an error (404 / 400 for a malformed id).
  Parsed<TuneRecord> Tune(const std::string& id);
  Parsed<TuneRecord> Store(TuneRecord record);
  Parsed<TuneRecord> ComposeAndStore(const generate::ComposeRequest& request, const std::string& kind,
                                     const std::string& parent, const json& extra_settings);
  Parsed<TuneRecord> SaveEdited(const std::string& abc, const std::string& parent);
  Parsed<std::string> RenderFile(const TuneRecord& t, const std::string& ext, const FileQuery& q);
  ApiError CheckAgainstModel(const generate::ComposeRequest& r) const;
  void RemoveFilesOf(const std::string& id);
  void SweepOrphanFiles();
};

json Studio::Impl::ModelInfo() const {
  const generate::ModelSummary& m = composer->model();
  const tokens::Vocabulary& vocab = composer->vocabulary();
  json instruments = json::array();
  for (const generate::Instrument& i : generate::Instruments()) {
    instruments.push_back({{"name", i.name}, {"range", i.range}, {"program", i.program}});
  }
  instruments.push_back({{"name", "none"}, {"range", "any"}, {"program", 0}});
  const generate::ComposeRequest d;
  const auto index = composer->novelty_index();
  return {{"name", m.shown.empty() ? m.path : m.shown},
          {"architecture", m.architecture},
          {"tokenizer", m.tokenizer},
          {"parameters", m.parameters},
          {"meters", TokensWithPrefix(vocab, "M:")},
          {"modes", TokensWithPrefix(vocab, "K:")},
          {"rhythms", TokensWithPrefix(vocab, "R:")},
          {"keys", {"C", "G", "D", "A", "E", "B", "F#", "F", "Bb", "Eb", "Ab", "Db"}},
          {"instruments", instruments},
          {"parts", {"AABB", "AB", "AABBCC", "AAB", "ABC", "A", "free"}},
          {"defaults",
           {{"temperature", d.sampling.temperature},
            {"top_k", d.sampling.top_k},
            {"top_p", d.sampling.top_p},
            {"instrument", d.instrument},
            {"chords", d.chords},
            {"parts", "AABB"},
            {"bars", 8}}},
          {"ranges",
           {{"temperature", {0, kMaxTemperature}},
            {"top_k", {0, kMaxTopK}},
            {"top_p", {0, 1}},
            {"bars", {kMinBars, kMaxBars}},
            {"seed", {0, kMaxSeed}},
            {"transpose", {-12, 12}},
            {"tempo", {40, 240}},
            {"prime_bytes", {0, kMaxPrimeBytes}},
            {"abc_bytes", {0, kMaxAbcBytes}}}},
          {"figures",
           {{"layers", m.layers},
            {"hidden", m.hidden},
            {"vocabulary", m.vocab_size},
            {"config", m.config},
            {"novelty_index_tunes", index ? index->size() : 0},
            {"corpus_fingerprint", m.corpus_fingerprint}}}};
}

ApiError Studio::Impl::CheckAgainstModel(const generate::ComposeRequest& r) const {
  const ApiError none{0, "", "", json::object()};
  const tokens::Vocabulary& vocab = composer->vocabulary();
  if (vocab.kind() != tokens::TokenizerKind::kAbcToken) return none;
  // The conditioning's own checks, so that what passes here is what Compose takes.
  auto check = [](const std::string& field, const std::string& value, const Result<std::string>& token) -> ApiError {
    if (value.empty() || token.ok()) return ApiError{0, "", "", json::object()};
    std::string message = token.status().message();
    if (message.rfind("--", 0) == 0) message = message.substr(2);  // "--mode 'x' is not..." -> "mode 'x' is not..."
    return BadField(field, message);
  };
  if (!r.meter.empty()) {
    if (ApiError e = check("meter", r.meter, generate::MeterToken(r.meter, vocab)); e.status) return e;
  }
  if (!r.mode.empty()) {
    if (ApiError e = check("mode", r.mode, generate::ModeToken(r.mode, vocab)); e.status) return e;
  }
  if (!r.rhythm.empty()) {
    if (ApiError e = check("rhythm", r.rhythm, generate::RhythmToken(r.rhythm, vocab)); e.status) return e;
  }
  if (!r.key.empty()) {
    auto key = generate::ParseKey(r.key);
    if (!key.ok()) {
      return BadField("key", "key '" + r.key + "' is not a key (C, G, Bb, F#, optionally with a mode: Em, Ador)");
    }
  }
  return none;
}

Parsed<TuneRecord> Studio::Impl::Tune(const std::string& id) {
  if (!IsTuneId(id)) return ApiError{404, "no tune '" + id.substr(0, 40) + "' (an id is 6-16 characters a-z, 0-9)", "id", json::object()};
  auto t = store->Get(id);
  if (!t.ok()) {
    if (t.status().IsNotFound()) return ApiError{404, "no tune '" + id + "'", "id", json::object()};
    return ApiError{500, t.status().message(), "", json::object()};
  }
  return *t;
}

Parsed<TuneRecord> Studio::Impl::Store(TuneRecord record) {
  auto stored = store->Insert(std::move(record));
  if (!stored.ok()) return ApiError{500, stored.status().message(), "", json::object()};
  return *stored;
}

Parsed<TuneRecord> Studio::Impl::ComposeAndStore(const generate::ComposeRequest& request, const std::string& kind,
                                                 const std::string& parent, const json& extra_settings) {
  auto future = queue->Submit(request);
  if (!future) {
    ApiError e{503, "the server is busy composing; try again in a moment", "", json::object()};
    e.extra["retry_after"] = queue->RetryAfterSeconds();
    return e;
  }
  Result<ComposedOne> done = future->get();
  if (!done.ok()) return ComposeError(done.status());
  const generate::Composition& c = done->composition;
  if (c.tunes.empty()) return ApiError{500, "the composer returned no tune", "", json::object()};
  const generate::ComposedTune& t = c.tunes[0];
  if (t.abc.empty()) return ApiError{500, "the tune could not be written: " + t.write_error, "", json::object()};
  json full = generate::ComposedTuneToJson(t, c, done->request, *composer);
  TuneRecord r;
  r.title = t.title;
  r.kind = kind;
  r.parent = parent;
  // The tune is X:1 wherever it stood in its batch.
  r.abc = t.abc;
  if (r.abc.rfind("X:", 0) == 0) r.abc = "X:1" + r.abc.substr(r.abc.find('\n'));
  r.settings = SettingsJson(done->request);
  for (const auto& [k, v] : extra_settings.items()) r.settings[k] = v;
  r.settings["structure"] = c.structure;
  r.settings["command"] = "tunesmith generate " + t.command;
  r.seed = t.seed;
  r.checks = full["checks"];
  r.checks["ok"] = t.ok;
  if (t.novelty && !t.novelty->nearest_title.empty()) {
    r.nearest = {{"title", t.novelty->nearest_title}, {"shared_bars", t.novelty->longest_bar_run}};
  } else {
    r.nearest = nullptr;
  }
  r.meter = c.meter;
  r.key = t.key;
  r.rhythm = c.rhythm;
  r.bars = t.checks.bars;
  return Store(std::move(r));
}

Parsed<TuneRecord> Studio::Impl::SaveEdited(const std::string& text, const std::string& parent) {
  if (!parent.empty()) {
    auto p = Tune(parent);
    if (!p.ok()) return ApiError{400, "parent: " + p.error().message, "parent", json::object()};
  }
  CheckedAbc checked = CheckAbc(text);
  if (!checked.ok) {
    ApiError e{422, "the ABC does not pass the checks", "abc", json::object()};
    e.extra["problems"] = checked.problems;
    return e;
  }
  const abc::Tune& tune = *checked.tune;
  TuneRecord r;
  r.title = tune.Title().empty() ? "Untitled" : tune.Title();
  r.kind = "edited";
  r.parent = parent;
  r.abc = text;
  r.settings = json::object();
  r.checks = {{"ok", true}, {"read", true}, {"read_warnings", checked.warnings}, {"bars", checked.bars},
              {"off_meter_bars", 0}, {"structure", true}, {"abc2midi", nullptr}};
  r.nearest = nullptr;
  if (auto index = composer->novelty_index()) {
    auto n = corpus::MeasureNovelty(*index, tune);
    if (n.ok() && !n->nearest_title.empty()) r.nearest = {{"title", n->nearest_title}, {"shared_bars", n->longest_bar_run}};
  }
  r.meter = tune.meter.ToString();
  r.key = tune.key.ToString();
  const auto rhythms = tune.FieldValues('R');
  r.rhythm = rhythms.empty() ? "" : rhythms[0];
  r.bars = checked.bars;
  return Store(std::move(r));
}

void Studio::Impl::RemoveFilesOf(const std::string& id) {
  std::error_code ec;
  for (auto it = fs::directory_iterator(files, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(id, 0) == 0 && name.size() > id.size() && (name[id.size()] == '.' || name[id.size()] == '-')) {
      fs::remove(it->path(), ec);
    }
  }
}

void Studio::Impl::SweepOrphanFiles() {
  // Files of deleted tunes (a delete that raced a render, or a crash), and
  // render folders a crash left behind.
  std::error_code ec;
  std::vector<fs::path> gone;
  for (auto it = fs::directory_iterator(files, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_directory(ec)) {
      if (name.rfind("render-", 0) == 0) gone.push_back(it->path());
      continue;
    }
    const size_t end = name.find_first_of(".-");
    if (end == std::string::npos || !store->Exists(name.substr(0, end))) gone.push_back(it->path());
  }
  for (const fs::path& p : gone) fs::remove_all(p, ec);
}

Parsed<std::string> Studio::Impl::RenderFile(const TuneRecord& t, const std::string& ext, const FileQuery& q) {
  const std::string stem = t.id + q.Variant();
  const fs::path path = files / (stem + "." + ext);
  if (auto cached = base::ReadFile(path); cached.ok()) return *cached;

  if (!renders->Enter()) {
    ApiError e{503, "the server is busy rendering; try again in a moment", "", json::object()};
    e.extra["retry_after"] = 2;
    return e;
  }
  struct Leave {
    RenderGate* gate;
    ~Leave() { gate->Leave(); }
  } leave{renders.get()};

  std::string text = t.abc;
  if (q.transpose != 0 || q.tempo != 0 || q.swing || !q.part.empty()) {
    auto tune = ReadOneTune(t.abc);
    if (!tune.ok()) return ApiError{422, "the stored tune does not read: " + tune.status().message(), "", json::object()};
    abc::Tune edited = std::move(*tune);
    if (q.transpose != 0) {
      auto moved = Transpose(edited, q.transpose);
      if (!moved.ok()) return BadField("transpose", "transpose: " + moved.status().message());
      edited = std::move(*moved);
    }
    if (!q.part.empty()) {
      auto part = Part(edited, q.part);
      if (!part.ok()) return ApiError{404, part.status().message(), "part", json::object()};
      edited = std::move(*part);
    }
    if (q.tempo != 0) edited = WithTempo(std::move(edited), q.tempo);
    if (q.swing) edited = Swung(std::move(edited));
    text = WriteAbc(edited);
    if (q.swing) text = render::InsertAfterKeyLine(text, {kSwingDirective}).text;
  }

  if (ext == "abc") {
    if (Status s = base::WriteFileAtomically(path, text); !s.ok()) return ApiError{500, s.message(), "", json::object()};
    // Deleted while it was written: leave no file behind (as for renders).
    if (!store->Exists(t.id)) {
      std::error_code gone;
      fs::remove(path, gone);
      return ApiError{404, "no tune '" + t.id + "'", "id", json::object()};
    }
    return text;
  }
  // Rendered in a folder of its own, then renamed into the cache: a reader
  // sees the whole file or none.
  static std::atomic<uint64_t> serial{0};
  const fs::path scratch = files / ("render-" + std::to_string(::getpid()) + "-" + std::to_string(++serial));
  render::TuneFileOptions render_options;
  render_options.dir = scratch.string();
  render_options.formats = {ext};
  auto instrument = generate::FindInstrument(t.settings.value("instrument", std::string("fiddle")));
  render_options.midi.program = instrument.ok() ? instrument->program : 73;
  render_options.midi.chords = t.settings.value("chords", true);
  render::TuneFileWriter writer(render_options);
  auto written = writer.Write(text, "tune");
  std::error_code ec;
  if (!written.ok()) {
    fs::remove_all(scratch, ec);
    return ApiError{500, written.status().message(), "", json::object()};
  }
  if (!written->midi_error.empty()) {
    fs::remove_all(scratch, ec);
    return ApiError{422, "abc2midi could not convert the tune: " + written->midi_error, "", json::object()};
  }
  auto bytes = base::ReadFile(scratch / ("tune." + ext));
  if (!bytes.ok()) {
    fs::remove_all(scratch, ec);
    return ApiError{500, bytes.status().message(), "", json::object()};
  }
  fs::rename(scratch / ("tune." + ext), path, ec);
  fs::remove_all(scratch, ec);
  // Deleted while it was rendered: leave no file behind.
  if (!store->Exists(t.id)) {
    fs::remove(path, ec);
    return ApiError{404, "no tune '" + t.id + "'", "id", json::object()};
  }
  return *bytes;
}

void Studio::Impl::Routes() {
  httplib::Server& s = server;
  // httplib 0.11 caps each header line at 8 KB but not their number.
  s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (req.headers.size() <= kMaxHeaders) return httplib::Server::HandlerResponse::Unhandled;
    SendError(res, ApiError{431, "too many header fields (" + std::to_string(req.headers.size()) + ", at most " +
                                     std::to_string(kMaxHeaders) + ")", "", json::object()});
    res.set_header("Connection", "close");
    return httplib::Server::HandlerResponse::Handled;
  });
  const auto body_of = [](const httplib::Request& req, httplib::Response& res) -> bool {
    const std::string type = req.get_header_value("Content-Type");
    if (!type.empty() && type.rfind("application/json", 0) != 0) {
      SendError(res, ApiError{415, "send the body as application/json (got " + type.substr(0, 60) + ")", "",
                              json::object()});
      return false;
    }
    return true;
  };
  const auto query_of = [](const httplib::Request& req) -> Parsed<Query> {
    Query q;
    for (const auto& [k, v] : req.params) {
      if (!q.emplace(k, v).second) return BadField(k, "parameter '" + k.substr(0, 40) + "' is given twice");
    }
    return q;
  };

  s.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    const QueueStats q = queue->Stats();
    SendJson(res, 200, {{"ok", true},
                        {"queue", {{"waiting", q.waiting}, {"busy", q.busy}, {"composed", q.composed},
                                   {"batches", q.batches}, {"rejected", q.rejected}}}});
  });

  s.Get("/api/model", [this](const httplib::Request&, httplib::Response& res) { SendJson(res, 200, model_info); });

  s.Get("/api/tunes", [this, query_of](const httplib::Request& req, httplib::Response& res) {
    auto q = query_of(req);
    if (!q.ok()) return SendError(res, q.error());
    auto list = ParseListQuery(*q);
    if (!list.ok()) return SendError(res, list.error());
    auto tunes = store->List(list->page, list->per_page, list->starred_only);
    auto total = store->Count(list->starred_only);
    if (!tunes.ok() || !total.ok()) {
      return SendError(res, ApiError{500, (!tunes.ok() ? tunes.status() : total.status()).message(), "", json::object()});
    }
    json out = json::array();
    for (const TuneRecord& t : *tunes) out.push_back(t.ToJson());
    SendJson(res, 200, {{"tunes", out}, {"total", *total}, {"page", list->page}, {"per_page", list->per_page}});
  });

  s.Post("/api/tunes", [this, body_of](const httplib::Request& req, httplib::Response& res) {
    if (!body_of(req, res)) return;
    auto parsed = ParseTuneRequest(req.body);
    if (!parsed.ok()) return SendError(res, parsed.error());
    if (parsed->edited) {
      auto saved = SaveEdited(parsed->abc, parsed->parent);
      if (!saved.ok()) return SendError(res, saved.error());
      return SendJson(res, 201, saved->ToJson());
    }
    if (ApiError e = CheckAgainstModel(parsed->compose); e.status) return SendError(res, e);
    auto made = ComposeAndStore(parsed->compose, "composed", "", json::object());
    if (!made.ok()) {
      if (made.error().status == 503) res.set_header("Retry-After", std::to_string(queue->RetryAfterSeconds()));
      return SendError(res, made.error());
    }
    SendJson(res, 201, made->ToJson());
  });

  s.Post("/api/check", [body_of](const httplib::Request& req, httplib::Response& res) {
    if (!body_of(req, res)) return;
    auto text = ParseCheckRequest(req.body);
    if (!text.ok()) return SendError(res, text.error());
    CheckedAbc checked = CheckAbc(*text);
    SendJson(res, 200, {{"ok", checked.ok},
                        {"problems", checked.problems},
                        {"title", checked.tune ? json(checked.tune->Title()) : json(nullptr)},
                        {"bars", checked.bars}});
  });

  s.Get(R"(/api/tunes/([^/]+)\.(abc|mid|wav|svg))", [this, query_of](const httplib::Request& req,
                                                                       httplib::Response& res) {
    const std::string id = req.matches[1], ext = req.matches[2];
    auto q = query_of(req);
    if (!q.ok()) return SendError(res, q.error());
    auto fq = ParseFileQuery(*q, ext);
    if (!fq.ok()) return SendError(res, fq.error());
    auto t = Tune(id);
    if (!t.ok()) return SendError(res, t.error());
    // A cached file is sent from an open descriptor in 64 KiB pieces (a
    // delete meanwhile does not cut it short); else it is rendered first.
    auto cached = std::make_shared<std::ifstream>(files / (t->id + fq->Variant() + "." + ext), std::ios::binary);
    std::string rendered;
    if (!*cached) {
      auto bytes = RenderFile(*t, ext, *fq);
      if (!bytes.ok()) {
        if (bytes.error().status == 503) res.set_header("Retry-After", "2");
        return SendError(res, bytes.error());
      }
      rendered = std::move(*bytes);
    }
    res.status = 200;
    res.set_header("Content-Disposition",
                   "attachment; filename=\"" + render::Slug(t->title) + fq->Variant() + "." + ext + "\"");
    if (ext == "svg") {
      // An SVG may carry script from an edited tune's text: never run it.
      res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    }
    if (!*cached) {
      res.body = std::move(rendered);  // set_content would copy it once more
      res.set_header("Content-Type", ContentType(ext));
      return;
    }
    cached->seekg(0, std::ios::end);
    const auto size = static_cast<size_t>(cached->tellg());
    cached->seekg(0);
    res.set_content_provider(size, ContentType(ext), [cached](size_t offset, size_t length, httplib::DataSink& sink) {
      std::array<char, 64 * 1024> piece;
      cached->seekg(static_cast<std::streamoff>(offset));
      cached->read(piece.data(), static_cast<std::streamsize>(std::min(length, piece.size())));
      const std::streamsize got = cached->gcount();
      if (got <= 0) return false;
      return sink.write(piece.data(), static_cast<size_t>(got));
    });
  });

  s.Get(R"(/api/tunes/([^/.]+))", [this](const httplib::Request& req, httplib::Response& res) {
    auto t = Tune(req.matches[1]);
    if (!t.ok()) return SendError(res, t.error());
    SendJson(res, 200, t->ToJson());
  });

  s.Delete(R"(/api/tunes/([^/.]+))", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.matches[1];
    if (!IsTuneId(id)) return SendError(res, ApiError{404, "no tune '" + id.substr(0, 40) + "'", "id", json::object()});
    Status deleted = store->Delete(id);
    if (deleted.IsNotFound()) return SendError(res, ApiError{404, deleted.message(), "id", json::object()});
    if (!deleted.ok()) return SendError(res, ApiError{500, deleted.message(), "", json::object()});
    RemoveFilesOf(id);
    res.status = 204;
  });

  s.Post(R"(/api/tunes/([^/.]+)/star)", [this, body_of](const httplib::Request& req, httplib::Response& res) {
    if (!body_of(req, res)) return;
    auto t = Tune(req.matches[1]);
    if (!t.ok()) return SendError(res, t.error());
    auto starred = ParseStarRequest(req.body);
    if (!starred.ok()) return SendError(res, starred.error());
    auto updated = store->SetStarred(t->id, *starred);
    if (!updated.ok()) {
      return SendError(res, ApiError{updated.status().IsNotFound() ? 404 : 500, updated.status().message(), "",
                                     json::object()});
    }
    SendJson(res, 200, updated->ToJson());
  });

  s.Post(R"(/api/tunes/([^/.]+)/vary)", [this, body_of](const httplib::Request& req, httplib::Response& res) {
    if (!body_of(req, res)) return;
    auto t = Tune(req.matches[1]);
    if (!t.ok()) return SendError(res, t.error());
    auto vary = ParseVaryRequest(req.body);
    if (!vary.ok()) return SendError(res, vary.error());
    auto tune = ReadOneTune(t->abc);
    if (!tune.ok()) return SendError(res, ApiError{422, "the tune does not read: " + tune.status().message(), "", json::object()});
    auto prime = vary->keep_a ? PrimeOfFirstPart(*tune) : PrimeOfFirstBars(*tune, vary->keep_bars);
    if (!prime.ok()) return SendError(res, BadField(vary->keep_a ? "keep" : "keep_bars", prime.status().message()));
    // The parent's settings, in its resolved meter, key and rhythm.
    generate::ComposeRequest r;
    const json& ps = t->settings;
    auto str = [&](const char* k) { return ps.contains(k) && ps[k].is_string() ? ps[k].get<std::string>() : std::string(); };
    r.meter = tune->meter.ToString();
    int step = 0, alter = 0;
    const std::string tonic = t->key.empty() ? tune->key.ToString() : t->key;
    r.key = abc::ParseTonic(tonic, &step, &alter) ? tonic : "";
    r.mode = abc::ModeName(tune->key.mode);
    // A rhythm the model does not know (an edited tune's R:) is left to it.
    r.rhythm = generate::RhythmToken(t->rhythm, composer->vocabulary()).ok() ? t->rhythm : "";
    r.parts = str("parts");
    if (ps.contains("bars") && ps["bars"].is_number_integer()) r.bars = ps["bars"].get<int>();
    if (ps.contains("temperature") && ps["temperature"].is_number()) r.sampling.temperature = ps["temperature"].get<float>();
    if (ps.contains("top_k") && ps["top_k"].is_number_integer()) r.sampling.top_k = ps["top_k"].get<int>();
    if (ps.contains("top_p") && ps["top_p"].is_number()) r.sampling.top_p = ps["top_p"].get<float>();
    if (ps.contains("chords") && ps["chords"].is_boolean()) r.chords = ps["chords"].get<bool>();
    if (!str("instrument").empty()) r.instrument = str("instrument");
    if (vary->temperature) r.sampling.temperature = *vary->temperature;
    if (vary->seed) r.seed = *vary->seed;
    // One line: the prime goes into the tune's N: line (the command that makes it again).
    r.prime = prime->fragment;
    std::replace(r.prime.begin(), r.prime.end(), '\n', ' ');
    while (!r.prime.empty() && r.prime.back() == ' ') r.prime.pop_back();
    json extra = vary->keep_a ? json{{"keep", "A"}} : json{{"keep_bars", vary->keep_bars}};
    auto made = ComposeAndStore(r, "variation", t->id, extra);
    if (!made.ok()) {
      if (made.error().status == 503) res.set_header("Retry-After", std::to_string(queue->RetryAfterSeconds()));
      return SendError(res, made.error());
    }
    SendJson(res, 201, made->ToJson());
  });

  s.Get("/api/tunebook.abc", [this](const httplib::Request&, httplib::Response& res) {
    auto tunes = store->Starred();
    if (!tunes.ok()) return SendError(res, ApiError{500, tunes.status().message(), "", json::object()});
    std::string book = "%abc-2.1\n% tunebook: the starred tunes of tunesmith's studio\n\n";
    int x = 0;
    for (const TuneRecord& t : *tunes) {
      std::string abc = t.abc;
      const size_t nl = abc.find('\n');
      if (abc.rfind("X:", 0) == 0 && nl != std::string::npos) abc = abc.substr(nl + 1);
      while (!abc.empty() && (abc.back() == '\n' || abc.back() == '\r' || abc.back() == ' ')) abc.pop_back();
      // A blank line ends a tune in ABC: keep each tune in one piece.
      std::string joined;
      for (std::string_view line : render::SplitLines(abc)) {
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        joined.append(line).push_back('\n');
      }
      book += "X:" + std::to_string(++x) + "\n" + joined + "\n";
    }
    res.set_header("Content-Disposition", "attachment; filename=\"tunebook.abc\"");
    res.set_content(book, ContentType("abc"));
  });

  // The page.
  const auto send_file = [this](httplib::Response& res, const fs::path& path) {
    auto bytes = base::ReadFile(path);
    if (!bytes.ok()) return SendError(res, ApiError{404, "not found", "", json::object()});
    std::string ext = path.extension().string();
    if (!ext.empty()) ext = ext.substr(1);
    res.set_content(*bytes, ContentType(ext));
  };
  s.Get("/", [this, send_file](const httplib::Request&, httplib::Response& res) {
    if (web_root.empty()) return SendError(res, ApiError{404, "no web page was found (give --web DIR)", "", json::object()});
    send_file(res, fs::path(web_root) / "web" / "index.html");
  });
  s.Get(R"(/static/(.*))", [this, send_file](const httplib::Request& req, httplib::Response& res) {
    static const std::regex name(R"([A-Za-z0-9_-][A-Za-z0-9_.-]{0,99})");
    static const std::set<std::string> types = {"html", "js", "css", "svg", "png", "ico", "json"};
    const std::string n = req.matches[1];
    const size_t dot = n.rfind('.');
    if (web_root.empty() || !std::regex_match(n, name) || n.find("..") != std::string::npos || dot == std::string::npos ||
        !types.count(n.substr(dot + 1))) {
      return SendError(res, ApiError{404, "no such file", "", json::object()});
    }
    send_file(res, fs::path(web_root) / "web" / n);
  });
  s.Get("/vendor/abcjs-basic-min.js", [this, send_file](const httplib::Request&, httplib::Response& res) {
    if (web_root.empty()) return SendError(res, ApiError{404, "no web root", "", json::object()});
    send_file(res, fs::path(web_root) / "node_modules" / "abcjs" / "dist" / "abcjs-basic-min.js");
  });

  // Errors httplib answers itself (no route, a body past the limit) are JSON too.
  s.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& req, httplib::Response& res) -> httplib::Server::HandlerResponse {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    static const std::regex api(
        R"(/api/tunes(/[a-z0-9]+(\.(abc|mid|wav|svg)|/vary|/star)?)?|/api/(model|check|tunebook\.abc)|/healthz)");
    if (res.status == 404 && std::regex_match(req.path, api)) {
      SendJson(res, 405, ApiError{405, "method " + req.method + " is not allowed on " + req.path, "", json::object()}.Body());
      return httplib::Server::HandlerResponse::Handled;
    }
    std::string message = res.status == 413 ? "the body is too large (at most " + std::to_string(kMaxBodyBytes) + " bytes)"
                          : res.status == 404 ? "no such path"
                          : res.status == 400 ? "malformed request"
                                              : "error " + std::to_string(res.status);
    SendJson(res, res.status, ApiError{res.status, message, "", json::object()}.Body());
    return httplib::Server::HandlerResponse::Handled;
  }));
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "internal error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = std::string("internal error: ") + e.what();
    } catch (...) {
    }
    SendJson(res, 500, ApiError{500, what, "", json::object()}.Body());
  });
}

Studio::Studio(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Studio::~Studio() {
  Stop();
  impl_->queue.reset();
}

Result<std::unique_ptr<Studio>> Studio::Create(const generate::Composer* composer, StudioOptions options) {
  if (options.workers < 1 || options.workers > 64) return Status::InvalidArgument("--workers must be in 1..64");
  if (options.port < 0 || options.port > 65535) return Status::InvalidArgument("--port must be in 0..65535");
  if (options.queue_limit < 0) return Status::InvalidArgument("--queue must be at least 0");
  auto impl = std::make_unique<Impl>();
  impl->composer = composer;
  const fs::path db = fs::absolute(options.db);
  std::error_code ec;
  if (!db.parent_path().empty()) fs::create_directories(db.parent_path(), ec);
  auto store = TuneStore::Open(db.string());
  if (!store.ok()) return store.status();
  impl->store = std::move(*store);
  impl->files = db.string() + ".files";
  fs::create_directories(impl->files, ec);
  if (ec) return Status::IOError("cannot make the file cache " + impl->files.string() + ": " + ec.message());
  auto root = FindWebRoot(options.web);
  if (root.ok()) impl->web_root = *root;
  else if (!options.web.empty()) return root.status();
  impl->queue = std::make_unique<ComposeQueue>(*composer, options.workers, options.queue_limit, options.max_batch);
  impl->renders = std::make_unique<RenderGate>(std::max(1, options.renders), std::max(0, options.render_queue));
  impl->model_info = impl->ModelInfo();
  impl->options = options;
  impl->SweepOrphanFiles();

  httplib::Server& s = impl->server;
  const int max_connections = options.max_connections;
  s.new_task_queue = [max_connections] { return new ConnectionThreads(max_connections); };
  s.set_payload_max_length(kMaxBodyBytes);
  s.set_read_timeout(options.read_timeout_seconds, 0);
  s.set_write_timeout(options.write_timeout_seconds, 0);
  s.set_keep_alive_timeout(options.read_timeout_seconds);
  s.set_keep_alive_max_count(1000);
  Impl* raw = impl.get();
  s.set_socket_options([raw](socket_t fd) {
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    raw->listen_fd = fd;  // the last socket configured before bind is the listening one
  });
  if (options.log) {
    s.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      std::cerr << "tunesmith serve: " << req.method << " " << req.path << " " << res.status << "\n";
    });
  }
  impl->Routes();
  return std::unique_ptr<Studio>(new Studio(std::move(impl)));
}

Status Studio::Bind() {
  httplib::Server& s = impl_->server;
  const StudioOptions& o = impl_->options;
  if (o.port == 0) {
    impl_->port = s.bind_to_any_port(o.host);
    if (impl_->port < 0) return Status::IOError("cannot listen on " + o.host + " (any port)");
  } else {
    if (!s.bind_to_port(o.host, o.port)) {
      return Status::IOError("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                             " (in use, or not an address of this machine)");
    }
    impl_->port = o.port;
  }
  // httplib listens with a backlog of 5: a burst of connections would be
  // refused and retried a second later. Listening again widens it.
  int accepting = 0;
  socklen_t size = sizeof accepting;
  if (impl_->listen_fd >= 0 && ::getsockopt(impl_->listen_fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &size) == 0 &&
      accepting) {
    ::listen(impl_->listen_fd, 1024);
  }
  return Status::Ok();
}

int Studio::Port() const { return impl_->port; }
const std::string& Studio::WebRoot() const { return impl_->web_root; }

Status Studio::Serve() {
  if (!impl_->server.listen_after_bind()) {
    if (!impl_->server.is_running()) return Status::Ok();
    return Status::IOError("the server stopped");
  }
  return Status::Ok();
}

void Studio::Stop() { impl_->server.stop(); }

void Studio::HoldComposing(bool hold) { impl_->queue->Hold(hold); }

namespace {
std::atomic<Studio*> g_running{nullptr};
extern "C" void StopOnSignal(int) {
  // httplib's stop() shuts the listening socket down: safe enough here,
  // and the main thread then leaves Serve().
  if (Studio* s = g_running.load()) s->Stop();
}
}  // namespace

Status Run(const std::string& model, StudioOptions options, int threads) {
  model::UseThreads(threads);
  auto composer = generate::Composer::Open(model);
  if (!composer.ok()) return composer.status();
  const generate::ModelSummary& m = (*composer)->model();
  std::cerr << "tunesmith serve: model " << m.path << " (" << m.architecture << ", " << m.layers << "x" << m.hidden
            << ", " << m.vocab_size << " tokens)\n";
  for (const std::string& n : (*composer)->notes()) std::cerr << "tunesmith serve: warning: " << n << "\n";
  auto studio = Studio::Create(composer->get(), options);
  if (!studio.ok()) return studio.status();
  if (Status s = (*studio)->Bind(); !s.ok()) return s;
  std::cerr << "tunesmith serve: tunes in " << fs::absolute(options.db).string() << "\n";
  if ((*studio)->WebRoot().empty()) {
    std::cerr << "tunesmith serve: warning: no web page found (give --web DIR); the API works without it\n";
  } else {
    std::cerr << "tunesmith serve: page from " << (*studio)->WebRoot() << "/web\n";
  }
  std::cout << "tunesmith serve: listening on http://" << options.host << ":" << (*studio)->Port() << "/" << std::endl;
  g_running = studio->get();
  std::signal(SIGINT, StopOnSignal);
  std::signal(SIGTERM, StopOnSignal);
  std::signal(SIGPIPE, SIG_IGN);
  Status served = (*studio)->Serve();
  g_running = nullptr;
  std::cerr << "tunesmith serve: stopped\n";
  return served;
}

}  // namespace tunesmith::serve
