#include "report/report_markdown.h"

#include <algorithm>
#include <functional>

#include "report/report_json.h"
#include "report/report_structure.h"
#include "report/report_view.h"
#include "report/svg_chart.h"

namespace tunesmith::report {
namespace {

using nlohmann::json;

// A table cell: pipes escaped, line breaks flattened.
std::string Md(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

class Table {
 public:
  explicit Table(std::vector<std::string> head) : head_(std::move(head)) {}
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string Render() const {
    std::string out = Line(head_);
    out += "|";
    for (std::size_t i = 0; i < head_.size(); ++i) out += i ? "---:|" : "---|";
    out += "\n";
    for (const auto& r : rows_) out += Line(r);
    return out;
  }

 private:
  static std::string Line(const std::vector<std::string>& cells) {
    std::string out = "|";
    for (const auto& c : cells) out += " " + c + " |";
    return out + "\n";
  }
  std::vector<std::string> head_;
  std::vector<std::vector<std::string>> rows_;
};

std::vector<std::string> Head(const std::string& first, const std::vector<NamedReport>& reports) {
  std::vector<std::string> head = {first};
  for (const auto& r : reports) head.push_back(Md(r.name));
  return head;
}

// One row: `label`, then `cell(report)` for each report.
void PerReport(Table& t, const std::vector<NamedReport>& reports, const std::string& label,
               const std::function<std::string(const json&)>& cell) {
  std::vector<std::string> row = {label};
  for (const auto& r : reports) row.push_back(cell(r.report));
  t.Add(std::move(row));
}

std::string Models(const std::vector<NamedReport>& reports) {
  Table t(Head("", reports));
  PerReport(t, reports, "model", [](const json& r) {
    auto p = Text(Object(&r, "model", ""), "path", "model");
    return p ? std::string("`").append(Md(*p)).append("`") : std::string("—");
  });
  PerReport(t, reports, "network", [](const json& r) {
    const json* m = Object(&r, "model", "");
    std::string s;
    if (auto a = Text(m, "architecture", "model")) s += *a;
    if (auto k = Text(m, "tokenizer", "model")) s += (s.empty() ? "" : ", ") + *k + " tokens";
    if (auto p = Number(m, "parameters", "model")) s += (s.empty() ? "" : ", ") + FormatNumber(*p, 0) + " parameters";
    return s.empty() ? std::string("—") : Md(s);
  });
  PerReport(t, reports, "tunes train / valid / test", [](const json& r) {
    const json* tunes = Object(Object(&r, "corpus", ""), "tunes", "corpus");
    if (!tunes) return std::string("—");
    return Cell(Number(tunes, "train", "corpus.tunes"), 0) + " / " + Cell(Number(tunes, "valid", "corpus.tunes"), 0) +
           " / " + Cell(Number(tunes, "test", "corpus.tunes"), 0);
  });
  // Every setting any report has, in the first report's order, then the others'.
  std::vector<std::string> keys;
  for (const auto& r : reports) {
    if (const json* s = Object(&r.report, "settings", ""))
      for (const auto& [k, v] : s->items())
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  }
  for (const auto& key : keys) {
    PerReport(t, reports, Md(key), [&](const json& r) {
      const json* v = Member(Object(&r, "settings", ""), key);
      if (!v) return std::string("—");
      return Md(v->is_string() ? v->get<std::string>() : v->dump());
    });
  }
  return "### Models\n\n" + t.Render();
}

std::string Likelihood(const std::vector<NamedReport>& reports) {
  std::string split = "test";
  if (auto s = Text(Object(&reports[0].report, "likelihood", ""), "split", "likelihood")) split = *s;
  Table t(Head("figure", reports));
  auto num = [&](const char* label, const char* key, int decimals) {
    PerReport(t, reports, label, [=](const json& r) {
      return Cell(Number(Object(&r, "likelihood", ""), key, "likelihood"), decimals);
    });
  };
  num("bits per token", "bits_per_token", 4);
  num("bits per tune", "bits_per_tune", 2);
  num("loss, nats per token", "loss", 4);
  num("tunes", "tunes", 0);
  num("tokens predicted", "tokens", 0);
  return "### Held-out likelihood (" + Md(split) + " split; lower is better)\n\n" + t.Render();
}

std::string Validity(const std::vector<NamedReport>& reports) {
  Table t(Head("check", reports));
  auto v = [](const json& r) { return Object(&r, "validity", ""); };
  auto count = [&](const char* label, const char* key, const char* of) {
    PerReport(t, reports, label, [=](const json& r) {
      return CountOf(Number(v(r), key, "validity"), Number(v(r), of, "validity"));
    });
  };
  PerReport(t, reports, "sampled", [&](const json& r) { return Cell(Number(v(r), "samples", "validity"), 0); });
  count("read by tunesmith without error", "read", "samples");
  count("with a bar off the meter (of those read)", "tunes_off_meter", "read");
  count("bars off the meter", "bars_off_meter", "bars");
  count("converted by abc2midi without errors", "abc2midi_ok", "samples");
  count("with abc2midi warnings", "tunes_with_warnings", "samples");
  PerReport(t, reports, "abc2midi warnings in all",
            [&](const json& r) { return Cell(Number(v(r), "abc2midi_warnings", "validity"), 0); });
  return "### Validity of sampled tunes\n\n" + t.Render();
}

// The comparison row of `name` in a report, or null.
const json* ComparisonRow(const json& r, const std::string& name) {
  const json* table = Array(Object(&r, "features", ""), "comparison", "features");
  if (!table) return nullptr;
  for (std::size_t i = 0; i < table->size(); ++i) {
    const json& row = (*table)[i];
    if (!row.is_object()) throw ReportError(IndexPath("features.comparison", i) + " must be an object");
    if (Text(&row, "name", IndexPath("features.comparison", i)) == name) return &row;
  }
  return nullptr;
}

std::string Features(const std::vector<NamedReport>& reports) {
  std::vector<std::string> names;
  for (const auto& r : reports) {
    const json* table = Array(Object(&r.report, "features", ""), "comparison", "features");
    if (!table) continue;
    for (std::size_t i = 0; i < table->size(); ++i) {
      const json& row = (*table)[i];
      if (!row.is_object()) throw ReportError(IndexPath("features.comparison", i) + " must be an object");
      auto n = Text(&row, "name", IndexPath("features.comparison", i));
      if (n && std::find(names.begin(), names.end(), *n) == names.end()) names.push_back(*n);
    }
  }
  std::vector<std::string> head = {"feature"};
  for (const auto& r : reports) {
    head.push_back(Md(r.name) + " OA");
    head.push_back(Md(r.name) + " KL");
  }
  Table t(head);
  std::vector<std::string> sizes = {"real / generated tunes"};
  for (const auto& r : reports) {
    const json* f = Object(&r.report, "features", "");
    sizes.push_back(Cell(Number(f, "real_tunes", "features"), 0) + " / " +
                    Cell(Number(f, "generated_tunes", "features"), 0));
    sizes.push_back("");
  }
  t.Add(sizes);
  for (const auto& name : names) {
    std::vector<std::string> row = {std::string("`").append(Md(name)).append("`")};
    for (const auto& r : reports) {
      const json* c = ComparisonRow(r.report, name);
      row.push_back(Cell(Number(c, "overlap_area", "features.comparison"), 3));
      row.push_back(Cell(Number(c, "kl_divergence", "features.comparison"), 3));
    }
    t.Add(std::move(row));
  }
  return "### Musical features, generated against real tunes (OA: 1 is best; KL in nats: 0 is best)\n\n" +
         t.Render();
}

std::string Novelty(const std::vector<NamedReport>& reports) {
  std::vector<std::string> head = {"figure (mean / median / p90 / max)"};
  for (const auto& r : reports) {
    head.push_back(Md(r.name) + " generated");
    head.push_back(Md(r.name) + " real");
  }
  Table t(head);
  const std::pair<const char*, const char*> figures[] = {{"longest_bar_run", "longest shared bar run, bars"},
                                                         {"longest_note_run", "longest shared note run, notes"},
                                                         {"window8_share", "8-note windows found, share"},
                                                         {"window16_share", "16-note windows found, share"}};
  std::vector<std::string> counts = {"tunes"};
  for (const auto& r : reports) {
    for (const char* set : {"generated", "real"}) {
      const std::string at = std::string("novelty.") + set;
      const json* s = Object(Object(&r.report, "novelty", ""), set, "novelty");
      counts.push_back(Cell(Number(Object(s, "longest_bar_run", at), "count", at + ".longest_bar_run"), 0));
    }
  }
  t.Add(counts);
  for (const auto& [key, label] : figures) {
    std::vector<std::string> row = {label};
    const int decimals = std::string_view(key).starts_with("window") ? 3 : 2;
    for (const auto& r : reports) {
      for (const char* set : {"generated", "real"}) {
        const std::string at = std::string("novelty.") + set + "." + key;
        const json* s = Object(Object(Object(&r.report, "novelty", ""), set, "novelty"), key, "novelty." + std::string(set));
        if (!s) {
          row.push_back("—");
          continue;
        }
        row.push_back(Cell(Number(s, "mean", at), decimals) + " / " + Cell(Number(s, "median", at), decimals) + " / " +
                      Cell(Number(s, "p90", at), decimals) + " / " + Cell(Number(s, "max", at), decimals));
      }
    }
    t.Add(std::move(row));
  }
  return "### Novelty against the training set (generated tunes, and real test tunes for reference)\n\n" + t.Render();
}

std::string Training(const std::vector<NamedReport>& reports) {
  Table t(Head("figure", reports));
  auto valid = [](const json& r) { return Array(Object(&r, "training", ""), "valid", "training"); };
  PerReport(t, reports, "epochs validated", [&](const json& r) {
    const json* v = valid(r);
    return v ? std::to_string(v->size()) : std::string("—");
  });
  PerReport(t, reports, "best valid bits per tune (epoch)", [&](const json& r) {
    const json* v = valid(r);
    std::optional<double> best, epoch;
    if (v) {
      for (std::size_t i = 0; i < v->size(); ++i) {
        const std::string at = IndexPath("training.valid", i);
        auto b = Number(&(*v)[i], "bits_per_tune", at);
        if (b && (!best || *b < *best)) {
          best = b;
          epoch = Number(&(*v)[i], "epoch", at);
        }
      }
    }
    if (!best) return std::string("—");
    return FormatNumber(*best, 2) + (epoch ? " (" + FormatNumber(*epoch, 0) + ")" : "");
  });
  PerReport(t, reports, "optimiser steps", [&](const json& r) {
    const json* train = Array(Object(&r, "training", ""), "train", "training");
    const json* v = valid(r);
    std::optional<double> last;
    for (const json* a : {train, v})
      if (a && !a->empty()) {
        auto s = Number(&a->back(), "step", "training");
        if (s && (!last || *s > *last)) last = s;
      }
    return Cell(last, 0);
  });
  PerReport(t, reports, "stopped by", [](const json& r) {
    auto s = Text(Object(&r, "training", ""), "stop_reason", "training");
    return s ? Md(*s) : std::string("—");
  });
  return "### Training (from the metrics log)\n\n" + t.Render();
}

}  // namespace

Result<std::string> WriteReportsMarkdown(const std::vector<NamedReport>& reports) {
  if (reports.empty()) return Status::InvalidArgument("no report to summarise");
  for (const auto& r : reports) {
    if (Status st = CheckReportFormat(r.report); !st.ok()) return st.WithPrefix(r.name + ": ");
  }
  try {
    std::string out;
    out += Models(reports) + "\n";
    out += Likelihood(reports) + "\n";
    out += Validity(reports) + "\n";
    out += Features(reports) + "\n";
    out += StructureSectionsMarkdown(reports) + "\n";
    out += Novelty(reports) + "\n";
    out += Training(reports);
    return out;
  } catch (const std::exception& e) {
    // Name the report at fault: the one that fails alone.
    if (reports.size() > 1) {
      for (const auto& r : reports) {
        auto alone = WriteReportsMarkdown(std::vector<NamedReport>{r});
        if (!alone.ok()) return alone.status().WithPrefix(r.name + ": ");
      }
    }
    return Status::Corruption(std::string("report.json: ") + e.what());
  }
}

Result<std::string> WriteReportMarkdown(const nlohmann::json& report) {
  std::string name = "model";
  if (report.is_object())
    if (auto it = report.find("model"); it != report.end() && it->is_object() && it->contains("path") &&
                                        (*it)["path"].is_string())
      name = (*it)["path"].get<std::string>();
  return WriteReportsMarkdown(std::vector<NamedReport>{{name, report}});
}

}  // namespace tunesmith::report
