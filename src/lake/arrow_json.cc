#include "lake/arrow_json.h"

#include <arrow/array/builder_binary.h>
#include <arrow/array/builder_nested.h>
#include <arrow/array/builder_primitive.h>

namespace pizzastream::lake {

using json = nlohmann::json;

namespace {

template <typename ArrayType>
json Text(const arrow::Array& a, int64_t i) {
  return json(std::string(static_cast<const ArrayType&>(a).GetView(i)));
}

template <typename ArrayType>
json Number(const arrow::Array& a, int64_t i) {
  return json(static_cast<const ArrayType&>(a).Value(i));
}

template <typename ListType>
Result<json> List(const arrow::Array& a, int64_t i) {
  const auto& list = static_cast<const ListType&>(a);
  json out = json::array();
  const auto& values = *list.values();
  for (int64_t k = list.value_offset(i); k < list.value_offset(i) + list.value_length(i); ++k) {
    ARROW_ASSIGN_OR_RAISE(auto v, CellToJson(values, k));
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

Result<json> CellToJson(const arrow::Array& a, int64_t i) {
  if (a.IsNull(i)) return json(nullptr);
  switch (a.type_id()) {
    case arrow::Type::STRING:
      return Text<arrow::StringArray>(a, i);
    case arrow::Type::LARGE_STRING:
      return Text<arrow::LargeStringArray>(a, i);
    case arrow::Type::STRING_VIEW:
      return Text<arrow::StringViewArray>(a, i);
    case arrow::Type::BINARY:
      return Text<arrow::BinaryArray>(a, i);
    case arrow::Type::LARGE_BINARY:
      return Text<arrow::LargeBinaryArray>(a, i);
    case arrow::Type::BINARY_VIEW:
      return Text<arrow::BinaryViewArray>(a, i);
    case arrow::Type::BOOL:
      return json(static_cast<const arrow::BooleanArray&>(a).Value(i));
    case arrow::Type::INT8:
      return Number<arrow::Int8Array>(a, i);
    case arrow::Type::INT16:
      return Number<arrow::Int16Array>(a, i);
    case arrow::Type::INT32:
      return Number<arrow::Int32Array>(a, i);
    case arrow::Type::INT64:
      return Number<arrow::Int64Array>(a, i);
    case arrow::Type::UINT8:
      return Number<arrow::UInt8Array>(a, i);
    case arrow::Type::UINT16:
      return Number<arrow::UInt16Array>(a, i);
    case arrow::Type::UINT32:
      return Number<arrow::UInt32Array>(a, i);
    case arrow::Type::UINT64:
      return Number<arrow::UInt64Array>(a, i);
    case arrow::Type::FLOAT:
      return Number<arrow::FloatArray>(a, i);
    case arrow::Type::DOUBLE:
      return Number<arrow::DoubleArray>(a, i);
    case arrow::Type::DICTIONARY: {
      const auto& dict = static_cast<const arrow::DictionaryArray&>(a);
      return CellToJson(*dict.dictionary(), dict.GetValueIndex(i));
    }
    case arrow::Type::STRUCT: {
      const auto& s = static_cast<const arrow::StructArray&>(a);
      json out = json::object();
      for (int k = 0; k < s.num_fields(); ++k) {
        ARROW_ASSIGN_OR_RAISE(auto v, CellToJson(*s.field(k), i));
        if (!v.is_null()) out[s.struct_type()->field(k)->name()] = std::move(v);
      }
      return out;
    }
    case arrow::Type::MAP: {
      const auto& m = static_cast<const arrow::MapArray&>(a);
      json out = json::object();
      for (int64_t k = m.value_offset(i); k < m.value_offset(i) + m.value_length(i); ++k) {
        ARROW_ASSIGN_OR_RAISE(auto key, CellToJson(*m.keys(), k));
        ARROW_ASSIGN_OR_RAISE(auto item, CellToJson(*m.items(), k));
        if (!key.is_string()) return Status::Invalid("a map key is not a string");
        out[key.get<std::string>()] = std::move(item);
      }
      return out;
    }
    case arrow::Type::LIST:
      return List<arrow::ListArray>(a, i);
    case arrow::Type::LARGE_LIST:
      return List<arrow::LargeListArray>(a, i);
    default:  // e.g. add.stats_parsed's dates and decimals: nothing pizzastream reads
      return json(nullptr);
  }
}

Status AppendJson(arrow::ArrayBuilder* builder, const json& value) {
  if (value.is_null()) return builder->AppendNull();
  const auto mismatch = [&] {
    return Status::Invalid("cannot append JSON ", value.type_name(), " to ",
                           builder->type()->ToString());
  };
  switch (builder->type()->id()) {
    case arrow::Type::STRING:
      if (!value.is_string()) return mismatch();
      return static_cast<arrow::StringBuilder*>(builder)->Append(
          value.get_ref<const std::string&>());
    case arrow::Type::INT32:
      if (!value.is_number_integer()) return mismatch();
      return static_cast<arrow::Int32Builder*>(builder)->Append(value.get<int32_t>());
    case arrow::Type::INT64:
      if (!value.is_number_integer()) return mismatch();
      return static_cast<arrow::Int64Builder*>(builder)->Append(value.get<int64_t>());
    case arrow::Type::BOOL:
      if (!value.is_boolean()) return mismatch();
      return static_cast<arrow::BooleanBuilder*>(builder)->Append(value.get<bool>());
    case arrow::Type::STRUCT: {
      if (!value.is_object()) return mismatch();
      auto* s = static_cast<arrow::StructBuilder*>(builder);
      const auto type = builder->type();  // a copy: the builder returns it by value
      for (int k = 0; k < type->num_fields(); ++k) {
        auto it = value.find(type->field(k)->name());
        ARROW_RETURN_NOT_OK(AppendJson(s->field_builder(k), it == value.end() ? json() : *it));
      }
      return s->Append();
    }
    case arrow::Type::MAP: {
      if (!value.is_object()) return mismatch();
      auto* m = static_cast<arrow::MapBuilder*>(builder);
      ARROW_RETURN_NOT_OK(m->Append());
      for (const auto& [key, item] : value.items()) {
        ARROW_RETURN_NOT_OK(AppendJson(m->key_builder(), json(key)));
        ARROW_RETURN_NOT_OK(AppendJson(m->item_builder(), item));
      }
      return Status::OK();
    }
    case arrow::Type::LIST: {
      if (!value.is_array()) return mismatch();
      auto* l = static_cast<arrow::ListBuilder*>(builder);
      ARROW_RETURN_NOT_OK(l->Append());
      for (const auto& item : value) ARROW_RETURN_NOT_OK(AppendJson(l->value_builder(), item));
      return Status::OK();
    }
    default:
      return mismatch();
  }
}

}  // namespace pizzastream::lake
