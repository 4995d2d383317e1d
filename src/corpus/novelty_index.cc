#include "corpus/novelty_index.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "tokens/abc_token.h"
#include "tokens/tokenizer.h"

namespace tunesmith::corpus {
namespace {

// FNV-1a, 64 bit: stable across compilers and machines, which the serialised
// index needs (std::hash is neither).
constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

uint64_t FnvBytes(uint64_t h, const void* data, std::size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    h ^= p[i];
    h *= kFnvPrime;
  }
  return h;
}

uint64_t FnvValue(uint64_t h, uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    h ^= (v >> (8 * i)) & 0xff;
    h *= kFnvPrime;
  }
  return h;
}

// Item kinds folded into a bar hash before their value.
enum : uint64_t { kItemPitch = 1, kItemRest = 2, kItemMark = 3, kItemEnd = 4 };

std::array<int, 7> KeySignature(int tonic_step, int tonic_alter, abc::Mode mode) {
  abc::Key key;
  key.tonic_step = tonic_step;
  key.tonic_alter = tonic_alter;
  key.mode = mode;
  return key.Signature();
}

int FloorDiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// ---- bytes -------------------------------------------------------------------

constexpr char kMagic[8] = {'T', 'S', 'N', 'O', 'V', 'I', 'D', 'X'};
constexpr uint32_t kFormatVersion = 1;
constexpr uint32_t kFlagNotes = 1;

class ByteWriter {
 public:
  void Raw(const void* data, std::size_t size) { out_.append(static_cast<const char*>(data), size); }
  void U32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void U64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void Str(const std::string& s) {
    U32(static_cast<uint32_t>(s.size()));
    Raw(s.data(), s.size());
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  bool U32(uint32_t* v) {
    if (in_.size() - pos_ < 4) return false;
    *v = 0;
    for (int i = 0; i < 4; ++i) *v |= static_cast<uint32_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    pos_ += 4;
    return true;
  }
  bool U64(uint64_t* v) {
    if (in_.size() - pos_ < 8) return false;
    *v = 0;
    for (int i = 0; i < 8; ++i) *v |= static_cast<uint64_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    pos_ += 8;
    return true;
  }
  bool Str(std::string* s) {
    uint32_t size;
    if (!U32(&size) || in_.size() - pos_ < size) return false;
    s->assign(in_.substr(pos_, size));
    pos_ += size;
    return true;
  }
  // True when `count` items of `item_size` bytes can still be read.
  bool Fits(uint64_t count, uint64_t item_size) const { return count <= (in_.size() - pos_) / item_size; }
  std::size_t pos() const { return pos_; }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

// ---- bar hashes --------------------------------------------------------------

BarHasher::BarHasher() { StartBar(); }

void BarHasher::StartBar() {
  hash_ = kFnvOffset;
  has_content_ = false;
  octave_base_.reset();
  bar_accidentals_.clear();
}

void BarHasher::Mix(uint64_t value) { hash_ = FnvValue(hash_, value); }

void BarHasher::MixText(std::string_view text) {
  Mix(text.size());
  hash_ = FnvBytes(hash_, text.data(), text.size());
}

int BarHasher::SoundingPitch(const abc::Pitch& pitch) {
  const int where = pitch.step + 7 * pitch.octave;
  int alter_in_force = signature_[pitch.step];
  if (auto it = bar_accidentals_.find(where); it != bar_accidentals_.end()) alter_in_force = it->second;
  if (pitch.accidental != abc::Accidental::kNone) bar_accidentals_[where] = abc::AccidentalAlter(pitch.accidental);
  return abc::MidiNumber(pitch, alter_in_force);
}

std::optional<BarHash> BarHasher::Pending() const {
  if (!has_content_) return std::nullopt;
  return FnvValue(hash_, kItemEnd);
}

std::optional<BarHash> BarHasher::Push(std::string_view text) {
  auto close_bar = [this]() {
    std::optional<BarHash> done = Pending();
    StartBar();
    return done;
  };
  const std::optional<tokens::Token> token = tokens::ParseToken(text);
  if (!token) {
    Mix(kItemMark);
    MixText(text);
    has_content_ = true;
    return std::nullopt;
  }
  switch (token->cls) {
    case tokens::TokenClass::kSpecial:
      if (text == "</s>") return close_bar();
      return std::nullopt;
    case tokens::TokenClass::kBar:
      return close_bar();
    case tokens::TokenClass::kMode:
      signature_ = KeySignature(0, 0, token->mode);
      return std::nullopt;
    case tokens::TokenClass::kInlineKey:
      signature_ = KeySignature(token->key_tonic.step, token->key_tonic.alter, token->mode);
      return std::nullopt;
    case tokens::TokenClass::kMeter:
    case tokens::TokenClass::kRhythm:
    case tokens::TokenClass::kInlineMeter:
    case tokens::TokenClass::kEnding:
    case tokens::TokenClass::kChordSymbol:
      return std::nullopt;
    case tokens::TokenClass::kPitch: {
      const int midi = SoundingPitch(token->pitch);
      if (!octave_base_) octave_base_ = 12 * FloorDiv(midi, 12);
      Mix(kItemPitch);
      Mix(static_cast<uint64_t>(static_cast<int64_t>(midi - *octave_base_)));
      has_content_ = true;
      return std::nullopt;
    }
    case tokens::TokenClass::kRest:
      Mix(kItemRest);
      has_content_ = true;
      return std::nullopt;
    case tokens::TokenClass::kChordStart:
    case tokens::TokenClass::kChordEnd:
    case tokens::TokenClass::kDuration:
    case tokens::TokenClass::kTie:
    case tokens::TokenClass::kTuplet:
    case tokens::TokenClass::kBroken:
      Mix(kItemMark);
      MixText(text);
      return std::nullopt;
  }
  return std::nullopt;
}

std::vector<BarHash> BarHashesOfTokens(const std::vector<std::string>& tokens) {
  BarHasher hasher;
  std::vector<BarHash> bars;
  for (const std::string& t : tokens) {
    if (auto bar = hasher.Push(t)) bars.push_back(*bar);
  }
  if (auto last = hasher.Pending()) bars.push_back(*last);  // a stream cut short of </s>
  return bars;
}

Result<std::vector<BarHash>> BarHashesOfTune(const abc::Tune& tune) {
  auto encoded = tokens::EncodeTune(tune, tokens::TokenizerKind::kAbcToken);
  if (!encoded.ok()) return encoded.status();
  return BarHashesOfTokens(*encoded);
}

// ---- melody windows ----------------------------------------------------------

std::vector<MelodyNote> MelodyOf(const std::vector<abc::NoteEvent>& events) {
  std::vector<MelodyNote> melody;
  for (const abc::NoteEvent& e : events) {
    if (e.midi.empty()) continue;
    melody.push_back({*std::max_element(e.midi.begin(), e.midi.end()), e.length});
  }
  return melody;
}

std::vector<NoteGramHash> NoteGramHashes(const std::vector<MelodyNote>& melody) {
  std::vector<NoteGramHash> out;
  if (melody.size() < static_cast<std::size_t>(kNoteGram)) return out;
  out.reserve(melody.size() - kNoteGram + 1);
  for (std::size_t i = 0; i + kNoteGram <= melody.size(); ++i) {
    uint64_t h = kFnvOffset;
    for (int j = 0; j < kNoteGram; ++j) {
      h = FnvValue(h, static_cast<uint64_t>(melody[i + j].length.num()));
      h = FnvValue(h, static_cast<uint64_t>(melody[i + j].length.den()));
      if (j > 0) h = FnvValue(h, static_cast<uint64_t>(static_cast<int64_t>(melody[i + j].midi - melody[i + j - 1].midi)));
    }
    out.push_back(static_cast<NoteGramHash>(h ^ (h >> 32)));
  }
  return out;
}

// ---- the index -----------------------------------------------------------------

// A suffix array over every tune's note windows, each tune closed by a
// separator no query symbol can equal (query symbols are 32-bit hashes).
struct NoveltyIndex::NoteLookup {
  std::vector<uint64_t> text;
  std::vector<int32_t> tune_of;   // text position -> tune
  std::vector<int32_t> start_of;  // tune -> its first text position
  std::vector<int32_t> suffixes;  // sorted suffix start positions
};

NoveltyIndex::NoveltyIndex(std::vector<IndexedTune> tunes, std::string fingerprint)
    : tunes_(std::move(tunes)), fingerprint_(std::move(fingerprint)) {
  BuildBarLookup();
}

void NoveltyIndex::BuildBarLookup() {
  bar_places_.clear();
  for (int t = 0; t < size(); ++t) {
    const auto& bars = tunes_[t].bars;
    for (int b = 0; b < static_cast<int>(bars.size()); ++b) bar_places_[bars[b]].push_back({t, b});
  }
}

const std::vector<NoveltyIndex::Place>& NoveltyIndex::Occurrences(BarHash bar) const {
  static const std::vector<Place> kNone;
  auto it = bar_places_.find(bar);
  return it == bar_places_.end() ? kNone : it->second;
}

SharedRun NoveltyIndex::LongestBarRun(const std::vector<BarHash>& bars) const {
  BarRunMatcher matcher(*this);
  for (BarHash b : bars) matcher.Push(b);
  return matcher.longest();
}

const NoveltyIndex::NoteLookup& NoveltyIndex::Notes() const {
  std::call_once(lazy_notes_->once, [this] {
    auto lookup = std::make_shared<NoteLookup>();
    for (int t = 0; t < size(); ++t) {
      lookup->start_of.push_back(static_cast<int32_t>(lookup->text.size()));
      for (NoteGramHash h : tunes_[t].note_grams) {
        lookup->text.push_back(h);
        lookup->tune_of.push_back(t);
      }
      lookup->text.push_back((uint64_t{1} << 32) + static_cast<uint64_t>(t));
      lookup->tune_of.push_back(t);
    }
    // Prefix doubling: sort by (rank of the first k symbols, rank of the next k).
    const int n = static_cast<int>(lookup->text.size());
    std::vector<int32_t>& sa = lookup->suffixes;
    sa.resize(n);
    std::vector<int32_t> rank(n), next_rank(n);
    {
      std::vector<uint64_t> values = lookup->text;
      std::sort(values.begin(), values.end());
      values.erase(std::unique(values.begin(), values.end()), values.end());
      for (int i = 0; i < n; ++i) {
        rank[i] = static_cast<int32_t>(std::lower_bound(values.begin(), values.end(), lookup->text[i]) - values.begin());
        sa[i] = i;
      }
    }
    for (int k = 1; n > 0; k *= 2) {
      auto key = [&](int32_t i) { return std::pair<int32_t, int32_t>(rank[i], i + k < n ? rank[i + k] : -1); };
      std::sort(sa.begin(), sa.end(), [&](int32_t a, int32_t b) { return key(a) < key(b); });
      next_rank[sa[0]] = 0;
      for (int i = 1; i < n; ++i) next_rank[sa[i]] = next_rank[sa[i - 1]] + (key(sa[i - 1]) < key(sa[i]) ? 1 : 0);
      rank.swap(next_rank);
      if (rank[sa[n - 1]] == n - 1) break;  // all suffixes told apart
    }
    lazy_notes_->lookup = std::move(lookup);
  });
  return *lazy_notes_->lookup;
}

NoteMatches NoveltyIndex::MatchNotes(const std::vector<MelodyNote>& melody) const {
  NoteMatches out;
  out.run_from.assign(melody.size(), 0);
  if (!has_notes_ || tunes_.empty()) return out;
  const NoteLookup& lookup = Notes();
  const std::vector<NoteGramHash> grams = NoteGramHashes(melody);
  const std::vector<uint64_t> q(grams.begin(), grams.end());
  const std::size_t m = q.size(), n = lookup.text.size();
  const auto& text = lookup.text;
  const auto& sa = lookup.suffixes;

  auto common = [&](std::size_t qi, std::size_t tp) {
    std::size_t l = 0;
    while (qi + l < m && tp + l < n && q[qi + l] == text[tp + l]) ++l;
    return l;
  };
  for (std::size_t i = 0; i < m; ++i) {
    // First suffix not below q[i..]; the longest common prefix is with it or the one before.
    std::size_t lo = 0, hi = n;
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      const std::size_t tp = sa[mid];
      const std::size_t l = common(i, tp);
      const bool suffix_below = i + l < m && (tp + l == n || text[tp + l] < q[i + l]);
      if (suffix_below) lo = mid + 1; else hi = mid;
    }
    std::size_t best_len = 0;
    int32_t best_pos = -1;
    for (std::size_t c : {lo - 1, lo}) {
      if (c >= n) continue;  // lo - 1 wraps when lo == 0
      const std::size_t l = common(i, sa[c]);
      const int32_t pos = sa[c];
      if (l > best_len || (l == best_len && l > 0 && lookup.tune_of[pos] < lookup.tune_of[best_pos])) {
        best_len = l;
        best_pos = pos;
      }
    }
    if (best_len == 0) continue;
    const int notes = static_cast<int>(best_len) + kNoteGram - 1;
    out.run_from[i] = notes;
    if (notes > out.longest.length) {
      const int32_t tune = lookup.tune_of[best_pos];
      out.longest = {.length = notes,
                     .tune = tune,
                     .query_end = static_cast<int>(i) + notes,
                     .tune_end = best_pos - lookup.start_of[tune] + notes};
    }
  }
  return out;
}

std::string NoveltyIndex::Serialize(bool include_notes) const {
  include_notes = include_notes && has_notes_;
  ByteWriter w;
  w.Raw(kMagic, sizeof(kMagic));
  w.U32(kFormatVersion);
  w.U32(include_notes ? kFlagNotes : 0);
  w.U32(kNoteGram);
  w.Str(fingerprint_);
  w.U32(static_cast<uint32_t>(tunes_.size()));
  for (const IndexedTune& t : tunes_) {
    w.Str(t.title);
    w.U32(static_cast<uint32_t>(t.bars.size()));
    for (BarHash b : t.bars) w.U64(b);
    if (include_notes) {
      w.U32(static_cast<uint32_t>(t.note_grams.size()));
      for (NoteGramHash g : t.note_grams) w.U32(g);
    }
  }
  const uint64_t checksum = FnvBytes(kFnvOffset, w.bytes().data(), w.bytes().size());
  w.U64(checksum);
  return std::move(w.bytes());
}

Result<NoveltyIndex> NoveltyIndex::Deserialize(std::string_view bytes) {
  auto bad = [](const std::string& why) { return Status::Corruption("novelty index: " + why); };
  if (bytes.size() < sizeof(kMagic) + 8 || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return bad("not a novelty index (bad magic)");
  }
  const std::string_view body = bytes.substr(0, bytes.size() - 8);
  ByteReader trailer(bytes.substr(bytes.size() - 8));
  uint64_t stored_checksum = 0;
  trailer.U64(&stored_checksum);
  if (FnvBytes(kFnvOffset, body.data(), body.size()) != stored_checksum) {
    return bad("checksum mismatch (the bytes are damaged or truncated)");
  }
  ByteReader r(body.substr(sizeof(kMagic)));
  uint32_t version = 0, flags = 0, gram = 0, count = 0;
  if (!r.U32(&version) || !r.U32(&flags) || !r.U32(&gram)) return bad("truncated header");
  if (version != kFormatVersion) {
    return bad("format version " + std::to_string(version) + ", this build reads version " +
               std::to_string(kFormatVersion) + " (rebuild the index with this tunesmith)");
  }
  if (gram != static_cast<uint32_t>(kNoteGram)) {
    return bad("note windows of " + std::to_string(gram) + " notes, this build uses " + std::to_string(kNoteGram));
  }
  std::string fingerprint;
  if (!r.Str(&fingerprint) || !r.U32(&count)) return bad("truncated header");
  const bool with_notes = (flags & kFlagNotes) != 0;
  std::vector<IndexedTune> tunes;
  for (uint32_t t = 0; t < count; ++t) {
    IndexedTune tune;
    uint32_t bars = 0, grams = 0;
    if (!r.Str(&tune.title) || !r.U32(&bars) || !r.Fits(bars, 8)) return bad("truncated at tune " + std::to_string(t));
    tune.bars.resize(bars);
    for (auto& b : tune.bars) r.U64(&b);
    if (with_notes) {
      if (!r.U32(&grams) || !r.Fits(grams, 4)) return bad("truncated at tune " + std::to_string(t));
      tune.note_grams.resize(grams);
      for (auto& g : tune.note_grams) {
        uint32_t v = 0;
        r.U32(&v);
        g = v;
      }
    }
    tunes.push_back(std::move(tune));
  }
  if (r.pos() != body.size() - sizeof(kMagic)) return bad("trailing bytes after the last tune");
  NoveltyIndex index(std::move(tunes), std::move(fingerprint));
  index.has_notes_ = with_notes;
  return index;
}

// ---- the matcher -----------------------------------------------------------------

std::vector<BarRunMatcher::Active> BarRunMatcher::Advance(BarHash bar, SharedRun* best) const {
  const auto& places = index_->Occurrences(bar);
  std::vector<Active> next;
  next.reserve(places.size());
  *best = SharedRun{.length = 0, .tune = -1, .query_end = bars_ + 1, .tune_end = 0};
  std::size_t j = 0;
  for (const NoveltyIndex::Place& p : places) {
    // Both lists are sorted by (tune, bar): find the run ending just before p.
    while (j < active_.size() &&
           (active_[j].tune < p.tune || (active_[j].tune == p.tune && active_[j].bar < p.bar - 1))) {
      ++j;
    }
    int32_t length = 1;
    if (j < active_.size() && active_[j].tune == p.tune && active_[j].bar == p.bar - 1) {
      length = active_[j].length + 1;
    }
    next.push_back({p.tune, p.bar, length});
    if (length > best->length) *best = {.length = length, .tune = p.tune, .query_end = bars_ + 1, .tune_end = p.bar + 1};
  }
  return next;
}

int BarRunMatcher::Push(BarHash bar) {
  SharedRun run;
  active_ = Advance(bar, &run);
  ++bars_;
  current_ = run;
  if (run.length > longest_.length) longest_ = run;
  return run.length;
}

SharedRun BarRunMatcher::Peek(BarHash bar) const {
  SharedRun run;
  Advance(bar, &run);
  return run;
}

// ---- building ----------------------------------------------------------------------

IndexedTune IndexTune(const CorpusTune& tune) {
  return {.title = tune.tune.Title(),
          .bars = BarHashesOfTokens(tune.Tokens(tokens::TokenizerKind::kAbcToken)),
          .note_grams = NoteGramHashes(MelodyOf(abc::Timeline(tune.tune)))};
}

NoveltyIndex BuildNoveltyIndex(const Corpus& corpus, Split split, int* skipped) {
  std::vector<IndexedTune> tunes;
  int skipped_here = 0;
  for (const CorpusTune& ct : corpus.tunes) {
    if (ct.split != split) continue;
    IndexedTune indexed = IndexTune(ct);
    // Every corpus tune was tokenised while loading; a tune without bars has nothing to match.
    if (indexed.bars.empty()) {
      ++skipped_here;
      continue;
    }
    tunes.push_back(std::move(indexed));
  }
  if (skipped) *skipped = skipped_here;
  return NoveltyIndex(std::move(tunes), corpus.Fingerprint() + "/" + SplitName(split));
}

}  // namespace tunesmith::corpus
