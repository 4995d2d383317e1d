#include "render/midi_summary.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace tunesmith::render {
namespace {

constexpr int64_t kDefaultTempo = 500000;  // microseconds per quarter note (120 bpm), SMF default

// A cursor over the bytes with bounds-checked reads; errors name the offset.
class ByteReader {
 public:
  ByteReader(std::string_view bytes, size_t begin, size_t end) : bytes_(bytes), pos_(begin), end_(end) {}
  bool AtEnd() const { return pos_ >= end_; }
  size_t pos() const { return pos_; }

  bool Byte(int* out) {
    if (pos_ >= end_) return false;
    *out = static_cast<unsigned char>(bytes_[pos_++]);
    return true;
  }
  bool Skip(size_t n) {
    if (end_ - pos_ < n) return false;
    pos_ += n;
    return true;
  }
  bool BigEndian(int width, uint32_t* out) {
    if (end_ - pos_ < static_cast<size_t>(width)) return false;
    uint32_t v = 0;
    for (int i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(bytes_[pos_++]);
    *out = v;
    return true;
  }
  // MIDI variable-length quantity: 7 bits per byte, high bit set on all but the last; at most 4 bytes.
  bool VarLength(uint32_t* out) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      int b;
      if (!Byte(&b)) return false;
      v = (v << 7) | static_cast<uint32_t>(b & 0x7f);
      if ((b & 0x80) == 0) {
        *out = v;
        return true;
      }
    }
    return false;
  }

 private:
  std::string_view bytes_;
  size_t pos_;
  size_t end_;
};

Status Malformed(const std::string& what, size_t offset) {
  return Status::InvalidArgument("not a valid MIDI file: " + what + " at byte " + std::to_string(offset));
}

struct TempoChange {
  int64_t tick;
  int64_t micros_per_quarter;
};

// Reads one MTrk body; adds to `summary` and `tempi`; returns the track's last tick.
Result<int64_t> ReadTrack(ByteReader& track, MidiSummary& summary, std::vector<TempoChange>& tempi) {
  int64_t tick = 0;
  int running_status = 0;
  while (!track.AtEnd()) {
    uint32_t delta;
    if (!track.VarLength(&delta)) return Malformed("bad delta time", track.pos());
    tick += delta;
    int status;
    size_t status_pos = track.pos();
    if (!track.Byte(&status)) return Malformed("event missing", status_pos);
    int first_data = -1;
    if (status < 0x80) {
      if (running_status == 0) return Malformed("data byte without a status", status_pos);
      first_data = status;
      status = running_status;
    }
    if (status >= 0x80 && status < 0xf0) {
      running_status = status;
      int kind = status & 0xf0;
      int channel = status & 0x0f;
      int data_bytes = (kind == 0xc0 || kind == 0xd0) ? 1 : 2;
      int data[2] = {0, 0};
      for (int i = 0; i < data_bytes; ++i) {
        if (i == 0 && first_data >= 0) {
          data[0] = first_data;
        } else if (!track.Byte(&data[i])) {
          return Malformed("truncated channel event", track.pos());
        }
      }
      if (kind == 0x90 && data[1] > 0) {
        ++summary.note_ons;
        ++summary.note_ons_by_channel[channel];
      } else if (kind == 0xc0 && summary.program_by_channel[channel] < 0) {
        summary.program_by_channel[channel] = data[0];
      }
    } else if (status == 0xf0 || status == 0xf7) {
      running_status = 0;
      uint32_t length;
      if (!track.VarLength(&length) || !track.Skip(length)) return Malformed("truncated sysex event", track.pos());
    } else if (status == 0xff) {
      running_status = 0;
      int type;
      uint32_t length;
      if (!track.Byte(&type) || !track.VarLength(&length)) return Malformed("truncated meta event", track.pos());
      if (type == 0x51 && length == 3) {
        uint32_t tempo = 0;
        if (!track.BigEndian(3, &tempo)) return Malformed("truncated tempo event", track.pos());
        if (tempo == 0) return Malformed("zero tempo", track.pos());
        tempi.push_back({tick, tempo});
      } else if (!track.Skip(length)) {
        return Malformed("truncated meta event", track.pos());
      }
      if (type == 0x2f) break;  // end of track
    } else {
      return Malformed("unknown status byte", status_pos);
    }
  }
  return tick;
}

double TicksToSeconds(int64_t end_tick, int division, std::vector<TempoChange> tempi) {
  std::stable_sort(tempi.begin(), tempi.end(), [](const TempoChange& a, const TempoChange& b) { return a.tick < b.tick; });
  double seconds = 0;
  int64_t tick = 0;
  int64_t tempo = kDefaultTempo;
  for (const TempoChange& change : tempi) {
    if (change.tick >= end_tick) break;
    seconds += static_cast<double>(change.tick - tick) * tempo / 1e6 / division;
    tick = change.tick;
    tempo = change.micros_per_quarter;
  }
  seconds += static_cast<double>(end_tick - tick) * tempo / 1e6 / division;
  return seconds;
}

}  // namespace

int MidiSummary::ChannelsWithNotes() const {
  return static_cast<int>(std::count_if(note_ons_by_channel.begin(), note_ons_by_channel.end(),
                                        [](int64_t n) { return n > 0; }));
}

Result<MidiSummary> SummarizeMidi(std::string_view bytes) {
  ByteReader file(bytes, 0, bytes.size());
  if (bytes.substr(0, 4) != "MThd") return Malformed("no MThd header", 0);
  file.Skip(4);
  uint32_t header_length, format, ntracks, division;
  if (!file.BigEndian(4, &header_length) || header_length < 6 || !file.BigEndian(2, &format) ||
      !file.BigEndian(2, &ntracks) || !file.BigEndian(2, &division) || !file.Skip(header_length - 6)) {
    return Malformed("truncated MThd header", file.pos());
  }
  if (format > 2) return Malformed("unknown format " + std::to_string(format), 8);
  if (division & 0x8000) return Status::NotSupported("MIDI file uses SMPTE time division, which is not supported");
  if (division == 0) return Malformed("zero ticks per quarter note", 12);

  MidiSummary summary;
  summary.format = static_cast<int>(format);
  summary.division = static_cast<int>(division);
  std::vector<TempoChange> tempi;
  int64_t end_tick = 0;
  while (!file.AtEnd()) {
    size_t chunk_pos = file.pos();
    uint32_t length;
    if (!file.Skip(4) || !file.BigEndian(4, &length)) return Malformed("truncated chunk header", chunk_pos);
    size_t body = file.pos();
    if (bytes.size() - body < length) return Malformed("chunk longer than the file", chunk_pos);
    file.Skip(length);
    if (bytes.substr(chunk_pos, 4) != "MTrk") continue;  // unknown chunks are skipped, as the standard says
    ByteReader track(bytes, body, body + length);
    Result<int64_t> last_tick = ReadTrack(track, summary, tempi);
    if (!last_tick.ok()) return last_tick.status();
    end_tick = std::max(end_tick, *last_tick);
    ++summary.tracks;
  }
  if (summary.tracks != static_cast<int>(ntracks)) {
    return Malformed("header promises " + std::to_string(ntracks) + " tracks but " +
                         std::to_string(summary.tracks) + " were found",
                     bytes.size());
  }
  summary.seconds = TicksToSeconds(end_tick, summary.division, std::move(tempi));
  return summary;
}

}  // namespace tunesmith::render
