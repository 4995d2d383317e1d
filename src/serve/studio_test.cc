// The studio end to end on loopback, with the bundled model: a table of
// malformed and hostile requests (each answered with its 4xx while /healthz
// keeps answering), the API round trip and its files, variations, edited
// tunes, the tunebook, a restart, and a full queue answered with 503.
#include "serve/studio.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "generate/model_path.h"
#include "serve/abc_edit.h"
#include "serve/connection_threads.h"

namespace tunesmith::serve {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const generate::Composer* SharedComposer() {
  static std::unique_ptr<generate::Composer> composer = [] {
    auto c = generate::Composer::Open("");
    return c.ok() ? std::move(*c) : nullptr;
  }();
  return composer.get();
}

class Running {
 public:
  Running(const generate::Composer* composer, StudioOptions options) {
    options.port = 0;
    auto s = Studio::Create(composer, options);
    EXPECT_TRUE(s.ok()) << s.status().message();
    if (!s.ok()) return;
    studio_ = std::move(*s);
    EXPECT_TRUE(studio_->Bind().ok());
    thread_ = std::thread([this] { studio_->Serve(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", studio_->Port());
    client_->set_read_timeout(120, 0);
    for (int i = 0; i < 100 && !client_->Get("/healthz"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ~Running() {
    if (studio_) studio_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  httplib::Client& client() { return *client_; }
  int port() const { return studio_->Port(); }
  Studio& studio() { return *studio_; }

 private:
  std::unique_ptr<Studio> studio_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

class StudioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!SharedComposer()) GTEST_SKIP() << "the bundled model was not found";
    dir_ = fs::temp_directory_path() / ("ts_studio_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    options_.db = (dir_ / "studio.db").string();
    options_.web = std::string(std::getenv("TUNESMITH_SOURCE_DIR") ? std::getenv("TUNESMITH_SOURCE_DIR") : "");
    if (!fs::exists(fs::path(options_.web) / "web" / "index.html")) options_.web.clear();
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  static json Body(const httplib::Result& r) { return json::parse(r->body, nullptr, false); }
  static json Post(httplib::Client& c, const std::string& path, const json& body) {
    auto r = c.Post(path.c_str(), body.dump(), "application/json");
    EXPECT_TRUE(r) << path;
    if (!r) return nullptr;
    EXPECT_EQ(r->status, 201) << path << ": " << r->body;
    return Body(r);
  }

  fs::path dir_;
  StudioOptions options_;
};

struct Hostile {
  std::string name;
  std::string method;
  std::string path;
  std::string body;
  std::string content_type;
  int status;
  std::string field;  // "" when no field is named
};

TEST_F(StudioTest, MalformedAndHostileRequestsGetTheirStatusWhileTheServerKeepsServing) {
  Running s(SharedComposer(), options_);
  const std::string json_type = "application/json";
  const std::vector<Hostile> cases = {
      {"malformed JSON", "POST", "/api/tunes", "{\"meter\":", json_type, 400, ""},
      {"not an object", "POST", "/api/tunes", "[]", json_type, 400, ""},
      {"nesting bomb", "POST", "/api/tunes", std::string(50000, '[') + std::string(50000, ']'), json_type, 400, ""},
      {"body too large", "POST", "/api/tunes", "{\"prime\":\"" + std::string(300000, 'A') + "\"}", json_type, 413, ""},
      {"not JSON", "POST", "/api/tunes", "meter=6/8", "application/x-www-form-urlencoded", 415, ""},
      {"unknown field", "POST", "/api/tunes", "{\"temprature\":1}", json_type, 400, "temprature"},
      {"temperature out of range", "POST", "/api/tunes", "{\"temperature\":-1}", json_type, 400, "temperature"},
      {"top_p out of range", "POST", "/api/tunes", "{\"top_p\":2}", json_type, 400, "top_p"},
      {"bars out of range", "POST", "/api/tunes", "{\"bars\":100000}", json_type, 400, "bars"},
      {"unknown mode", "POST", "/api/tunes", "{\"mode\":\"xyz\"}", json_type, 400, "mode"},
      {"meter the model never saw", "POST", "/api/tunes", "{\"meter\":\"13/16\"}", json_type, 400, "meter"},
      {"unknown rhythm", "POST", "/api/tunes", "{\"rhythm\":\"tango\"}", json_type, 400, "rhythm"},
      {"not a key", "POST", "/api/tunes", "{\"key\":\"H\"}", json_type, 400, "key"},
      {"unknown instrument", "POST", "/api/tunes", "{\"instrument\":\"theremin\"}", json_type, 400, "instrument"},
      {"prime that is not music", "POST", "/api/tunes", "{\"prime\":\"|||:::]]]\",\"meter\":\"4/4\"}", json_type, 400,
       "prime"},
      {"edited ABC off the meter", "POST", "/api/tunes", "{\"abc\":\"X:1\\nT:t\\nM:4/4\\nL:1/8\\nK:C\\nCDEFGABc|CDE|CDEFGABc|]\\n\"}",
       json_type, 422, "abc"},
      {"edited ABC, bad parent", "POST", "/api/tunes", "{\"abc\":\"X:1\\nK:C\\nC8|\\n\",\"parent\":\"zzzzzzzz\"}",
       json_type, 400, "parent"},
      {"no such tune", "GET", "/api/tunes/zzzzzzzz", "", "", 404, "id"},
      {"id too short", "GET", "/api/tunes/abc", "", "", 404, "id"},
      {"id upper case", "GET", "/api/tunes/ABCDEFGH", "", "", 404, "id"},
      {"file of no tune", "GET", "/api/tunes/zzzzzzzz.wav", "", "", 404, "id"},
      {"dotted id", "GET", "/api/tunes/..%2F..%2Fetc%2Fpasswd", "", "", 404, ""},
      {"unknown extension", "GET", "/api/tunes/zzzzzzzz.exe", "", "", 404, ""},
      {"delete no tune", "DELETE", "/api/tunes/zzzzzzzz", "", "", 404, "id"},
      {"star no tune", "POST", "/api/tunes/zzzzzzzz/star", "{\"starred\":true}", json_type, 404, "id"},
      {"vary no tune", "POST", "/api/tunes/zzzzzzzz/vary", "{\"keep_bars\":2}", json_type, 404, "id"},
      {"list page 0", "GET", "/api/tunes?page=0", "", "", 400, "page"},
      {"list per_page huge", "GET", "/api/tunes?per_page=100000", "", "", 400, "per_page"},
      {"list unknown parameter", "GET", "/api/tunes?sort=title", "", "", 400, "sort"},
      {"list parameter twice", "GET", "/api/tunes?page=1&page=2", "", "", 400, "page"},
      {"check without abc", "POST", "/api/check", "{}", json_type, 400, "abc"},
      {"wrong method", "PUT", "/api/tunes", "{}", json_type, 405, ""},
      {"wrong method on healthz", "POST", "/healthz", "{}", json_type, 405, ""},
      {"no such path", "GET", "/api/nothing", "", "", 404, ""},
      {"static dot dot", "GET", "/static/../CMakeLists.txt", "", "", 404, ""},
      {"static encoded dot dot", "GET", "/static/%2e%2e%2fCMakeLists.txt", "", "", 404, ""},
      {"static subfolder", "GET", "/static/sub/x.js", "", "", 404, ""},
      {"static wrong type", "GET", "/static/index.sh", "", "", 404, ""},
  };
  httplib::Client& c = s.client();
  for (const Hostile& h : cases) {
    httplib::Result r = h.method == "GET"      ? c.Get(h.path.c_str())
                        : h.method == "DELETE" ? c.Delete(h.path.c_str())
                        : h.method == "PUT"    ? c.Put(h.path.c_str(), h.body, h.content_type.c_str())
                                               : c.Post(h.path.c_str(), h.body, h.content_type.c_str());
    ASSERT_TRUE(r) << h.name << ": no answer";
    EXPECT_EQ(r->status, h.status) << h.name << ": " << r->body.substr(0, 300);
    const json body = Body(r);
    ASSERT_TRUE(body.is_object()) << h.name << ": not JSON: " << r->body.substr(0, 200);
    EXPECT_TRUE(body["error"].is_string()) << h.name;
    if (!h.field.empty()) {
      EXPECT_EQ(body["field"], h.field) << h.name << ": " << r->body.substr(0, 300);
    }
    auto health = c.Get("/healthz");
    ASSERT_TRUE(health) << h.name << ": /healthz did not answer after it";
    EXPECT_EQ(health->status, 200) << h.name;
  }
  // A flood of header fields (httplib caps each line, not their number).
  httplib::Headers flood;
  for (int i = 0; i < 150; ++i) flood.emplace("X-Flood-" + std::to_string(i), "x");
  httplib::Client fresh("127.0.0.1", s.port());
  auto r = fresh.Get("/healthz", flood);
  ASSERT_TRUE(r) << "150 header fields: no answer";
  EXPECT_EQ(r->status, 431);
  EXPECT_TRUE(Body(r)["error"].is_string());
  EXPECT_EQ(c.Get("/healthz")->status, 200);
}

TEST_F(StudioTest, ComposeFetchFilesStarTunebookDelete) {
  Running s(SharedComposer(), options_);
  httplib::Client& c = s.client();
  json tune = Post(c, "/api/tunes", {{"meter", "6/8"}, {"rhythm", "jig"}, {"seed", 7}, {"key", "D"}});
  ASSERT_TRUE(tune.is_object());
  const std::string id = tune["id"];
  EXPECT_EQ(tune["kind"], "composed");
  EXPECT_EQ(tune["parent"], nullptr);
  EXPECT_EQ(tune["seed"], 7);
  EXPECT_EQ(tune["meter"], "6/8");
  EXPECT_EQ(tune["rhythm"], "jig");
  EXPECT_EQ(tune["settings"]["seed"], 7);
  EXPECT_EQ(tune["checks"]["ok"], true);
  EXPECT_GT(tune["bars"].get<int>(), 0);
  EXPECT_EQ(tune["abc"].get<std::string>().rfind("X:1\n", 0), 0u);
  EXPECT_NE(tune["abc"].get<std::string>().find("K:D"), std::string::npos);
  EXPECT_TRUE(tune["nearest"].is_null() || tune["nearest"]["title"].is_string());
  // The same seed and settings give the same tune.
  json again = Post(c, "/api/tunes", {{"meter", "6/8"}, {"rhythm", "jig"}, {"seed", 7}, {"key", "D"}});
  EXPECT_EQ(again["abc"], tune["abc"]);
  EXPECT_NE(again["id"], tune["id"]);

  auto got = c.Get(("/api/tunes/" + id).c_str());
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(Body(got), tune);
  auto list = c.Get("/api/tunes?per_page=1");
  ASSERT_TRUE(list);
  EXPECT_EQ(Body(list)["total"], 2);
  EXPECT_EQ(Body(list)["tunes"].size(), 1u);
  EXPECT_EQ(Body(list)["tunes"][0]["id"], again["id"]);  // newest first

  const std::string slug = "attachment; filename=\"";
  struct File {
    std::string ext, query, type, magic;
  };
  for (const File& f : std::vector<File>{{"abc", "", "text/vnd.abc", "X:1"},
                                         {"abc", "?transpose=2", "text/vnd.abc", "X:1"},
                                         {"mid", "", "audio/midi", "MThd"},
                                         {"mid", "?tempo=90&lilt=swing&part=B&transpose=-3", "audio/midi", "MThd"},
                                         {"wav", "", "audio/wav", "RIFF"},
                                         {"svg", "", "image/svg+xml", "<"}}) {
    const std::string path = "/api/tunes/" + id + "." + f.ext + f.query;
    auto r = c.Get(path.c_str());
    ASSERT_TRUE(r) << path;
    ASSERT_EQ(r->status, 200) << path << ": " << r->body.substr(0, 300);
    EXPECT_EQ(r->get_header_value("Content-Type").rfind(f.type, 0), 0u) << path;
    EXPECT_EQ(r->body.rfind(f.magic, 0), 0u) << path;
    EXPECT_EQ(r->get_header_value("Content-Disposition").rfind(slug, 0), 0u) << path;
    // The second time it comes from the cache, the same bytes.
    auto cached = c.Get(path.c_str());
    ASSERT_TRUE(cached);
    EXPECT_EQ(cached->body, r->body) << path;
  }
  auto moved = c.Get(("/api/tunes/" + id + ".abc?transpose=2").c_str());
  EXPECT_NE(moved->body.find("K:E"), std::string::npos) << moved->body;

  auto star = c.Post(("/api/tunes/" + id + "/star").c_str(), "{\"starred\":true}", "application/json");
  ASSERT_TRUE(star);
  EXPECT_EQ(star->status, 200);
  EXPECT_EQ(Body(star)["starred"], true);
  auto starred = c.Get("/api/tunes?starred=1");
  EXPECT_EQ(Body(starred)["total"], 1);
  auto book = c.Get("/api/tunebook.abc");
  ASSERT_TRUE(book);
  EXPECT_EQ(book->status, 200);
  EXPECT_NE(book->body.find("X:1\nT:" + tune["title"].get<std::string>()), std::string::npos) << book->body;
  EXPECT_EQ(book->body.find("X:2"), std::string::npos);

  auto del = c.Delete(("/api/tunes/" + id).c_str());
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 204);
  EXPECT_EQ(c.Get(("/api/tunes/" + id).c_str())->status, 404);
  EXPECT_EQ(c.Get(("/api/tunes/" + id + ".wav").c_str())->status, 404);
  for (const auto& entry : fs::directory_iterator(options_.db + ".files")) {
    EXPECT_NE(entry.path().filename().string().rfind(id, 0), 0u) << entry.path() << " outlived its tune";
  }
  auto model = c.Get("/api/model");
  ASSERT_TRUE(model);
  EXPECT_EQ(model->status, 200);
  EXPECT_FALSE(Body(model)["meters"].empty());
  EXPECT_FALSE(Body(model)["modes"].empty());
  EXPECT_FALSE(Body(model)["instruments"].empty());
}

TEST_F(StudioTest, VariationsKeepTheBarsOrThePartAsked) {
  Running s(SharedComposer(), options_);
  httplib::Client& c = s.client();
  json parent = Post(c, "/api/tunes", {{"meter", "4/4"}, {"rhythm", "reel"}, {"seed", 11}, {"key", "G"}});
  ASSERT_TRUE(parent.is_object());
  const std::string id = parent["id"];
  auto parent_tune = ReadOneTune(parent["abc"].get<std::string>());
  ASSERT_TRUE(parent_tune.ok());

  json bars = Post(c, "/api/tunes/" + id + "/vary", {{"keep_bars", 3}, {"seed", 5}});
  ASSERT_TRUE(bars.is_object());
  EXPECT_EQ(bars["kind"], "variation");
  EXPECT_EQ(bars["parent"], id);
  EXPECT_EQ(bars["settings"]["keep_bars"], 3);
  auto child = ReadOneTune(bars["abc"].get<std::string>());
  ASSERT_TRUE(child.ok());
  EXPECT_EQ(PrimeOfFirstBars(*child, 3)->fragment, PrimeOfFirstBars(*parent_tune, 3)->fragment);
  EXPECT_EQ(bars["checks"]["ok"], true) << bars.dump();

  json b_part = Post(c, "/api/tunes/" + id + "/vary", {{"keep", "A"}});
  ASSERT_TRUE(b_part.is_object());
  auto with_new_b = ReadOneTune(b_part["abc"].get<std::string>());
  ASSERT_TRUE(with_new_b.ok());
  EXPECT_EQ(PrimeOfFirstPart(*with_new_b)->fragment, PrimeOfFirstPart(*parent_tune)->fragment) << b_part["abc"].get<std::string>() << "\n--- parent:\n" << parent["abc"].get<std::string>();
  EXPECT_EQ(b_part["settings"]["keep"], "A");

  auto too_many = c.Post(("/api/tunes/" + id + "/vary").c_str(), "{\"keep_bars\":100}", "application/json");
  ASSERT_TRUE(too_many);
  EXPECT_EQ(too_many->status, 400);
  EXPECT_EQ(Body(too_many)["field"], "keep_bars");
}

TEST_F(StudioTest, EditedTunesAreCheckedThenSaved) {
  Running s(SharedComposer(), options_);
  httplib::Client& c = s.client();
  const std::string good = "X:1\nT:My Edit\nM:6/8\nL:1/8\nR:jig\nK:D\n|:DEF GAB|A3 F3:|\n";
  auto check = c.Post("/api/check", json{{"abc", good}}.dump(), "application/json");
  ASSERT_TRUE(check);
  EXPECT_EQ(check->status, 200);
  EXPECT_EQ(Body(check)["ok"], true);
  EXPECT_EQ(Body(check)["title"], "My Edit");
  EXPECT_EQ(Body(check)["bars"], 2);
  auto bad = c.Post("/api/check", json{{"abc", "X:1\nT:b\nM:6/8\nL:1/8\nK:D\nDEF GA|\n"}}.dump(), "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(Body(bad)["ok"], false);
  ASSERT_FALSE(Body(bad)["problems"].empty());
  EXPECT_GT(Body(bad)["problems"][0]["line"].get<int>(), 0);
  json saved = Post(c, "/api/tunes", {{"abc", good}});
  EXPECT_EQ(saved["kind"], "edited");
  EXPECT_EQ(saved["title"], "My Edit");
  EXPECT_EQ(saved["abc"], good);
  auto midi = c.Get(("/api/tunes/" + saved["id"].get<std::string>() + ".mid").c_str());
  ASSERT_TRUE(midi);
  EXPECT_EQ(midi->status, 200);
}

TEST_F(StudioTest, ARestartLosesNothing) {
  std::string id, abc;
  {
    Running s(SharedComposer(), options_);
    json t = Post(s.client(), "/api/tunes", {{"seed", 3}});
    id = t["id"];
    abc = t["abc"];
    auto star = s.client().Post(("/api/tunes/" + id + "/star").c_str(), "{\"starred\":true}", "application/json");
    ASSERT_TRUE(star);
  }
  Running again(SharedComposer(), options_);
  auto r = again.client().Get(("/api/tunes/" + id).c_str());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(Body(r)["abc"], abc);
  EXPECT_EQ(Body(r)["starred"], true);
}

TEST_F(StudioTest, AFullQueueAnswers503WithRetryAfter) {
  options_.workers = 1;
  options_.queue_limit = 1;
  Running s(SharedComposer(), options_);
  std::vector<std::future<std::pair<int, std::string>>> answers;
  for (int i = 0; i < 24; ++i) {
    answers.push_back(std::async(std::launch::async, [&s, i] {
      httplib::Client c("127.0.0.1", s.port());
      c.set_read_timeout(120, 0);
      auto r = c.Post("/api/tunes", json{{"seed", 100 + i}}.dump(), "application/json");
      if (!r) return std::make_pair(-1, std::string());
      return std::make_pair(r->status, r->get_header_value("Retry-After"));
    }));
  }
  int ok = 0, busy = 0;
  for (auto& a : answers) {
    auto [status, retry] = a.get();
    if (status == 201) ++ok;
    else if (status == 503) {
      ++busy;
      EXPECT_GE(std::stoi(retry.empty() ? "0" : retry), 1);
    } else {
      ADD_FAILURE() << "status " << status;
    }
  }
  EXPECT_GE(ok, 1);
  EXPECT_GE(busy, 1);
  EXPECT_EQ(s.client().Get("/healthz")->status, 200);
}

// Connections that arrive back to back while one thread idles each get a
// thread: none waits for a busy one. (Counting the idle threads alone, the
// second job saw the first one's thread still "idle" and only woke it; it
// then waited for a busy connection to end: up to a silent client's read
// timeout, seen as /healthz stalls of 0.8-2 s in the slowloris run.)
TEST(ConnectionThreads, JobsArrivingTogetherEachGetAThread) {
  ConnectionThreads pool(64);
  std::promise<void> ran;
  pool.enqueue([&ran] { ran.set_value(); });
  ran.get_future().wait();
  for (int i = 0; i < 500 && pool.idle() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_EQ(pool.idle(), 1);
  constexpr int kJobs = 32;
  std::atomic<int> started{0};
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  for (int i = 0; i < kJobs; ++i) {
    pool.enqueue([&started, released] {
      ++started;
      released.wait();
    });
  }
  for (int i = 0; i < 1000 && started.load() < kJobs; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_EQ(started.load(), kJobs) << "jobs waited for a busy thread";
  EXPECT_EQ(pool.threads(), kJobs);
  release.set_value();
  pool.shutdown();
  EXPECT_EQ(pool.threads(), 0);
}

// The queue is held while six requests arrive, so that they meet in it
// whatever the machine's speed; released, they are composed in one batch.
TEST_F(StudioTest, RequestsThatArriveTogetherAreComposedAsOneBatch) {
  options_.workers = 1;
  Running s(SharedComposer(), options_);
  s.studio().HoldComposing(true);
  std::vector<std::future<json>> answers;
  for (int i = 0; i < 6; ++i) {
    answers.push_back(std::async(std::launch::async, [&s] {
      httplib::Client c("127.0.0.1", s.port());
      c.set_read_timeout(120, 0);
      auto r = c.Post("/api/tunes", R"({"meter":"6/8","rhythm":"jig"})", "application/json");
      return r && r->status == 201 ? json::parse(r->body) : json(nullptr);
    }));
  }
  int waiting = 0;
  for (int i = 0; i < 600 && waiting < 6; ++i) {
    if (auto h = s.client().Get("/healthz")) waiting = json::parse(h->body)["queue"]["waiting"].get<int>();
    if (waiting < 6) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(waiting, 6) << "the six requests did not all reach the queue";
  s.studio().HoldComposing(false);
  std::set<uint64_t> seeds;
  for (auto& a : answers) {
    json t = a.get();
    ASSERT_TRUE(t.is_object());
    seeds.insert(t["seed"].get<uint64_t>());
    EXPECT_EQ(t["abc"].get<std::string>().rfind("X:1\n", 0), 0u);
  }
  EXPECT_EQ(seeds.size(), 6u);  // each its own seed
  json health = json::parse(s.client().Get("/healthz")->body);
  EXPECT_EQ(health["queue"]["composed"], 6);
  EXPECT_EQ(health["queue"]["batches"], 1) << health.dump();
}

}  // namespace
}  // namespace tunesmith::serve
