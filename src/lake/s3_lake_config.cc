#include "lake/s3_lake_config.h"

#include <arrow/util/uri.h>

#include <cctype>
#include <cstdlib>
#include <initializer_list>

namespace pizzastream::lake {

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

std::string FirstEnv(std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (auto v = Env(name); !v.empty()) return v;
  }
  return {};
}

// Keys are ASCII paths; anything else is percent-encoded (SigV4 signs the encoded path).
std::string EscapeKey(const std::string& key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(key.size());
  for (const unsigned char c : key) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void ReplaceAll(std::string& text, const std::string& what, const std::string& with) {
  if (what.empty()) return;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at)) {
    text.replace(at, what.size(), with);
    at += with.size();
  }
}

}  // namespace

std::string S3LakeConfig::ObjectUrl(const std::string& path) const {
  const size_t slash = path.find('/');
  const std::string key = EscapeKey(slash == std::string::npos ? "" : path.substr(slash + 1));
  const std::string scheme = options.scheme.empty() ? "https" : options.scheme;
  if (options.endpoint_override.empty()) {
    return scheme + "://" + bucket + ".s3." + options.region + ".amazonaws.com/" + key;
  }
  if (options.force_virtual_addressing) {
    return scheme + "://" + bucket + "." + options.endpoint_override + "/" + key;
  }
  return scheme + "://" + options.endpoint_override + "/" + bucket + "/" + key;
}

S3Credentials S3LakeConfig::Credentials() const {
  return {options.GetAccessKey(), options.GetSecretKey(), options.GetSessionToken()};
}

Result<S3LakeConfig> ResolveS3Lake(const std::string& uri) {
  arrow::util::Uri parsed;
  ARROW_RETURN_NOT_OK(parsed.Parse(uri));
  ARROW_ASSIGN_OR_RAISE(auto items, parsed.query_items());
  auto has = [&](const char* key) {
    for (const auto& [k, v] : items) {
      if (k == key) return true;
    }
    return false;
  };
  // What the URI leaves open comes from the AWS environment, as for any AWS tool.
  std::string extra;
  auto add = [&](const std::string& key, const std::string& value) {
    extra += (extra.empty() && parsed.query_string().empty() ? "?" : "&") + key + "=" +
             arrow::util::UriEscape(value);
  };
  if (!has("endpoint_override")) {
    std::string url = FirstEnv({"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"});
    if (!url.empty()) {
      const size_t sep = url.find("://");
      if (sep != std::string::npos) {
        if (!has("scheme")) add("scheme", url.substr(0, sep));
        url = url.substr(sep + 3);
      }
      while (!url.empty() && url.back() == '/') url.pop_back();
      add("endpoint_override", url);
    }
  }
  if (!has("region")) {
    std::string region = FirstEnv({"AWS_REGION", "AWS_DEFAULT_REGION"});
    // An S3-compatible server has no region to discover; SigV4 still needs one.
    if (region.empty() && (has("endpoint_override") || !extra.empty())) region = "us-east-1";
    if (!region.empty()) add("region", region);
  }
  // The URI as given, with the added options, is never shown: it may hold credentials.
  std::string path;
  ARROW_ASSIGN_OR_RAISE(auto options, arrow::fs::S3Options::FromUri(uri + extra, &path));
  S3LakeConfig config;
  config.options = std::move(options);
  // Few retries inside the SDK (its default spends ~6 s on a refused connection): a stage's
  // step is retried with backoff by the pipeline anyway, and a user waits for one line.
  config.options.retry_strategy = arrow::fs::S3RetryStrategy::GetAwsStandardRetryStrategy(3);
  while (!path.empty() && path.back() == '/') path.pop_back();
  const size_t slash = path.find('/');
  config.bucket = path.substr(0, slash);
  config.prefix = slash == std::string::npos ? "" : path.substr(slash + 1);
  if (config.bucket.empty()) return Status::Invalid("no bucket in S3 lake URI s3://", path);
  const std::string scheme = config.options.scheme.empty() ? "https" : config.options.scheme;
  config.endpoint = config.options.endpoint_override.empty()
                        ? scheme + "://s3." + config.options.region + ".amazonaws.com"
                        : scheme + "://" + config.options.endpoint_override;
  config.shown_uri = "s3://" + path;
  return config;
}

std::string MaskSecrets(std::string text, const S3Credentials& creds) {
  ReplaceAll(text, creds.secret_key, "****");
  ReplaceAll(text, creds.session_token, "****");
  if (creds.access_key.size() > 4) {
    ReplaceAll(text, creds.access_key, creds.access_key.substr(0, 4) + "****");
  }
  return text;
}

}  // namespace pizzastream::lake
