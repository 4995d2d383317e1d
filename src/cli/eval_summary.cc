#include "cli/eval_summary.h"

#include <algorithm>
#include <iterator>
#include <sstream>

#include "report/report_structure.h"

namespace tunesmith::cli {

std::string Fixed(double v, int decimals) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(decimals);
  s << v;
  return s.str();
}

void PrintSummary(const nlohmann::json& r, std::ostream& out) {
  const auto num = [&](const nlohmann::json& obj, const char* key, int decimals) {
    return obj.contains(key) && obj[key].is_number() ? Fixed(obj[key].get<double>(), decimals) : std::string("—");
  };
  if (r.contains("model")) {
    out << "model       " << r["model"]["path"].get<std::string>() << " (" << r["model"]["architecture"].get<std::string>()
        << ", " << r["model"]["tokenizer"].get<std::string>() << ", " << r["model"]["parameters"].get<int64_t>()
        << " parameters)\n";
  }
  if (r.contains("likelihood")) {
    const auto& l = r["likelihood"];
    out << "likelihood  test split, " << l["tunes"].get<int64_t>() << " tunes: " << num(l, "bits_per_token", 4)
        << " bits/token, " << num(l, "bits_per_tune", 1) << " bits/tune\n";
  }
  const auto& v = r["validity"];
  out << "validity    " << v["samples"].get<int>() << " tunes (" << r["settings"]["sampling"].get<std::string>()
      << "): " << v["read"].get<int>() << " read, " << v["tunes_off_meter"].get<int>() << " tunes off-meter ("
      << v["bars_off_meter"].get<int>() << "/" << v["bars"].get<int>() << " bars), " << v["abc2midi_ok"].get<int>()
      << " converted by abc2midi, " << v["abc2midi_warnings"].get<int>() << " abc2midi warnings in "
      << v["tunes_with_warnings"].get<int>() << " tunes\n";
  if (r.contains("features") && r["features"].contains("comparison")) {
    out << "features    OA / KL (generated vs " << r["features"]["real_tunes"].get<int>() << " real test tunes):\n";
    for (const auto& c : r["features"]["comparison"]) {
      out << "              " << c["name"].get<std::string>() << std::string(24 - c["name"].get<std::string>().size(), ' ')
          << num(c, "overlap_area", 3) << "  " << num(c, "kl_divergence", 3) << "\n";
    }
  }
  if (r.contains("structure")) {
    out << "structure   generated / real test:";
    const char* shown[] = {"bar_repeat_exact_4", "phrase_similarity", "duplicated_bars", "first_part_ends_on_tonic",
                           "key_in_dgae", "above_b5", "strong_beat_chord_tones"};
    for (const auto& f : r["structure"]["figures"]) {
      const std::string key = f["key"].get<std::string>();
      if (std::find(std::begin(shown), std::end(shown), key) == std::end(shown)) continue;
      const std::string unit = f["unit"].get<std::string>();
      out << "\n              " << key << std::string(26 - std::min<size_t>(key.size(), 25), ' ')
          << report::FigureCell(&f["generated"], unit, key) << " / " << report::FigureCell(&f["real"], unit, key);
    }
    out << "\n";
  }
  if (r.contains("classifier")) {
    const auto& c = r["classifier"];
    const auto auc = [&](const char* key) {
      return c.contains(key) ? num(c[key], "auc", 3) : std::string("—");
    };
    out << "classifier  ROC AUC (0.5: indistinguishable): generated vs real " << auc("generated_vs_real")
        << ", without key-dependent features " << auc("generated_vs_real_key_free") << "; real vs real "
        << auc("real_vs_real");
    if (c.contains("real_vs_real") && c["real_vs_real"].contains("halvings")) {
      const auto& h = c["real_vs_real"]["halvings"];
      out << " (mean " << num(h, "mean", 3) << " over " << num(h, "count", 0) << " halvings, " << num(h, "min", 3)
          << "-" << num(h, "max", 3) << ")";
    }
    out << "\n";
  }
  if (r.contains("novelty")) {
    for (const char* set : {"generated", "real"}) {
      if (!r["novelty"].contains(set)) continue;
      const auto& n = r["novelty"][set];
      out << "novelty     " << set << (std::string(set) == "real" ? " (test)" : "") << ": longest bar run median "
          << num(n["longest_bar_run"], "median", 1) << ", max " << num(n["longest_bar_run"], "max", 0)
          << "; longest note run median " << num(n["longest_note_run"], "median", 1) << "; 8-note windows found "
          << num(n["window8_share"], "mean", 3) << ", 16-note " << num(n["window16_share"], "mean", 3) << "\n";
    }
  }
  for (const auto& note : r.value("notes", nlohmann::json::array())) out << "note        " << note.get<std::string>() << "\n";
}

}  // namespace tunesmith::cli
