// libFuzzer target: any bytes through the reader, and every tune read through
// the writer (which must round-trip), the bar check, the timeline and a
// transposition. Build with -DTUNESMITH_FUZZ=ON and CXX=clang++.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "abc/bar_check.h"
#include "abc/reader.h"
#include "abc/timeline.h"
#include "abc/transpose.h"
#include "abc/tune_equality.h"
#include "abc/writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tunesmith::abc;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ReadResult result = ReadAbc(text, "fuzz.abc");
  for (const Diagnostic& d : result.diagnostics) (void)d.Format();
  for (const Tune& tune : result.tunes) {
    (void)CheckBars(tune);
    (void)Timeline(tune);
    std::string written = WriteTune(tune);
    ReadResult again = ReadAbc(written, "written.abc");
    std::string why;
    if (again.tunes.size() != 1 || !SameTune(tune, again.tunes[0], &why)) {
      std::cerr << "round trip failed: " << why << "\n--- written:\n" << written << "\n";
      for (const auto& d : again.diagnostics) std::cerr << d.Format() << "\n";
      std::abort();
    }
    auto moved = TransposeTo(tune, 2, -1);
    if (moved.ok()) (void)WriteTune(*moved);
  }
  return 0;
}
