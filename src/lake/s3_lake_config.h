// Where an S3 lake lives and how to reach it. `ResolveS3Lake` reads `s3://bucket/prefix` with
// Arrow's S3 URI options (endpoint_override, scheme, region, ...) and fills what the URI leaves
// open from the standard AWS environment: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL for the
// endpoint, AWS_REGION / AWS_DEFAULT_REGION for the region. Credentials are never taken from
// here: Arrow's default chain finds them (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
// AWS_SESSION_TOKEN, AWS_PROFILE and the config files, web identity, the instance role), or the
// URI's user:password when given. Plain values; no I/O except what Arrow's URI parsing does
// (it may ask AWS for a bucket's region when neither a region nor an endpoint is set).
#pragma once

#include <arrow/filesystem/s3fs.h>

#include <string>

#include "core/status.h"

namespace pizzastream::lake {

struct S3Credentials {
  std::string access_key, secret_key, session_token;
};

struct S3LakeConfig {
  arrow::fs::S3Options options;  // for Arrow's S3 filesystem (data files, log reads)
  std::string bucket;
  std::string prefix;     // key of the lake root inside the bucket, no slashes at the ends
  std::string endpoint;   // scheme://host[:port] of the store, as shown in messages
  std::string shown_uri;  // the lake URI without any credential in it

  // Arrow's path of the lake root ("bucket/prefix").
  std::string root_path() const { return prefix.empty() ? bucket : bucket + "/" + prefix; }
  // The URL of the object at Arrow path `path` ("bucket/key"), for a plain HTTP request.
  std::string ObjectUrl(const std::string& path) const;
  // The credentials the default chain (or the URI) gives now; empty when there are none.
  S3Credentials Credentials() const;
};

Result<S3LakeConfig> ResolveS3Lake(const std::string& uri);

// `text` with every credential of `creds` in it replaced by a mask (the access key keeps its
// first four characters, so a user can tell which key was used).
std::string MaskSecrets(std::string text, const S3Credentials& creds);

}  // namespace pizzastream::lake
