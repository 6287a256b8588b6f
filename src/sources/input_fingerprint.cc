#include "sources/input_fingerprint.h"

#include <arrow/io/file.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#define XXH_INLINE_ALL
#include <arrow/vendored/xxhash.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace pizzastream::sources {

namespace {

constexpr int64_t kChunkBytes = 1 << 20;

std::string Hex(const XXH128_hash_t& h) { return fmt::format("{:016x}{:016x}", h.high64, h.low64); }

struct StateDeleter {
  void operator()(XXH3_state_t* s) const { XXH3_freeState(s); }
};

Result<nlohmann::json> ReadLedger(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return nlohmann::json();  // never recorded
  std::stringstream text;
  text << in.rdbuf();
  auto json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object() || !json.contains("bytes") ||
      !json["bytes"].is_number_integer() || !json.contains("xxh3_128") ||
      !json["xxh3_128"].is_string()) {
    return Status::Invalid("input fingerprint ", file.string(),
                           " is damaged; delete it to accept the input as it is now");
  }
  return json;
}

Status WriteLedger(const std::filesystem::path& file, const nlohmann::json& json) {
  const std::filesystem::path tmp = file.string() + ".tmp";
  ARROW_ASSIGN_OR_RAISE(auto out, arrow::io::FileOutputStream::Open(tmp.string()));
  const std::string text = json.dump() + "\n";
  ARROW_RETURN_NOT_OK(out->Write(text.data(), static_cast<int64_t>(text.size())));
  ARROW_RETURN_NOT_OK(out->Close());
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) return Status::IOError("cannot write ", file.string(), ": ", ec.message());
  return Status::OK();
}

}  // namespace

Status FingerprintFile(const std::string& path, int64_t prefix_bytes, FileFingerprint* whole,
                       FileFingerprint* prefix) {
  ARROW_ASSIGN_OR_RAISE(auto file, arrow::io::ReadableFile::Open(path));
  std::unique_ptr<XXH3_state_t, StateDeleter> state(XXH3_createState());
  if (!state || XXH3_128bits_reset(state.get()) != XXH_OK) {
    return Status::OutOfMemory("cannot hash ", path);
  }
  *prefix = {};
  int64_t done = 0;
  auto take_prefix = [&] {
    if (done == prefix_bytes) *prefix = {done, Hex(XXH3_128bits_digest(state.get()))};
  };
  take_prefix();
  std::string chunk(kChunkBytes, '\0');
  while (true) {
    int64_t want = kChunkBytes;
    if (done < prefix_bytes) want = std::min(want, prefix_bytes - done);
    ARROW_ASSIGN_OR_RAISE(int64_t n, file->Read(want, chunk.data()));
    if (n == 0) break;
    XXH3_128bits_update(state.get(), chunk.data(), static_cast<size_t>(n));
    done += n;
    take_prefix();
  }
  *whole = {done, Hex(XXH3_128bits_digest(state.get()))};
  return file->Close();
}

Status AdmitInput(const std::string& ledger_dir, const std::string& producer_id,
                  const std::string& input_path) {
  std::error_code ec;
  std::filesystem::create_directories(ledger_dir, ec);
  if (ec) return Status::IOError("cannot create ", ledger_dir, ": ", ec.message());
  const std::filesystem::path file =
      std::filesystem::path(ledger_dir) /
      fmt::format("{:016x}.json", XXH3_64bits(producer_id.data(), producer_id.size()));
  ARROW_ASSIGN_OR_RAISE(auto recorded, ReadLedger(file));
  const int64_t sent_bytes = recorded.is_null() ? -1 : recorded["bytes"].get<int64_t>();
  FileFingerprint now, prefix;
  ARROW_RETURN_NOT_OK(FingerprintFile(input_path, sent_bytes, &now, &prefix));
  if (!recorded.is_null() &&
      prefix != FileFingerprint{sent_bytes, recorded["xxh3_128"].get<std::string>()}) {
    return Status::Invalid(
        input_path, " changed since producer '", producer_id,
        "' sent it: it no longer begins with the ", sent_bytes, " bytes sent then (it has ",
        now.bytes,
        " now), and a replay resumes by row number. To send it as a new source, run again "
        "with --producer-id NEW-NAME (order lines whose pizza_id was already accepted go to "
        "silver/duplicates); to finish the old one, restore the original file (the fingerprint "
        "is kept in ",
        file.string(), ")");
  }
  nlohmann::json json = {{"producer_id", producer_id},
                         {"input", std::filesystem::absolute(input_path, ec).string()},
                         {"bytes", now.bytes},
                         {"xxh3_128", now.xxh3_128}};
  return WriteLedger(file, json);
}

}  // namespace pizzastream::sources
