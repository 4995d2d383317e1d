// tunesmith fmt [--transpose KEY] PATH...: every tune in tunesmith's one
// normalised ABC style on stdout.
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "abc/fields.h"
#include "abc/reader.h"
#include "abc/transpose.h"
#include "abc/writer.h"
#include "base/text.h"
#include "cli/commands.h"

namespace tunesmith::cli {
namespace {

struct FmtOptions {
  std::vector<std::string> paths;  // files, folders (searched for *.abc) or "-" for stdin
  std::string transpose;           // target tonic ("G", "Bb", "F#"); "" keeps the key
  std::string unit_length;         // L: to write lengths in; "" keeps each tune's own
  bool keep_beams = false;         // keep the source's blanks between notes instead of beaming by beat
};

int RunFmt(const FmtOptions& options) {
  int step = 0, alter = 0;
  if (!options.transpose.empty() && !abc::ParseTonic(options.transpose, &step, &alter)) {
    std::cerr << "tunesmith fmt: --transpose '" << options.transpose << "' is not a key such as G, Bb or F#\n";
    return kExitUsage;
  }
  abc::WriteOptions write;
  write.keep_unit_length = options.unit_length.empty();
  write.beam_by_beat = !options.keep_beams;
  if (!options.unit_length.empty()) {
    // The reader's own rule for L:, so that what fmt writes, check reads.
    auto unit = abc::ParseUnitLength(options.unit_length);
    if (!unit.ok()) {
      std::cerr << "tunesmith fmt: --unit-length '" << base::TerminalSafe(options.unit_length)
                << "': " << unit.status().message() << "; give a fraction such as 1/8\n";
      return kExitUsage;
    }
    write.unit_length = *unit;
  }
  bool rejected = false, first = true;
  const bool all_read = abc::ReadAbcFiles(
      options.paths,
      [&](const std::string&, abc::ReadStep& part) {
        const abc::ReadResult& result = part.result;
        for (const auto& d : result.diagnostics) {
          if (d.severity == abc::Severity::kError) std::cerr << d.Format() << "\n";
        }
        rejected = rejected || result.rejected > 0;
        for (const abc::Tune& tune : result.tunes) {
          std::string out;
          if (options.transpose.empty()) {
            out = abc::WriteTune(tune, write);
          } else {
            auto moved = abc::TransposeTo(tune, step, alter);
            if (!moved.ok()) {
              std::cerr << "tunesmith fmt: " << base::TerminalSafe(moved.status().message()) << "\n";
              rejected = true;
              continue;
            }
            out = abc::WriteTune(*moved, write);
          }
          if (!first) std::cout << "\n";
          std::cout << out;
          first = false;
        }
      },
      [&](const std::string&, int tunes_seen) { rejected = rejected || tunes_seen == 0; },
      [](const std::string& message) { std::cerr << "tunesmith fmt: " << base::TerminalSafe(message) << "\n"; });
  if (!all_read) return kExitUsage;
  return rejected ? kExitRejected : kExitOk;
}

}  // namespace

void AddFmtCommand(CLI::App& app) {
  auto options = std::make_shared<FmtOptions>();
  auto* cmd = app.add_subcommand("fmt", "Write ABC tunes in the normalised style on stdout");
  cmd->add_option("paths", options->paths, "ABC files, folders (searched for *.abc) or - for stdin")->required();
  cmd->add_option("--transpose", options->transpose, "Move every tune to this tonic, keeping its mode (G, Bb, F#)");
  cmd->add_option("--unit-length", options->unit_length, "Write note lengths in this L:, 1/256 to 1 (e.g. 1/8); default: each tune's own");
  cmd->add_flag("--keep-beams", options->keep_beams,
                "Keep the blanks between notes where the source has them; default: beam by beat (6/8 in threes, 4/4 in half bars ...)");
  cmd->footer("Exit status: 0 every tune written, 1 some tune rejected or a file without any tune, 2 usage or a "
              "file that cannot be read as text (missing, binary, UTF-16, over 256 MiB); the other paths are still read.\n"
              "Reader warnings are not printed: run 'tunesmith check' for them.");
  cmd->callback([options] { throw ExitCode{RunFmt(*options)}; });
}

}  // namespace tunesmith::cli
