// MaskSecrets: no credential survives in a message shown to a user; the access key keeps only
// the four characters that tell which key it was.
#include "lake/s3_lake_config.h"

#include <gtest/gtest.h>

namespace pizzastream::lake {
namespace {

TEST(MaskSecrets, SecretAndSessionTokenAreMaskedEverywhereInTheText) {
  const S3Credentials creds{"PZABCDEFGH", "s3cr3t/key+X", "tok.en"};
  const std::string masked = MaskSecrets(
      "http://PZABCDEFGH:s3cr3t/key+X@host failed; token tok.en; again s3cr3t/key+X", creds);
  EXPECT_EQ(masked.find("s3cr3t/key+X"), std::string::npos) << masked;
  EXPECT_EQ(masked.find("tok.en"), std::string::npos) << masked;
  EXPECT_EQ(masked.find("PZABCDEFGH"), std::string::npos) << masked;
  EXPECT_NE(masked.find("PZAB****:****@host"), std::string::npos) << masked;
  EXPECT_NE(masked.find("again ****"), std::string::npos) << masked;
}

TEST(MaskSecrets, TextWithoutCredentialsOrWithNoneConfiguredIsUnchanged) {
  const std::string text = "cannot reach the S3 endpoint http://127.0.0.1:9";
  EXPECT_EQ(MaskSecrets(text, {"AKIAEXAMPLE", "secret", ""}), text);
  EXPECT_EQ(MaskSecrets(text, {}), text);
}

}  // namespace
}  // namespace pizzastream::lake
