#include "transport/sent_records.h"

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "lake/arrow_compute.h"
#include "sources/order_source.h"

namespace pizzastream::transport {
namespace {

// Source columns of `rows` rows; field c of row r is "r<r>c<c>", or `text` for row `odd_row`;
// as dictionaries of utf8 (as the generator sends its menu fields) when `dictionaries`.
std::shared_ptr<const SourceColumns> Columns(int64_t rows, int64_t odd_row = -1,
                                             const std::string& text = "",
                                             bool dictionaries = false) {
  EXPECT_TRUE(lake::InitializeCompute().ok());
  arrow::ArrayVector columns;
  arrow::FieldVector fields;
  for (size_t c = 0; c < sources::kSourceColumns.size(); ++c) {
    arrow::StringBuilder b;
    for (int64_t r = 0; r < rows; ++r) {
      EXPECT_TRUE(
          b.Append(r == odd_row ? text : "r" + std::to_string(r) + "c" + std::to_string(c)).ok());
    }
    std::shared_ptr<arrow::Array> column = b.Finish().ValueOrDie();
    if (dictionaries) column = arrow::compute::DictionaryEncode(column).ValueOrDie().make_array();
    fields.push_back(arrow::field(sources::kSourceColumns[c], column->type()));
    columns.push_back(std::move(column));
  }
  auto columns_of = std::make_shared<const SourceColumns>(
      *arrow::RecordBatch::Make(arrow::schema(fields), rows, columns));
  EXPECT_TRUE(columns_of->status().ok()) << columns_of->status().ToString();
  return columns_of;
}

std::vector<Message> Messages(int32_t partition, int64_t from, int64_t end) {
  std::vector<Message> out;
  for (int64_t o = from; o < end; ++o) out.push_back(Message{{}, {}, partition, o, 0, 0});
  return out;
}

// Offers rows [from, from + count) of `columns`, written at the same offsets of partition 0.
void OfferRows(SentRecords& sent, const std::shared_ptr<const SourceColumns>& columns, int64_t from,
               int64_t count, const std::atomic<bool>* stop = nullptr) {
  std::vector<int64_t> rows;
  std::vector<RecordPosition> at;
  for (int64_t i = from; i < from + count; ++i) {
    rows.push_back(i);
    at.push_back({0, i});
  }
  sent.Offer(columns, rows, at, stop);
}

std::string Field(const Message& m, size_t c) {
  std::string_view v;
  EXPECT_TRUE(m.source->Get(c, m.source_row, &v));
  return std::string(v);
}

TEST(SentRecords, GivesEachOfferedMessageItsRowAndLetsGoOfWhatWasRead) {
  SentRecords sent(1 << 20, std::chrono::milliseconds(0));
  auto columns = Columns(10);
  // Rows 0..9 at offsets 100..109 of partition 0; offset 105 holds a record without a row.
  std::vector<int64_t> rows = {0, 1, 2, 3, 4, -1, 5, 6, 7, 8};
  std::vector<RecordPosition> at;
  for (int64_t i = 0; i < 10; ++i) at.push_back({0, 100 + i});
  sent.Offer(columns, rows, at);
  EXPECT_EQ(sent.figures().kept, 9);
  EXPECT_GT(sent.figures().bytes, 0);

  std::vector<std::shared_ptr<const SourceColumns>> held;
  auto messages = Messages(0, 99, 111);
  sent.Annotate(messages, &held);
  for (const Message& m : messages) {
    const bool has_row = m.offset >= 100 && m.offset < 110 && m.offset != 105;
    ASSERT_EQ(m.source != nullptr, has_row) << m.offset;
    if (!has_row) continue;
    const int64_t row = rows[static_cast<size_t>(m.offset - 100)];
    EXPECT_EQ(m.source_row, row);
    EXPECT_EQ(Field(m, 4), "r" + std::to_string(row) + "c4");
  }
  EXPECT_EQ(sent.figures().given, 9);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0], columns);
  // Read past offset 110: nothing is kept any more, and a reader going back finds no rows.
  EXPECT_EQ(sent.figures().bytes, 0);
  auto again = Messages(0, 100, 102);
  sent.Annotate(again, &held);
  EXPECT_EQ(again[0].source, nullptr);
}

TEST(SentRecords, KeepsEachPartitionsOffsetsAndSkipsRecordsNotWritten) {
  SentRecords sent(1 << 20, std::chrono::milliseconds(0));
  auto columns = Columns(6);
  // Rows alternate between partitions 1 and 2; row 2 was a replay, not written.
  std::vector<int64_t> rows = {0, 1, 2, 3, 4, 5};
  std::vector<RecordPosition> at = {{1, 7}, {2, 0}, {1, -1}, {1, 8}, {2, 1}, {2, 2}};
  sent.Offer(columns, rows, at);
  EXPECT_EQ(sent.figures().kept, 5);
  std::vector<std::shared_ptr<const SourceColumns>> held;
  auto one = Messages(1, 7, 9);
  auto two = Messages(2, 0, 3);
  std::vector<Message> both = two;
  both.insert(both.end(), one.begin(), one.end());
  sent.Annotate(both, &held);
  std::vector<int64_t> got;
  for (const Message& m : both) got.push_back(m.source == nullptr ? -2 : m.source_row);
  EXPECT_EQ(got, (std::vector<int64_t>{1, 4, 5, 0, 3}));
}

TEST(SentRecords, KeepsNoRowWhoseTextIsNotUtf8) {
  SentRecords sent(1 << 20, std::chrono::milliseconds(0));
  // A Latin-1 byte, and a UTF-16 surrogate written as UTF-8: JSON parsers reject both, so
  // bronze must see the record's JSON and quarantine it.
  // Plain text, and dictionaries (whose values are checked, not each row's).
  for (bool dictionaries : {false, true}) {
    for (const std::string& bad : {std::string("Caf\xe9"), std::string("\xed\xa0\x80")}) {
      auto columns = Columns(3, 1, bad, dictionaries);
      sent.Offer(columns, std::vector<int64_t>{0, 1, 2},
                 std::vector<RecordPosition>{{0, 0}, {0, 1}, {0, 2}});
      std::vector<std::shared_ptr<const SourceColumns>> held;
      auto messages = Messages(0, 0, 3);
      sent.Annotate(messages, &held);
      for (const Message& m : messages) EXPECT_EQ(m.source, nullptr);
    }
  }
  EXPECT_EQ(sent.figures().kept, 0);
  EXPECT_EQ(sent.figures().refused, 12);
  // The same rows in valid UTF-8 are kept, and read back through their dictionaries.
  auto columns = Columns(3, 1, "Caf\xc3\xa9", true);
  sent.Offer(columns, std::vector<int64_t>{0, 1, 2},
             std::vector<RecordPosition>{{0, 10}, {0, 11}, {0, 12}});
  std::vector<std::shared_ptr<const SourceColumns>> held;
  auto messages = Messages(0, 10, 13);
  sent.Annotate(messages, &held);
  ASSERT_NE(messages[1].source, nullptr);
  EXPECT_EQ(Field(messages[1], 4), "Caf\xc3\xa9");
  EXPECT_EQ(Field(messages[2], 4), "r2c4");
}

// The budget holds one offer: a second waits until the reader has read past the first.
TEST(SentRecords, AFullBudgetWaitsForTheReaderToReadOn) {
  auto columns = Columns(100);
  SentRecords probe(1 << 20, std::chrono::milliseconds(0));
  OfferRows(probe, columns, 0, 50);
  const int64_t one_offer = probe.figures().bytes;

  SentRecords sent(one_offer + one_offer / 2, std::chrono::minutes(5));
  OfferRows(sent, columns, 0, 50);
  std::thread producer([&] { OfferRows(sent, columns, 50, 50); });
  std::vector<std::shared_ptr<const SourceColumns>> held;
  auto read = Messages(0, 50, 51);  // past the first offer
  sent.Annotate(read, &held);
  producer.join();
  EXPECT_EQ(sent.figures().kept, 100);
  EXPECT_EQ(sent.figures().refused, 0);
  auto rest = Messages(0, 50, 100);
  sent.Annotate(rest, &held);
  for (const Message& m : rest) EXPECT_EQ(m.source_row, m.offset);
}

// A producer told to stop (Ctrl-C) does not wait for room: the offer is not kept.
TEST(SentRecords, AStopEndsTheWaitForRoom) {
  auto columns = Columns(60);
  SentRecords probe(1 << 20, std::chrono::milliseconds(0));
  OfferRows(probe, columns, 0, 30);
  SentRecords sent(probe.figures().bytes, std::chrono::minutes(5));
  const std::atomic<bool> stop{true};
  OfferRows(sent, columns, 0, 30, &stop);
  OfferRows(sent, columns, 30, 30, &stop);  // would wait five minutes
  EXPECT_EQ(sent.figures().kept, 30);
  EXPECT_EQ(sent.figures().refused, 30);
  EXPECT_EQ(sent.figures().gave_up, 0);
}

// A reader that does not read on within the wait: the offer is not kept, nor are the next ones,
// which do not wait, until the reader reads on; then a full budget is waited for again.
TEST(SentRecords, AReaderHeldUpIsNotWaitedForAgainUntilItReadsOn) {
  auto columns = Columns(150);
  auto offer = [&](SentRecords& sent, int64_t from) { OfferRows(sent, columns, from, 30); };
  SentRecords probe(1 << 20, std::chrono::milliseconds(0));
  offer(probe, 0);
  const int64_t one_offer = probe.figures().bytes;

  SentRecords sent(2 * one_offer + one_offer / 2, std::chrono::milliseconds(1));
  offer(sent, 0);
  offer(sent, 30);
  offer(sent, 60);  // full: waits, then gives up
  EXPECT_EQ(sent.figures().refused, 30);
  EXPECT_EQ(sent.figures().gave_up, 1);
  offer(sent, 90);  // refused without waiting (a wait would have run out too)
  EXPECT_EQ(sent.figures().refused, 60);
  EXPECT_EQ(sent.figures().gave_up, 1);
  std::vector<std::shared_ptr<const SourceColumns>> held;
  auto read_on = Messages(0, 30, 31);  // past the first offer only
  sent.Annotate(read_on, &held);
  EXPECT_GT(sent.figures().bytes, 0);  // the second offer is still kept
  offer(sent, 90);                     // room for it again
  EXPECT_EQ(sent.figures().kept, 90);
  offer(sent, 120);  // full again: waited for (and given up on) once more
  EXPECT_EQ(sent.figures().gave_up, 2);
  auto rest = Messages(0, 31, 120);
  sent.Annotate(rest, &held);
  EXPECT_EQ(rest.back().source_row, 119);
  EXPECT_EQ(rest[60 - 31].source, nullptr);  // offset 60 was refused
}

}  // namespace
}  // namespace pizzastream::transport
