// tunesmith render FILE.abc: every tune of a file to MIDI, WAV and SVG.
// Written paths go to stdout (one per line, for scripts); progress, tool
// messages and errors go to stderr.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/files.h"
#include "cli/commands.h"
#include "render/external_tool.h"
#include "render/render.h"
#include "render/synthesizer.h"
#include "render/tune_files.h"
#include "render/tune_text.h"

namespace tunesmith::cli {
namespace {

struct RenderArgs {
  std::string input;         // ABC file, "-" for stdin
  std::string out = ".";     // output folder
  bool midi = false;
  bool wav = false;
  bool svg = false;
  std::vector<std::string> tunes;  // X: numbers to render; empty: all
  render::MidiOptions midi_options;
  render::WavOptions wav_options;
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// "12" stays "12"; anything unusual in X: becomes '_'; no X: at all uses the tune's position.
std::string FileNamePart(const std::string& x, size_t index) {
  std::string part;
  for (char c : x) part += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  return part.empty() ? "n" + std::to_string(index + 1) : part;
}

Result<std::string> ReadInput(const std::string& input) {
  if (input != "-") return base::ReadFile(input);
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (std::cin.bad()) return Status::IOError("cannot read stdin");
  return text;
}

// `said`: the messages of our own (tool "render") already printed for this
// tune, which both conversions report: each is printed once.
void PrintMessages(const std::vector<render::ToolMessage>& messages, const render::TuneText& tune,
                   const render::TuneLocation& where, std::set<std::string>* said) {
  for (const render::ToolMessage& m : messages) {
    if (m.tool == "render" && !said->insert(std::to_string(m.line) + ":" + m.text).second) continue;
    std::cerr << render::FormatToolMessage(m, tune.text, where) << "\n";
  }
}

// A file can be created in `dir` (an exclusive probe, removed at once): a
// read-only folder is said before any work, not once per tune.
Status CheckWritable(const std::string& dir) {
  const std::filesystem::path probe = std::filesystem::path(dir) / ".tunesmith-render-write-check";
  Result<bool> made = render::WriteNewFile(probe.string(), "");
  if (!made.ok()) return Status::IOError("cannot write into the folder " + dir + ": " + made.status().message());
  if (*made) ::unlink(probe.c_str());
  return Status::Ok();
}

int RunRender(const RenderArgs& args) {
  const std::string me = "tunesmith render";
  const auto start = std::chrono::steady_clock::now();
  bool midi = args.midi, wav = args.wav, svg = args.svg;
  if (!midi && !wav && !svg) midi = wav = svg = true;

  // Missing tools are found before any work, so the message comes once.
  if (midi || wav) {
    if (auto tool = render::FindTool(args.midi_options.abc2midi, "abcmidi"); !tool.ok()) {
      std::cerr << "tunesmith render: " << tool.status().message() << "\n";
      return kExitUsage;
    }
  }
  if (svg) {
    if (auto tool = render::FindTool("abcm2ps", "abcm2ps"); !tool.ok()) {
      std::cerr << "tunesmith render: " << tool.status().message() << "\n";
      return kExitUsage;
    }
  }

  Result<std::string> text = ReadInput(args.input);
  if (!text.ok()) return Fail(me, text.status());  // 3: not found; 5: cannot be read
  const std::string file_name = args.input == "-" ? "<stdin>" : args.input;
  if (text->find_first_not_of(" \t\r\n") == std::string::npos) {
    std::cerr << me << ": " << file_name << " is empty: nothing to render\n";
    return kExitUsage;
  }
  const std::string stem = args.input == "-" ? "stdin" : std::filesystem::path(args.input).stem().string();
  render::AbcFileText file = render::SplitTunes(*text);
  if (file.header.find("%%") != std::string::npos) {
    std::cerr << file_name << ": warning: directives in the file header (before the first X:) are not applied\n";
  }

  std::vector<const render::TuneText*> selected;
  for (const render::TuneText& tune : file.tunes) {
    if (args.tunes.empty() || std::find(args.tunes.begin(), args.tunes.end(), tune.x) != args.tunes.end()) {
      selected.push_back(&tune);
    }
  }
  for (const std::string& x : args.tunes) {
    bool found = std::any_of(file.tunes.begin(), file.tunes.end(), [&](const auto& t) { return t.x == x; });
    if (!found) {
      std::cerr << "tunesmith render: " << file_name << " has no tune X:" << x << "\n";
      return kExitUsage;
    }
  }
  if (selected.empty()) {
    std::cerr << me << ": " << file_name << ": no tunes, nothing to render (a tune starts with an X: line)\n";
    return kExitUsage;
  }

  // The output folder must take files before any tune is rendered.
  std::error_code ec;
  std::filesystem::create_directories(args.out, ec);
  if (ec) return Fail(me, Status::IOError("cannot create the folder " + args.out + ": " + ec.message()));
  if (Status s = CheckWritable(args.out); !s.ok()) return Fail(me, s);

  std::unique_ptr<render::MidiSynthesizer> synth;
  if (wav) {
    Result<std::unique_ptr<render::MidiSynthesizer>> opened = render::MidiSynthesizer::Open(args.wav_options);
    if (!opened.ok()) {
      std::cerr << "tunesmith render: " << opened.status().message() << "\n";
      return kExitUsage;
    }
    synth = std::move(*opened);
  }

  int rendered = 0, failed = 0, files = 0;
  Status io_error;  // a file that cannot be written ends the run (exit 5)
  std::set<std::string> used_names;
  for (size_t i = 0; i < selected.size(); ++i) {
    const render::TuneText& tune = *selected[i];
    const auto tune_start = std::chrono::steady_clock::now();
    const render::TuneLocation where{file_name, tune.first_line};
    const std::string label = file_name + " X:" + tune.x + " \"" + tune.title + "\"";
    std::string name = stem + "-" + FileNamePart(tune.x, i);
    for (int n = 2; used_names.count(name); ++n) name = stem + "-" + FileNamePart(tune.x, i) + "-" + std::to_string(n);
    used_names.insert(name);
    const std::filesystem::path base = std::filesystem::path(args.out) / name;

    std::vector<std::string> made;
    std::set<std::string> said;
    bool ok = true;
    auto fail = [&](const std::string& what, const Status& status) {
      std::cerr << label << ": " << what << " failed:\n" << status.message() << "\n";
      ok = false;
    };
    auto wrote = [&](const std::filesystem::path& path, const char* kind) {
      std::cout << path.string() << "\n";
      made.push_back(kind);
      ++files;
    };

    if (midi || wav) {
      Result<render::MidiFile> midi_file = render::AbcToMidi(tune.text, args.midi_options, where);
      if (!midi_file.ok()) {
        fail("MIDI", midi_file.status());
      } else {
        PrintMessages(midi_file->messages, tune, where, &said);
        if (midi) {
          std::filesystem::path path = base;
          path += ".mid";
          if (Status s = base::WriteFileAtomically(path, midi_file->bytes); s.ok()) {
            wrote(path, "mid");
          } else {
            fail("MIDI", s);
            io_error = s;
          }
        }
        if (wav) {
          std::filesystem::path path = base;
          path += ".wav";
          if (Result<render::AudioStats> stats = synth->RenderToWav(midi_file->bytes, path); stats.ok()) {
            wrote(path, "wav");
            if (render::IsSilent(*stats)) std::cerr << label << ": warning: " << path.string() << " is silent\n";
          } else {
            fail("WAV", stats.status());
            if (stats.status().IsIOError()) io_error = stats.status();
          }
        }
      }
    }
    if (svg) {
      Result<render::SvgFile> svg_file = render::AbcToSvg(tune.text, {}, where);
      if (!svg_file.ok()) {
        fail("SVG", svg_file.status());
      } else {
        PrintMessages(svg_file->messages, tune, where, &said);
        std::filesystem::path path = base;
        path += ".svg";
        if (Status s = base::WriteFileAtomically(path, svg_file->svg); s.ok()) {
          wrote(path, "svg");
        } else {
          fail("SVG", s);
          io_error = s;
        }
      }
    }
    ok ? ++rendered : ++failed;
    std::string kinds;
    for (const std::string& k : made) kinds += " " + k;
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", SecondsSince(tune_start));
    std::cerr << "render: " << label << ":" << (kinds.empty() ? " nothing" : kinds) << " (" << seconds << " s)"
              << (ok ? "" : " FAILED") << "\n";
    std::cout.flush();
    if (!io_error.ok()) break;
  }
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", SecondsSince(start));
  std::cerr << "render: tunes " << selected.size() << ", rendered " << rendered << ", failed " << failed
            << ", files " << files << ", " << seconds << " s\n";
  if (!io_error.ok()) return Fail(me, io_error.WithPrefix("stopped: "));
  return failed > 0 ? kExitRejected : kExitOk;
}

}  // namespace

void AddRenderCommand(CLI::App& app) {
  auto args = std::make_shared<RenderArgs>();
  auto* cmd = app.add_subcommand("render", "Render the tunes of an ABC file to MIDI, WAV audio and SVG sheet music");
  cmd->footer(
      "Without --midi, --wav or --svg all three are written, one file each per tune, named\n"
      "OUT/<file stem>-<X:>.mid|.wav|.svg. Written paths go to stdout. Needs abc2midi (abcmidi),\n"
      "abcm2ps and the FluidR3_GM soundfont (fluid-soundfont-gm). Directives that read other files or\n"
      "copy SVG, PostScript or markup into the output (%%abc-include, %%beginsvg, ...) are not passed\n"
      "to the tools (a warning says so). Exit 0: all rendered; 1: some tune failed; 2: usage, an empty\n"
      "file or one without tunes, a missing tool; 3: FILE not found; 5: FILE cannot be read or the\n"
      "output folder cannot be written (checked before any tune is rendered).");
  cmd->add_option("FILE", args->input, "ABC file ('-' for stdin)")->required();
  cmd->add_option("--out", args->out, "Folder for the output files (created if needed)")->capture_default_str();
  cmd->add_flag("--midi", args->midi, "Write MIDI (abc2midi)");
  cmd->add_flag("--wav", args->wav, "Write WAV audio, 44.1 kHz 16-bit stereo (FluidSynth)");
  cmd->add_flag("--svg", args->svg, "Write SVG sheet music (abcm2ps)");
  cmd->add_option("--program", args->midi_options.program,
                  "General MIDI program of the melody: 0 piano, 40 violin, 73 flute, 110 fiddle")
      ->check(CLI::Range(0, 127))
      ->capture_default_str();
  cmd->add_flag("--chords", args->midi_options.chords, "Play the chord symbols as a quiet bass and chord accompaniment");
  cmd->add_option("--tune", args->tunes, "Render only the tune with this X: number (repeatable)");
  cmd->add_option("--tempo", args->midi_options.default_tempo_qpm, "Quarter notes per minute for tunes without Q:")
      ->check(CLI::Range(20, 400))
      ->capture_default_str();
  cmd->add_flag("--lenient", [args](std::int64_t) { args->midi_options.strict = false; },
                "Keep the MIDI of a tune abc2midi reports errors in (they become warnings)");
  cmd->add_option("--soundfont", args->wav_options.soundfont, "General MIDI soundfont (.sf2) for WAV")
      ->capture_default_str();
  cmd->callback([args] {
    int code = RunRender(*args);
    if (code != kExitOk) throw ExitCode{code};
  });
}

}  // namespace tunesmith::cli
