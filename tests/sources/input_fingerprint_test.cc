#include "sources/input_fingerprint.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/process.h"

namespace pizzastream::sources {
namespace {

using testing::TempDir;
using testing::WriteFile;

TEST(InputFingerprint, AFileThatOnlyGrewIsAdmittedAChangedOneIsRefused) {
  TempDir dir;
  const std::string ledger = dir / "sources", csv = dir / "orders.csv";
  WriteFile(csv, "header\n1,a\n2,b\n");
  ASSERT_TRUE(AdmitInput(ledger, "csv:orders", csv).ok());
  ASSERT_TRUE(AdmitInput(ledger, "csv:orders", csv).ok());  // unchanged
  WriteFile(csv, "header\n1,a\n2,b\n3,c\n");                // appended
  ASSERT_TRUE(AdmitInput(ledger, "csv:orders", csv).ok());
  WriteFile(csv, "header\n1,a\n2,B\n3,c\n");  // one byte changed, same size
  Status st = AdmitInput(ledger, "csv:orders", csv);
  ASSERT_TRUE(st.IsInvalid());
  EXPECT_NE(st.message().find("changed since producer 'csv:orders'"), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("--producer-id"), std::string::npos) << st.message();
  WriteFile(csv, "header\n1,a\n");  // shorter than what was sent
  EXPECT_TRUE(AdmitInput(ledger, "csv:orders", csv).IsInvalid());
  // Another producer id is another source: admitted, and refused in turn once it changes.
  ASSERT_TRUE(AdmitInput(ledger, "orders-v2", csv).ok());
  WriteFile(csv, "header\n9,z\n");
  EXPECT_TRUE(AdmitInput(ledger, "orders-v2", csv).IsInvalid());
  // The original content is accepted again by its producer.
  WriteFile(csv, "header\n1,a\n2,b\n3,c\n");
  EXPECT_TRUE(AdmitInput(ledger, "csv:orders", csv).ok());
}

TEST(InputFingerprint, ADamagedLedgerIsAClearError) {
  TempDir dir;
  const std::string ledger = dir / "sources", csv = dir / "orders.csv";
  WriteFile(csv, "header\n1,a\n");
  ASSERT_TRUE(AdmitInput(ledger, "p", csv).ok());
  for (const auto& entry : std::filesystem::directory_iterator(ledger)) {
    WriteFile(entry.path().string(), "{\"bytes\": \"x\"");
  }
  Status st = AdmitInput(ledger, "p", csv);
  ASSERT_TRUE(st.IsInvalid());
  EXPECT_NE(st.message().find("damaged"), std::string::npos) << st.message();
}

TEST(InputFingerprint, PrefixAndWholeFileFingerprintsComeFromOnePass) {
  TempDir dir;
  WriteFile(dir / "a", "abcdef");
  WriteFile(dir / "b", "abc");
  FileFingerprint whole_a, prefix_a, whole_b, prefix_b;
  ASSERT_TRUE(FingerprintFile(dir / "a", 3, &whole_a, &prefix_a).ok());
  ASSERT_TRUE(FingerprintFile(dir / "b", -1, &whole_b, &prefix_b).ok());
  EXPECT_EQ(prefix_a, whole_b);
  EXPECT_NE(whole_a, whole_b);
  EXPECT_EQ(whole_a.bytes, 6);
  EXPECT_EQ(prefix_b.bytes, 0);  // no prefix asked for
  ASSERT_TRUE(FingerprintFile(dir / "b", 10, &whole_b, &prefix_b).ok());
  EXPECT_TRUE(prefix_b.xxh3_128.empty());  // shorter than the prefix
}

}  // namespace
}  // namespace pizzastream::sources
