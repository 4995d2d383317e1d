#include "report/report_html.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include "base/files.h"
#include "report/report_json.h"
#include "report/report_structure.h"
#include "report/report_view.h"
#include "report/svg_chart.h"

#ifndef TUNESMITH_SOURCE_DIR
#define TUNESMITH_SOURCE_DIR "."
#endif

namespace tunesmith::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kAbcjsInPackage = "node_modules/abcjs/dist/abcjs-basic-min.js";

constexpr const char* kCss = R"css(
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1180px;
       padding: 0 20px 40px; color: #222; line-height: 1.4; }
h1 { margin: 24px 0 4px; }
h2 { margin-top: 36px; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
nav a { margin-right: 14px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
th, td { border: 1px solid #ddd; padding: 4px 10px; text-align: right; }
th { background: #f4f4f4; }
td:first-child, th:first-child { text-align: left; }
tr.group th { text-align: left; background: #e8eef4; }
table.structure td:nth-child(4) { text-align: left; color: #555; }
table.kv td, table.kv th { text-align: left; }
.explain { color: #555; font-size: 14px; max-width: 900px; }
.missing { color: #999; font-style: italic; }
.plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 12px; }
.plots svg { width: 100%; height: auto; border: 1px solid #eee; }
article.tune { border: 1px solid #ddd; border-radius: 6px; padding: 8px 16px 12px; margin: 16px 0; }
article.tune h3 { margin: 6px 0; }
.tune-meta { color: #555; font-size: 14px; margin: 4px 0; }
.notation { min-height: 40px; }
.abcjs-warnings { color: #a60; font-size: 13px; }
pre.abc-source { background: #f8f8f8; padding: 8px; overflow-x: auto; font-size: 13px; }
footer { margin-top: 40px; color: #777; font-size: 13px; }
code { font-size: 13px; }
)css";

// Renders every example tune's ABC (kept in its <pre class="abc-source">,
// which is also what a reader without JavaScript sees) into its .notation
// div, and marks the page when done so a browser test can wait for it.
constexpr const char* kScript = R"js(
(function () {
  'use strict';
  var cards = document.querySelectorAll('article.tune');
  if (typeof ABCJS === 'undefined') {
    cards.forEach(function (card) {
      card.querySelector('.abcjs-warnings').textContent = 'abcjs did not load: the sheet music cannot be drawn.';
    });
    document.body.setAttribute('data-abcjs', 'missing');
    return;
  }
  cards.forEach(function (card) {
    var abc = card.querySelector('pre.abc-source').textContent;
    var target = card.querySelector('.notation');
    var tunes = ABCJS.renderAbc(target, abc, { responsive: 'resize', add_classes: true });
    var warnings = (tunes && tunes[0] && tunes[0].warnings) || [];
    if (warnings.length) {
      card.querySelector('.abcjs-warnings').textContent =
        'abcjs: ' + warnings.map(function (w) { return String(w).replace(/<[^>]*>/g, ''); }).join('; ');
    }
    card.setAttribute('data-rendered', target.querySelector('svg') ? 'yes' : 'no');
  });
  document.body.setAttribute('data-abcjs', 'done');
})();
)js";

std::string E(std::string_view s) { return HtmlEscape(s); }

std::string Missing(std::string_view what = "not measured") {
  return "<p class=\"missing\">" + E(what) + "</p>\n";
}

// A path relative to the report folder, as a URL for src/href: each
// character outside the unreserved set and '/' percent-encoded. Absolute
// paths, URLs and ".." are refused: the report folder must stand alone.
std::string RelativeUrl(const std::string& path, const std::string& key) {
  if (path.empty() || path[0] == '/' || path[0] == '\\' || path.find(':') != std::string::npos)
    throw ReportError(key + " must be a path relative to the report folder, found \"" + path + "\"");
  for (const auto& part : fs::path(path))
    if (part == "..") throw ReportError(key + " must stay inside the report folder, found \"" + path + "\"");
  std::string out;
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The value of a settings entry or a config field, as text.
std::string Scalar(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

void Row(std::string& out, std::string_view label, const std::string& cell_html) {
  out += "<tr><th>" + E(label) + "</th><td>" + cell_html + "</td></tr>\n";
}

void Header(std::string& out, const json& r, const HtmlOptions& o) {
  out += "<header>\n<h1>" + E(o.title) + "</h1>\n";
  const json* model = Object(&r, "model", "");
  const json* corpus = Object(&r, "corpus", "");
  const json* settings = Object(&r, "settings", "");
  std::string kv;
  if (auto path = Text(model, "path", "model")) Row(kv, "model", "<code>" + E(*path) + "</code>");
  {
    std::vector<std::string> parts;
    if (auto a = Text(model, "architecture", "model")) parts.push_back(*a);
    if (auto t = Text(model, "tokenizer", "model")) parts.push_back(*t + " tokens");
    if (auto p = Number(model, "parameters", "model")) parts.push_back(FormatNumber(*p, 0) + " parameters");
    std::string joined;
    for (const auto& p : parts) joined += (joined.empty() ? "" : ", ") + E(p);
    if (!joined.empty()) Row(kv, "network", joined);
  }
  if (const json* paths = Array(corpus, "paths", "corpus")) {
    std::string cell;
    for (std::size_t i = 0; i < paths->size(); ++i) {
      if (!(*paths)[i].is_string()) throw ReportError(IndexPath("corpus.paths", i) + " must be a string");
      cell += (i ? ", " : "") + ("<code>" + E((*paths)[i].get<std::string>()) + "</code>");
    }
    Row(kv, "corpus", cell);
  }
  if (const json* tunes = Object(corpus, "tunes", "corpus")) {
    std::string cell;
    for (const char* split : {"train", "valid", "test"}) {
      if (auto n = Number(tunes, split, "corpus.tunes"))
        cell += (cell.empty() ? "" : ", ") + std::string(split) + " " + FormatNumber(*n, 0);
    }
    Row(kv, "tunes per split", E(cell));
  }
  if (auto fp = Text(corpus, "fingerprint", "corpus")) Row(kv, "corpus fingerprint", "<code>" + E(*fp) + "</code>");
  if (settings) {
    for (const auto& [key, value] : settings->items()) Row(kv, key, E(Scalar(value)));
  }
  if (auto c = Text(&r, "command", "")) Row(kv, "command", "<code>" + E(*c) + "</code>");
  if (auto c = Text(&r, "created", "")) Row(kv, "created", E(*c));
  if (!kv.empty()) out += "<table class=\"kv\">\n" + kv + "</table>\n";
  if (const json* config = Object(model, "config", "model")) {
    out += "<details><summary>model configuration</summary><pre>" + E(config->dump(2, ' ', false, json::error_handler_t::replace)) + "</pre></details>\n";
  }
  if (const json* notes = Array(&r, "notes", "")) {
    out += "<ul class=\"notes\">\n";
    for (std::size_t i = 0; i < notes->size(); ++i) {
      if (!(*notes)[i].is_string()) throw ReportError(IndexPath("notes", i) + " must be a string");
      out += "<li>" + E((*notes)[i].get<std::string>()) + "</li>\n";
    }
    out += "</ul>\n";
  }
  out += "<nav><a href=\"#likelihood\">likelihood</a><a href=\"#validity\">validity</a>"
         "<a href=\"#features\">features</a><a href=\"#histograms\">histograms</a>"
         "<a href=\"#structure\">structure</a><a href=\"#classifier\">classifier test</a><a href=\"#novelty\">novelty</a>"
         "<a href=\"#training\">training</a><a href=\"#examples\">example tunes</a></nav>\n</header>\n";
}

void Likelihood(std::string& out, const json& r) {
  out += "<section id=\"likelihood\">\n<h2>Held-out likelihood</h2>\n";
  const json* l = Object(&r, "likelihood", "");
  if (!l) {
    out += Missing();
  } else {
    const std::string split = Text(l, "split", "likelihood").value_or("test");
    out += "<p class=\"explain\">Negative log-likelihood of the " + E(split) +
           " split under the model. Bits per tune compares models with different tokenisations "
           "(e.g. the token LSTM against the character baseline); lower is better.</p>\n";
    out += "<table class=\"likelihood\">\n<tr><th>figure</th><th>value</th></tr>\n";
    out += "<tr><td>bits per token</td><td>" + Cell(Number(l, "bits_per_token", "likelihood"), 4) + "</td></tr>\n";
    out += "<tr><td>bits per tune</td><td>" + Cell(Number(l, "bits_per_tune", "likelihood"), 2) + "</td></tr>\n";
    out += "<tr><td>loss (nats per token)</td><td>" + Cell(Number(l, "loss", "likelihood"), 4) + "</td></tr>\n";
    out += "<tr><td>tunes</td><td>" + Cell(Number(l, "tunes", "likelihood"), 0) + "</td></tr>\n";
    out += "<tr><td>tokens predicted</td><td>" + Cell(Number(l, "tokens", "likelihood"), 0) + "</td></tr>\n";
    out += "</table>\n";
  }
  out += "</section>\n";
}

void Validity(std::string& out, const json& r) {
  out += "<section id=\"validity\">\n<h2>Validity of sampled tunes</h2>\n";
  const json* v = Object(&r, "validity", "");
  if (!v) {
    out += Missing();
  } else {
    const char* at = "validity";
    const auto samples = Number(v, "samples", at), read = Number(v, "read", at);
    out += "<table class=\"validity\">\n<tr><th>check</th><th>tunes</th></tr>\n";
    out += "<tr><td>sampled</td><td>" + Cell(samples, 0) + "</td></tr>\n";
    out += "<tr><td>read by tunesmith without error</td><td>" + CountOf(read, samples) + "</td></tr>\n";
    out += "<tr><td>with a bar off the meter</td><td>" + CountOf(Number(v, "tunes_off_meter", at), read) + "</td></tr>\n";
    out += "<tr><td>bars off the meter</td><td>" + CountOf(Number(v, "bars_off_meter", at), Number(v, "bars", at)) +
           "</td></tr>\n";
    out += "<tr><td>converted by abc2midi without errors</td><td>" + CountOf(Number(v, "abc2midi_ok", at), samples) +
           "</td></tr>\n";
    out += "<tr><td>with abc2midi warnings</td><td>" + CountOf(Number(v, "tunes_with_warnings", at), samples) +
           "</td></tr>\n";
    out += "<tr><td>abc2midi warnings in all</td><td>" + Cell(Number(v, "abc2midi_warnings", at), 0) + "</td></tr>\n";
    out += "</table>\n";
  }
  out += "</section>\n";
}

std::string MeanCell(const json* means, const std::string& name, const std::string& at) {
  const json* m = Member(means, name);
  if (!m) return "—";
  if (m->is_number()) return FormatNumber(m->get<double>(), 3);
  if (m->is_array()) return "<a href=\"#plot-" + E(name) + "\">histogram</a>";
  throw ReportError(KeyPath(at, name) + " must be a number or an array");
}

void Features(std::string& out, const json& r) {
  out += "<section id=\"features\">\n<h2>Musical features: generated against real tunes</h2>\n";
  const json* f = Object(&r, "features", "");
  const json* table = Array(f, "comparison", "features");
  if (!table) {
    out += Missing();
    out += "</section>\n";
    return;
  }
  const std::string real_set = Text(f, "real_set", "features").value_or("test");
  out += "<p class=\"explain\">MGEval (Yang &amp; Lerch 2018), on " + Cell(Number(f, "real_tunes", "features"), 0) +
         " real (" + E(real_set) + " split) and " + Cell(Number(f, "generated_tunes", "features"), 0) +
         " generated tunes. For each feature, the distances between pairs of real tunes (intra-set) are compared "
         "with the distances from real to generated tunes (inter-set), both smoothed by a Gaussian KDE on one "
         "shared grid. OA: overlapping area of the two densities (1 = generated tunes sit among real tunes as real "
         "ones do). KL: KL(intra &#8741; inter) in nats (0 = the same). See docs/eval.md.</p>\n";
  const json* real_mean = Object(f, "real_mean", "features");
  const json* gen_mean = Object(f, "generated_mean", "features");
  out += "<table class=\"features\">\n<tr><th>feature</th><th>OA</th><th>KL</th><th>real mean</th>"
         "<th>generated mean</th><th>intra-real distance, mean</th><th>inter distance, mean</th></tr>\n";
  for (std::size_t i = 0; i < table->size(); ++i) {
    const std::string at = IndexPath("features.comparison", i);
    const json* row = &(*table)[i];
    if (!row->is_object()) throw ReportError(at + " must be an object");
    const std::string name = Text(row, "name", at).value_or("?");
    out += "<tr><td>" + E(name) + "</td><td>" + Cell(Number(row, "overlap_area", at), 3) + "</td><td>" +
           Cell(Number(row, "kl_divergence", at), 3) + "</td><td>" + MeanCell(real_mean, name, "features.real_mean") +
           "</td><td>" + MeanCell(gen_mean, name, "features.generated_mean") + "</td><td>" +
           Cell(Number(Object(row, "intra_real", at), "mean", at + ".intra_real"), 3) + "</td><td>" +
           Cell(Number(Object(row, "inter", at), "mean", at + ".inter"), 3) + "</td></tr>\n";
  }
  out += "</table>\n</section>\n";
}

std::vector<double> Numbers(const json* a, const std::string& at) {
  std::vector<double> out;
  if (!a) return out;
  if (!a->is_array()) throw ReportError(at + " must be an array of numbers");
  for (std::size_t i = 0; i < a->size(); ++i) {
    if (!(*a)[i].is_number()) throw ReportError(IndexPath(at, i) + " must be a number");
    out.push_back((*a)[i].get<double>());
  }
  return out;
}

void Histograms(std::string& out, const json& r) {
  out += "<section id=\"histograms\">\n<h2>Histograms: real and generated side by side</h2>\n";
  const json* hs = Array(&r, "histograms", "");
  if (!hs || hs->empty()) {
    out += Missing();
    out += "</section>\n";
    return;
  }
  const std::string real_set =
      Text(Object(&r, "features", ""), "real_set", "features").value_or("test");
  out += "<p class=\"explain\">Histogram features: the mean share per bin over each set. Scalar features: the "
         "share of tunes per bin, on bins shared by both sets.</p>\n<div class=\"plots\">\n";
  for (std::size_t i = 0; i < hs->size(); ++i) {
    const std::string at = IndexPath("histograms", i);
    const json* h = &(*hs)[i];
    if (!h->is_object()) throw ReportError(at + " must be an object");
    std::vector<std::string> labels;
    if (const json* l = Array(h, "labels", at)) {
      for (std::size_t k = 0; k < l->size(); ++k) {
        if (!(*l)[k].is_string()) throw ReportError(IndexPath(at + ".labels", k) + " must be a string");
        labels.push_back((*l)[k].get<std::string>());
      }
    }
    const std::string name = Text(h, "name", at).value_or("histogram-" + std::to_string(i));
    ChartOptions o;
    o.id = "plot-" + name;
    o.title = Text(h, "title", at).value_or(name);
    o.x_label = Text(h, "x_label", at).value_or("");
    o.y_label = Text(h, "y_label", at).value_or("share");
    out += SvgHistogram(labels,
                        {{"real (" + real_set + ")", Numbers(Member(h, "real"), at + ".real")},
                         {"generated", Numbers(Member(h, "generated"), at + ".generated")}},
                        o);
  }
  out += "</div>\n</section>\n";
}

void Novelty(std::string& out, const json& r) {
  out += "<section id=\"novelty\">\n<h2>Novelty against the training set</h2>\n";
  const json* n = Object(&r, "novelty", "");
  if (!n) {
    out += Missing();
    out += "</section>\n";
    return;
  }
  out += "<p class=\"explain\">Per tune, against the training split's novelty index (transposition invariant; "
         "docs/novelty.md): the longest run of consecutive bars and of melody notes shared with one training "
         "tune, and the share of its 8- and 16-note windows found anywhere in the training set. Real test tunes "
         "show what an unseen human tune scores.</p>\n";
  const json* sets[2] = {Object(n, "generated", "novelty"), Object(n, "real", "novelty")};
  const char* set_names[2] = {"generated", "real"};
  const char* stats[4] = {"mean", "median", "p90", "max"};
  out += "<table class=\"novelty\">\n<tr><th rowspan=\"2\">figure</th>";
  for (int s = 0; s < 2; ++s) {
    const auto count = Number(Object(sets[s], "longest_bar_run", std::string("novelty.") + set_names[s]), "count",
                              std::string("novelty.") + set_names[s] + ".longest_bar_run");
    out += "<th colspan=\"4\">" + std::string(set_names[s]) + " tunes" +
           (count ? " (" + FormatNumber(*count, 0) + ")" : "") + "</th>";
  }
  out += "</tr>\n<tr>";
  for (int s = 0; s < 2; ++s)
    for (const char* st : stats) out += "<th>" + std::string(st) + "</th>";
  out += "</tr>\n";
  const std::pair<const char*, const char*> figures[] = {
      {"longest_bar_run", "longest shared bar run (bars)"},
      {"longest_note_run", "longest shared note run (notes)"},
      {"window8_share", "8-note windows found (share)"},
      {"window16_share", "16-note windows found (share)"}};
  for (const auto& [key, label] : figures) {
    out += "<tr><td>" + std::string(label) + "</td>";
    for (int s = 0; s < 2; ++s) {
      const std::string at = std::string("novelty.") + set_names[s];
      const json* summary = Object(sets[s], key, at);
      for (const char* st : stats)
        out += "<td>" + Cell(Number(summary, st, KeyPath(at, key)), 3) + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</table>\n</section>\n";
}

std::vector<std::pair<double, double>> Curve(const json* points, const char* x_key, const char* y_key,
                                             const std::string& at) {
  std::vector<std::pair<double, double>> out;
  if (!points) return out;
  for (std::size_t i = 0; i < points->size(); ++i) {
    const std::string p = IndexPath(at, i);
    const json* point = &(*points)[i];
    if (!point->is_object()) throw ReportError(p + " must be an object");
    const auto x = Number(point, x_key, p), y = Number(point, y_key, p);
    if (x && y) out.emplace_back(*x, *y);
  }
  return out;
}

void Training(std::string& out, const json& r) {
  out += "<section id=\"training\">\n<h2>Training curves</h2>\n";
  const json* t = Object(&r, "training", "");
  if (!t) {
    out += Missing("no metrics log was found beside the model");
    out += "</section>\n";
    return;
  }
  const json* train = Array(t, "train", "training");
  const json* valid = Array(t, "valid", "training");
  std::string explain = "From the model's metrics log";
  if (auto path = Text(t, "metrics_log", "training")) explain += " <code>" + E(*path) + "</code>";
  explain += ". Training loss is smoothed over steps and measured with dropout; validation loss at each epoch's end.";
  if (auto stop = Text(t, "stop_reason", "training")) explain += " Stopped by: " + E(*stop) + ".";
  if (auto resumes = Number(t, "resumes", "training"); resumes && *resumes > 0)
    explain += " Resumed " + FormatNumber(*resumes, 0) + " times.";
  out += "<p class=\"explain\">" + explain + "</p>\n<div class=\"plots\">\n";
  ChartOptions loss;
  loss.id = "plot-training-loss";
  loss.title = "Loss per token";
  loss.x_label = "optimiser step";
  loss.y_label = "nats per token";
  out += SvgLineChart({{"train (smoothed)", Curve(train, "step", "loss", "training.train"), false},
                       {"valid", Curve(valid, "step", "loss", "training.valid"), true}},
                      loss);
  ChartOptions bits;
  bits.id = "plot-training-bits-per-tune";
  bits.title = "Validation bits per tune";
  bits.x_label = "epoch";
  bits.y_label = "bits per tune";
  out += SvgLineChart({{"valid", Curve(valid, "epoch", "bits_per_tune", "training.valid"), true}}, bits);
  out += "</div>\n</section>\n";
}

void Examples(std::string& out, const json& r, const std::string& dir) {
  out += "<section id=\"examples\">\n<h2>Example tunes</h2>\n";
  const json* examples = Array(&r, "examples", "");
  if (!examples || examples->empty()) {
    out += Missing("no example tunes");
    out += "</section>\n";
    return;
  }
  for (std::size_t i = 0; i < examples->size(); ++i) {
    const std::string at = IndexPath("examples", i);
    const json* ex = &(*examples)[i];
    if (!ex->is_object()) throw ReportError(at + " must be an object");
    const std::string n = std::to_string(i + 1);
    const std::string abc = Text(ex, "abc", at).value_or("");
    out += "<article class=\"tune\" id=\"tune-" + n + "\">\n<h3>" + n + ". " +
           E(Text(ex, "title", at).value_or("(untitled)")) + "</h3>\n";
    std::vector<std::string> meta;
    if (auto seed = Number(ex, "seed", at)) meta.push_back("seed " + FormatNumber(*seed, 0));
    if (const json* nov = Object(ex, "novelty", at)) {
      const std::string nat = at + ".novelty";
      if (auto bars = Number(nov, "longest_bar_run", nat)) {
        std::string s = "longest shared bar run " + FormatNumber(*bars, 0);
        if (auto title = Text(nov, "bar_run_title", nat); title && !title->empty()) s += " (" + *title + ")";
        meta.push_back(s);
      }
      if (auto notes = Number(nov, "longest_note_run", nat))
        meta.push_back("longest shared note run " + FormatNumber(*notes, 0));
      if (auto w = Number(nov, "window8_share", nat)) meta.push_back("8-note windows found " + FormatNumber(*w, 3));
      if (auto title = Text(nov, "nearest_title", nat); title && !title->empty())
        meta.push_back("nearest training tune: " + *title);
    }
    if (!meta.empty()) {
      std::string joined;
      for (const auto& m : meta) joined += (joined.empty() ? "" : " · ") + E(m);
      out += "<p class=\"tune-meta\">" + joined + "</p>\n";
    }
    out += "<div class=\"notation\" id=\"notation-" + n + "\"></div>\n<p class=\"abcjs-warnings\"></p>\n";
    if (auto audio = Text(ex, "audio", at)) {
      const std::string url = RelativeUrl(*audio, at + ".audio");
      if (!dir.empty() && !fs::exists(fs::path(dir) / *audio)) {
        out += Missing("audio file " + *audio + " is missing from the report folder");
      } else {
        out += "<audio controls preload=\"metadata\" src=\"" + url + "\">" + "<a href=\"" + url +
               "\">audio</a></audio>\n";
      }
    }
    if (auto midi = Text(ex, "midi", at)) {
      out += "<p class=\"tune-meta\"><a href=\"" + RelativeUrl(*midi, at + ".midi") + "\">MIDI file</a></p>\n";
    }
    out += "<details><summary>ABC</summary><pre class=\"abc-source\">" + E(abc) + "</pre></details>\n</article>\n";
  }
  out += "</section>\n";
}

// The bundle's own version line ("abcjs_basic v6.7.2"), for the footer.
std::string AbcjsVersion(const std::string& source) {
  static const std::regex kVersion(R"(abcjs_basic v[0-9][0-9A-Za-z.\-]*)");
  std::smatch m;
  const std::string head = source.substr(0, 400);
  return std::regex_search(head, m, kVersion) ? m.str() : "abcjs";
}

// The bundle as the content of a <script> element: "</script" would close
// it early, so it is written "<\/script" (the same string in JavaScript).
std::string ScriptSafe(const std::string& js) {
  std::string out;
  out.reserve(js.size());
  for (std::size_t i = 0; i < js.size(); ++i) {
    if (js[i] == '<' && i + 1 < js.size() && js[i + 1] == '/' && js.size() - i >= 8) {
      std::string word = js.substr(i + 2, 6);
      std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });
      if (word == "script") {
        out += "<\\/";
        ++i;
        continue;
      }
    }
    out += js[i];
  }
  return out;
}

Result<std::string> RenderWithOptions(const json& report, const std::string& dir, const HtmlOptions& options) {
  auto path = FindAbcjs(options.abcjs_path);
  if (!path.ok()) return path.status();
  auto abcjs = base::ReadFile(*path);
  if (!abcjs.ok()) return abcjs.status();
  return RenderReportHtml(report, *abcjs, dir, options);
}

}  // namespace

std::string HtmlEscape(std::string_view text) { return XmlEscape(text); }

Result<std::string> FindAbcjs(const std::string& explicit_path) {
  if (!explicit_path.empty()) {
    if (fs::is_regular_file(explicit_path)) return explicit_path;
    return Status::NotFound("abcjs bundle not found at " + explicit_path);
  }
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("TUNESMITH_ABCJS"); env && *env) candidates.push_back(env);
  candidates.push_back(std::string(TUNESMITH_SOURCE_DIR) + "/" + kAbcjsInPackage);
  candidates.push_back(kAbcjsInPackage);
  return PickAbcjs(candidates);
}

Result<std::string> PickAbcjs(const std::vector<std::string>& candidates) {
  for (const auto& c : candidates)
    if (fs::is_regular_file(c)) return c;
  std::string looked;
  for (const auto& c : candidates) looked += "\n  " + c;
  return Status::NotFound("report.html needs abcjs (npm package), which is not installed; looked in:" + looked +
                       "\nrun `npm ci` in the repository root (" + std::string(TUNESMITH_SOURCE_DIR) +
                       "), or set TUNESMITH_ABCJS to abcjs-basic-min.js");
}

Result<std::string> RenderReportHtml(const nlohmann::json& report, const std::string& abcjs_source,
                                     const std::string& dir, const HtmlOptions& o) {
  if (Status st = CheckReportFormat(report); !st.ok()) return st;
  // After "<!--" inside a <script>, an HTML parser may take a later "<script"
  // as nested and the closing tag as its end: such a bundle cannot be inlined.
  if (abcjs_source.find("<!--") != std::string::npos)
    return Status::NotSupported("the abcjs bundle contains \"<!--\" and cannot be inlined in a <script> element safely");
  try {
    std::string out;
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
           E(o.title) + "</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n";
    Header(out, report, o);
    Likelihood(out, report);
    Validity(out, report);
    Features(out, report);
    Histograms(out, report);
    out += StructureSectionsHtml(report);
    Novelty(out, report);
    Training(out, report);
    Examples(out, report, dir);
    out += "<footer>Written by tunesmith";
    if (auto v = Text(&report, "tunesmith_version", "")) out += " " + E(*v);
    out += " (report format " + std::to_string(kReportFormatVersion) + "; keys in docs/report.md). Sheet music by " +
           E(AbcjsVersion(abcjs_source)) + ", inlined.</footer>\n";
    out += "<script>\n" + ScriptSafe(abcjs_source) + "\n</script>\n<script>" + kScript + "</script>\n";
    out += "</body>\n</html>\n";
    return out;
  } catch (const ReportError& e) {
    return Status::Corruption(std::string("report.json: ") + e.what());
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(std::string("report.json: ") + e.what());
  }
}

Status WriteReportHtml(const nlohmann::json& report, const std::string& dir, const HtmlOptions& options) {
  auto html = RenderWithOptions(report, dir, options);
  if (!html.ok()) return html.status();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());
  return base::WriteFileAtomically(fs::path(dir) / "report.html", *html);
}

Status WriteReportFiles(const nlohmann::json& report, const std::string& dir, const HtmlOptions& options) {
  auto html = RenderWithOptions(report, dir, options);
  if (!html.ok()) return html.status();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());
  if (Status st = base::WriteFileAtomically(fs::path(dir) / "report.json", report.dump(2, ' ', false, json::error_handler_t::replace) + "\n"); !st.ok()) return st;
  return base::WriteFileAtomically(fs::path(dir) / "report.html", *html);
}

}  // namespace tunesmith::report
