#include "lake/text_dictionary_builder.h"

#include <algorithm>

namespace pizzastream::lake {

const std::shared_ptr<arrow::DataType>& TextDictionaryBuilder::Type() {
  static const auto type = arrow::dictionary(arrow::int32(), arrow::utf8());
  return type;
}

Status TextDictionaryBuilder::AppendByContent(std::string_view text) {
  if (plain_) return plain_->Append(text);  // no address is remembered once plain
  auto found = by_text_.find(text);
  if (found == by_text_.end()) {
    if (values_.value_data_length() + static_cast<int64_t>(text.size()) > kMostDictionaryBytes) {
      ARROW_RETURN_NOT_OK(TurnPlain());
      return plain_->Append(text);
    }
    ARROW_RETURN_NOT_OK(values_.Append(text));
    found = by_text_.emplace(std::string(text), static_cast<int32_t>(values_.length() - 1)).first;
  }
  by_address_.Remember(text, found->second);
  indices_.UnsafeAppend(found->second);
  return Status::OK();
}

Status TextDictionaryBuilder::TurnPlain() {
  auto plain = std::make_unique<arrow::StringBuilder>();
  const int64_t rows = indices_.length();
  // Room for the rows reserved so far (those appended and those to come), as Reserve promised.
  ARROW_RETURN_NOT_OK(plain->Reserve(std::max<int64_t>(indices_.capacity(), rows + 1)));
  for (int64_t i = 0; i < rows; ++i) {
    ARROW_RETURN_NOT_OK(plain->Append(values_.GetView(indices_.data()[i])));
  }
  by_text_.clear();
  ForgetAddresses();
  values_.Reset();
  indices_.Reset();
  plain_ = std::move(plain);
  return Status::OK();
}

Result<std::shared_ptr<arrow::Array>> TextDictionaryBuilder::Finish() {
  if (plain_) {
    std::shared_ptr<arrow::Array> text;
    ARROW_RETURN_NOT_OK(plain_->Finish(&text));
    plain_.reset();
    return text;
  }
  const int64_t rows = indices_.length();
  ARROW_ASSIGN_OR_RAISE(auto index_buffer, indices_.Finish());
  auto indices = arrow::MakeArray(
      arrow::ArrayData::Make(arrow::int32(), rows, {nullptr, std::move(index_buffer)}, 0));
  ARROW_ASSIGN_OR_RAISE(auto values, values_.Finish());
  by_text_.clear();
  ForgetAddresses();
  // Every index was handed out for a value stored: no need to check them again.
  return std::make_shared<arrow::DictionaryArray>(Type(), std::move(indices), std::move(values));
}

std::shared_ptr<arrow::RecordBatch> BatchWithDictionaries(
    const std::shared_ptr<arrow::Schema>& declared, int64_t rows, arrow::ArrayVector columns) {
  arrow::FieldVector fields = declared->fields();
  for (size_t c = 0; c < fields.size() && c < columns.size(); ++c) {
    if (columns[c]->type_id() == arrow::Type::DICTIONARY) {
      fields[c] = fields[c]->WithType(columns[c]->type());
    }
  }
  return arrow::RecordBatch::Make(arrow::schema(std::move(fields), declared->metadata()), rows,
                                  std::move(columns));
}

}  // namespace pizzastream::lake
