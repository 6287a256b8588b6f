#include "warehouse/postgres_load.h"

#include <algorithm>
#include <array>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "gold/gold_schema.h"
#include "warehouse/aggregates.h"
#include "warehouse/postgres_copy_cells.h"
#include "warehouse/postgres_params.h"

namespace pizzastream::warehouse {

namespace {

// pg_advisory_xact_lock key serialising loads ("pizza" + 2).
constexpr const char* kLoadLock = "SELECT pg_advisory_xact_lock(x'70697a7a61000002'::bigint)";

std::shared_ptr<arrow::Schema> GoldSchema(const std::string& table) {
  if (table == "dim_date") return gold::DimDateSchema();
  if (table == "dim_time") return gold::DimTimeSchema();
  if (table == "dim_pizza") return gold::DimPizzaSchema();
  if (table == "fact_order_item") return gold::FactOrderItemSchema();
  return nullptr;
}

bool IsDimension(const std::string& table) { return table.starts_with("dim_"); }

std::string Join(const std::vector<std::string>& items, const std::string& prefix,
                 const std::string& separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += prefix + item;
  }
  return out;
}

// INSERT ... SELECT from the staging table into the target. Every gold table's primary key is
// its first column.
// `update`: dimensions update changed rows (else keep what is there).
std::string UpsertSql(const std::string& table, const std::vector<std::string>& columns,
                      bool update) {
  const std::string& key = columns.front();
  const std::string list = Join(columns, "", ", ");
  if (!IsDimension(table) || !update) {
    return "INSERT INTO pizza_sales." + table + " (" + list + ") SELECT " + list + " FROM stage_" +
           table + " ON CONFLICT (" + key + ") DO NOTHING";
  }
  const std::vector<std::string> attributes(columns.begin() + 1, columns.end());
  std::string set;
  for (const auto& c : attributes) set += (set.empty() ? "" : ", ") + c + " = EXCLUDED." + c;
  return "INSERT INTO pizza_sales." + table + " AS t (" + list + ") SELECT DISTINCT ON (" + key +
         ") " + list + " FROM stage_" + table + " ORDER BY " + key +
         ", stage_seq DESC ON CONFLICT (" + key + ") DO UPDATE SET " + set + " WHERE (" +
         Join(attributes, "t.", ", ") + ") IS DISTINCT FROM (" +
         Join(attributes, "EXCLUDED.", ", ") + ")";
}

std::vector<std::string> ColumnsOf(const std::string& table) {
  std::vector<std::string> columns;
  for (const auto& field : GoldSchema(table)->fields()) columns.push_back(field->name());
  return columns;
}

// The orders whose aggregate contribution this load may change, as a bigint[] literal: the
// staged facts' orders, and the loaded orders of pizzas whose staged name, category or size
// differ from the warehouse's (a dimension correction moves them between aggregate rows).
std::string TouchedOrdersSql(const std::vector<std::string>& staged) {
  auto has = [&](const char* table) {
    return std::find(staged.begin(), staged.end(), table) != staged.end();
  };
  std::vector<std::string> parts;
  if (has("fact_order_item")) parts.push_back("SELECT order_id FROM stage_fact_order_item");
  if (has("dim_pizza")) {
    parts.push_back(
        "SELECT f.order_id FROM pizza_sales.fact_order_item f "
        "JOIN pizza_sales.dim_pizza d ON d.pizza_sk = f.pizza_sk "
        "JOIN stage_dim_pizza s ON s.pizza_sk = f.pizza_sk "
        "WHERE (s.pizza_name, s.pizza_category, s.pizza_size) IS DISTINCT FROM "
        "(d.pizza_name, d.pizza_category, d.pizza_size)");
  }
  if (parts.empty()) return "SELECT '{}'::text";
  return "SELECT coalesce(array_agg(DISTINCT order_id ORDER BY order_id), '{}')::text FROM (" +
         Join(parts, "", " UNION ALL ") + ") AS touched";
}

template <size_t N>
void StreamRows(pqxx::stream_to& stream, CopyCells& cells) {
  std::array<const char*, N> row;
  for (int64_t i = 0; i < cells.num_rows(); ++i) {
    cells.Row(i, row.data());
    stream << row;
  }
}

// COPY the batches into the staging table; stream_to escapes tabs, newlines and backslashes.
Status CopyIntoStaging(pqxx::work& tx, const std::string& table,
                       const std::vector<std::string>& columns,
                       const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches) {
  std::vector<CopyCells> all_cells;
  for (const auto& batch : batches) {
    ARROW_ASSIGN_OR_RAISE(CopyCells cells, CopyCells::Make(batch));
    all_cells.push_back(std::move(cells));
  }
  pqxx::stream_to stream(tx, "stage_" + table, columns);
  for (CopyCells& cells : all_cells) {
    switch (cells.num_columns()) {
      case 4:
        StreamRows<4>(stream, cells);
        break;
      case 8:
        StreamRows<8>(stream, cells);
        break;
      case 9:
        StreamRows<9>(stream, cells);
        break;
      default:
        StreamRows<10>(stream, cells);
        break;  // the gold tables have 4, 8, 9 or 10
    }
  }
  stream.complete();
  return Status::OK();
}

}  // namespace

Status CheckGoldChunk(const GoldChunk& chunk) {
  for (const auto& [table, batches] : chunk.batches) {
    const auto schema = GoldSchema(table);
    if (schema == nullptr) return Status::Invalid("not a gold table: ", table);
    for (const auto& batch : batches) {
      const auto& fields = batch->schema()->fields();
      bool same = fields.size() == schema->fields().size();
      for (size_t i = 0; same && i < fields.size(); ++i) {
        same = fields[i]->name() == schema->field(i)->name() &&
               fields[i]->type()->Equals(*schema->field(i)->type());
      }
      if (!same) {
        return Status::Invalid("batch for ", table,
                               " does not have the gold schema: ", batch->schema()->ToString(),
                               " vs ", schema->ToString());
      }
    }
  }
  for (const auto& [table, position] : chunk.positions) {
    if (GoldSchema(table) == nullptr) return Status::Invalid("not a gold table: ", table);
  }
  return Status::OK();
}

LoadPositions ReadLoadPositions(pqxx::connection& conn) {
  pqxx::read_transaction tx(conn, "pizzastream_positions");
  LoadPositions positions;
  for (const char* table : kGoldTables) positions[table] = -1;
  for (const auto& row :
       tx.exec("SELECT table_name, delta_version FROM pizza_sales.load_position")) {
    positions[row[0].as<std::string>()] = row[1].as<int64_t>();
  }
  return positions;
}

Status LoadGoldChunk(pqxx::connection& conn, const GoldChunk& chunk, bool maintain_aggregates) {
  pqxx::work tx(conn, "pizzastream_load");
  tx.exec(kLoadLock);
  LoadPositions recorded;
  for (const auto& row :
       tx.exec("SELECT table_name, delta_version FROM pizza_sales.load_position")) {
    recorded[row[0].as<std::string>()] = row[1].as<int64_t>();
  }
  std::vector<std::string> staged;
  std::vector<std::string> upserts;
  for (const char* name : kGoldTables) {
    const std::string table = name;
    const auto batches = chunk.batches.find(table);
    if (batches == chunk.batches.end() || batches->second.empty()) continue;
    const auto position = chunk.positions.find(table);
    const auto loaded = recorded.find(table);
    const bool newer = position == chunk.positions.end() || loaded == recorded.end() ||
                       position->second > loaded->second;
    tx.exec("CREATE TEMP TABLE stage_" + table + " (LIKE pizza_sales." + table +
            (IsDimension(table) ? ", stage_seq bigint GENERATED ALWAYS AS IDENTITY" : "") +
            ") ON COMMIT DROP");
    ARROW_RETURN_NOT_OK(CopyIntoStaging(tx, table, ColumnsOf(table), batches->second));
    staged.push_back(table);
    upserts.push_back(UpsertSql(table, ColumnsOf(table), newer));
  }
  // The sales aggregates are kept by order: read the lines of the orders this load touches,
  // upsert, read them again and add the difference.
  const SalesAggregates aggregates("postgresql");
  SqlParam orders;
  AggLines before;
  if (maintain_aggregates) {
    orders = tx.exec1(TouchedOrdersSql(staged))[0].as<std::string>();
    ARROW_ASSIGN_OR_RAISE(before, aggregates.ReadLines(orders, QueryOn(tx)));
  }
  for (const auto& sql : upserts) tx.exec(sql);
  if (maintain_aggregates) {
    ARROW_ASSIGN_OR_RAISE(AggLines after, aggregates.ReadLines(orders, QueryOn(tx)));
    ARROW_RETURN_NOT_OK(aggregates.WriteChange(before, after, ExecOn(tx), QueryOn(tx)));
  }
  for (const auto& [table, position] : chunk.positions) {
    tx.exec_params0(
        "INSERT INTO pizza_sales.load_position (table_name, delta_version) VALUES ($1, $2) "
        "ON CONFLICT (table_name) DO UPDATE SET delta_version = "
        "GREATEST(load_position.delta_version, EXCLUDED.delta_version), loaded_at = now()",
        table, position);
  }
  tx.commit();
  return Status::OK();
}

}  // namespace pizzastream::warehouse
