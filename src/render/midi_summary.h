// A reading of a Standard MIDI File that is just deep enough to check what
// abc2midi wrote (tests) and to know how long it plays (the WAV renderer).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace tunesmith::render {

struct MidiSummary {
  int format = 0;     // SMF format: 0 (one track) or 1 (parallel tracks; what abc2midi writes)
  int tracks = 0;     // MTrk chunks read
  int division = 0;   // ticks per quarter note
  int64_t note_ons = 0;                    // note-on events with velocity > 0, all channels
  std::array<int64_t, 16> note_ons_by_channel{};  // the same per MIDI channel (0-based)
  std::array<int, 16> program_by_channel;  // first program change on each channel; -1 if none
  double seconds = 0;  // time of the last event of any track, with the file's tempo changes applied

  MidiSummary() { program_by_channel.fill(-1); }
  // Channels that have at least one note-on.
  int ChannelsWithNotes() const;
};

// Reads the header and every track of `bytes`. Fails, naming the byte offset,
// on anything that is not a well-formed Standard MIDI File (bad magic,
// truncated chunk, unknown status byte); SMPTE time division is refused.
Result<MidiSummary> SummarizeMidi(std::string_view bytes);

}  // namespace tunesmith::render
