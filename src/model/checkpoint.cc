#include "model/checkpoint.h"

#include <cstring>
#include <filesystem>

#include "base/json_text.h"
#include "base/files.h"

namespace tunesmith::model {

namespace {

// Section names; an unknown name is skipped on reading (a newer writer may add some).
constexpr char kModel[] = "model";
constexpr char kVocabulary[] = "vocabulary";
constexpr char kWeights[] = "weights";
constexpr char kCorpus[] = "corpus.fingerprint";
constexpr char kTrainConfig[] = "train.config";
constexpr char kTrainState[] = "train.state";
constexpr char kOptimizer[] = "optimizer";
constexpr char kRng[] = "rng";
constexpr char kExtraPrefix[] = "extra/";

// FNV-1a 64 over `bytes`, starting from `basis`. Format version 2 uses the
// standard offset basis; version 1 files were written with the basis short of
// its last digit (finding 17 of issue 13) and are still read with it.
constexpr uint64_t kFnv64OffsetBasis = 14695981039346656037ull;
constexpr uint64_t kFnv64VersionOneBasis = 1469598103934665603ull;
constexpr uint64_t kFnv64Prime = 1099511628211ull;

uint64_t Fnv1a64(std::string_view bytes, uint64_t basis) {
  uint64_t h = basis;
  for (unsigned char ch : bytes) {
    h ^= ch;
    h *= kFnv64Prime;
  }
  return h;
}

template <typename T>
void PutLe(std::string& out, T value) {
  for (size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>((static_cast<uint64_t>(value) >> (8 * i)) & 0xff));
}

template <typename T>
T GetLe(std::string_view bytes, size_t at) {
  uint64_t v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return static_cast<T>(v);
}

void PutSection(std::string& out, std::string_view name, std::string_view payload) {
  PutLe<uint16_t>(out, static_cast<uint16_t>(name.size()));
  out.append(name);
  PutLe<uint64_t>(out, payload.size());
  out.append(payload);
}

std::string DumpJson(const nlohmann::json& j) { return j.is_null() ? std::string() : base::JsonText(j); }

}  // namespace

std::string EncodeCheckpoint(const Checkpoint& c) {
  std::vector<std::pair<std::string, std::string_view>> sections;
  const std::string model_json = base::JsonText(ModelConfigToJson(c.model));
  const std::string train_config = DumpJson(c.train_config);
  const std::string train_state = DumpJson(c.train_state);
  sections.emplace_back(kModel, model_json);
  sections.emplace_back(kVocabulary, c.vocabulary);
  sections.emplace_back(kWeights, c.weights);
  sections.emplace_back(kCorpus, c.corpus_fingerprint);
  if (!train_config.empty()) sections.emplace_back(kTrainConfig, train_config);
  if (!train_state.empty()) sections.emplace_back(kTrainState, train_state);
  if (!c.optimizer.empty()) sections.emplace_back(kOptimizer, c.optimizer);
  if (!c.rng.empty()) sections.emplace_back(kRng, c.rng);
  for (const auto& [name, blob] : c.extras) sections.emplace_back(kExtraPrefix + name, blob);

  std::string out(kCheckpointMagic, sizeof(kCheckpointMagic));
  PutLe<uint32_t>(out, kCheckpointVersion);
  PutLe<uint32_t>(out, static_cast<uint32_t>(sections.size()));
  for (const auto& [name, payload] : sections) PutSection(out, name, payload);
  PutLe<uint64_t>(out, Fnv1a64(out, kFnv64OffsetBasis));
  return out;
}

Result<Checkpoint> DecodeCheckpoint(std::string_view bytes, const std::string& name) {
  const std::string where = "checkpoint " + name + ": ";
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kCheckpointMagic, 8) != 0)
    return Status::Corruption(where + "not a tunesmith checkpoint (the file does not start with TUNESMTH): HINT pass a model file written by 'tunesmith train'");
  if (bytes.size() < 16 + 8) return Status::Corruption(where + "truncated (" + std::to_string(bytes.size()) + " bytes): HINT the file is damaged; use MODEL.last or retrain");
  const uint32_t version = GetLe<uint32_t>(bytes, 8);
  if (version < kOldestCheckpointVersion || version > kCheckpointVersion) {
    return Status::NotSupported(where + "format version " + std::to_string(version) + ", this build reads versions " +
                         std::to_string(kOldestCheckpointVersion) + " to " + std::to_string(kCheckpointVersion) +
                         ": HINT retrain with this build's 'tunesmith train', or use the build that wrote it");
  }
  const uint32_t count = GetLe<uint32_t>(bytes, 12);
  size_t at = 16;
  std::map<std::string, std::string_view> sections;
  for (uint32_t s = 0; s < count; ++s) {
    if (at + 2 > bytes.size()) return Status::Corruption(where + "truncated in the section table: HINT the file is damaged; use MODEL.last or retrain");
    const size_t name_len = GetLe<uint16_t>(bytes, at);
    at += 2;
    if (at + name_len + 8 > bytes.size()) return Status::Corruption(where + "truncated in a section header: HINT the file is damaged; use MODEL.last or retrain");
    std::string section(bytes.substr(at, name_len));
    at += name_len;
    const uint64_t size = GetLe<uint64_t>(bytes, at);
    at += 8;
    if (size > bytes.size() - at) return Status::Corruption(where + "truncated in section '" + section + "': HINT the file is damaged; use MODEL.last or retrain");
    sections[section] = bytes.substr(at, size);
    at += size;
  }
  if (at + 8 != bytes.size()) {
    return Status::Corruption(where + (at + 8 > bytes.size() ? "truncated at the checksum" : "trailing bytes after the checksum") +
                         ": HINT the file is damaged; use MODEL.last or retrain");
  }
  const uint64_t basis = version == 1 ? kFnv64VersionOneBasis : kFnv64OffsetBasis;
  if (GetLe<uint64_t>(bytes, at) != Fnv1a64(bytes.substr(0, at), basis))
    return Status::Corruption(where + "checksum mismatch: the file is damaged; HINT use MODEL.last or retrain");

  Checkpoint c;
  for (const char* required : {kModel, kVocabulary, kWeights}) {
    if (!sections.count(required)) return Status::Corruption(where + "has no '" + required + "' section: HINT the file is damaged; use MODEL.last or retrain");
  }
  try {
    auto model = ModelConfigFromJson(nlohmann::json::parse(sections[kModel]));
    if (!model.ok()) return Status::Corruption(where + model.status().message() + ": HINT the file is damaged; use MODEL.last or retrain");
    c.model = *model;
    if (sections.count(kTrainConfig)) c.train_config = nlohmann::json::parse(sections[kTrainConfig]);
    if (sections.count(kTrainState)) c.train_state = nlohmann::json::parse(sections[kTrainState]);
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(where + "bad JSON in a section: " + e.what() + ": HINT the file is damaged; use MODEL.last or retrain");
  }
  c.vocabulary = std::string(sections[kVocabulary]);
  c.weights = std::string(sections[kWeights]);
  if (sections.count(kCorpus)) c.corpus_fingerprint = std::string(sections[kCorpus]);
  if (sections.count(kOptimizer)) c.optimizer = std::string(sections[kOptimizer]);
  if (sections.count(kRng)) c.rng = std::string(sections[kRng]);
  const std::string_view prefix = kExtraPrefix;
  for (const auto& [section, payload] : sections) {
    if (section.compare(0, prefix.size(), prefix) == 0) c.extras[section.substr(prefix.size())] = std::string(payload);
  }
  return c;
}

Status WriteCheckpoint(const std::string& path, const Checkpoint& checkpoint) {
  // What an earlier writer killed mid-write left beside the file.
  base::RemoveStaleTemporaryFiles(path);
  Status st = base::WriteFileAtomically(path, EncodeCheckpoint(checkpoint));
  if (st.ok()) return st;
  std::error_code ec;
  const bool kept = std::filesystem::is_regular_file(path, ec);
  return st.WithMessage("checkpoint: " + st.message() +
                   (kept ? "; " + path + " still holds the previous checkpoint, intact" : "; nothing was written") +
                   " (HINT: free disk space or choose another --out, then run again" +
                   (kept ? " with --resume if this was MODEL.last)" : ")"));
}

Result<Checkpoint> ReadCheckpoint(const std::string& path) {
  // Only a regular file of a plausible size is read whole (not /dev/zero, a
  // FIFO or a folder).
  std::error_code ec;
  const auto kind = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::exists(kind) && !std::filesystem::is_regular_file(kind)) {
    return Status::Corruption("checkpoint " + path + ": " +
                              (std::filesystem::is_directory(kind) ? "a folder" : "not a regular file") +
                              ", not a model: HINT pass a model file written by 'tunesmith train'");
  }
  if (!ec && std::filesystem::exists(kind)) {
    const uintmax_t size = std::filesystem::file_size(path, ec);
    if (!ec && size > kMaxCheckpointBytes) {
      return Status::Corruption("checkpoint " + path + ": " + std::to_string(size) + " bytes, more than the " +
                                std::to_string(kMaxCheckpointBytes >> 30) + " GiB a model may have: HINT pass a model file written by 'tunesmith train'");
    }
  }
  Result<std::string> bytes = base::ReadFile(path);
  if (!bytes.ok()) return bytes.status().WithPrefix("checkpoint: ");
  return DecodeCheckpoint(*bytes, path);
}

}  // namespace tunesmith::model
