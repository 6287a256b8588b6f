#include "warehouse/postgres_load.h"

#include <algorithm>
#include <array>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "gold/gold_schema.h"
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
  if (!IsDimension(table)) {
    // The facts this load inserts, recorded as runs of consecutive ids (gaps and islands).
    return "WITH inserted AS (INSERT INTO pizza_sales." + table + " (" + list + ") SELECT " + list +
           " FROM stage_" + table + " ON CONFLICT (" + key + ") DO NOTHING RETURNING " + key +
           "), runs AS (SELECT " + key + " AS id, " + key + " - row_number() OVER (ORDER BY " +
           key +
           ") AS run FROM inserted) INSERT INTO pizza_sales.fact_load_ranges "
           "(first_item_id, last_item_id) SELECT min(id), max(id) FROM runs GROUP BY run "
           "ORDER BY 1";
  }
  if (!update) {
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

template <size_t N>
void StreamRows(pqxx::stream_to& stream, CopyCells& cells) {
  std::array<const char*, N> row;
  for (int64_t i = 0; i < cells.num_rows(); ++i) {
    cells.Row(i, row.data());
    stream << row;
  }
}

// Fails unless `batch` has the columns and types of gold table `table`.
Status CheckGoldSchema(const std::string& table, const arrow::RecordBatch& batch) {
  const auto schema = GoldSchema(table);
  if (schema == nullptr) return Status::Invalid("not a gold table: ", table);
  const auto& fields = batch.schema()->fields();
  bool same = fields.size() == schema->fields().size();
  for (size_t i = 0; same && i < fields.size(); ++i) {
    same = fields[i]->name() == schema->field(i)->name() &&
           fields[i]->type()->Equals(*schema->field(i)->type());
  }
  if (same) return Status::OK();
  return Status::Invalid("batch for ", table,
                         " does not have the gold schema: ", batch.schema()->ToString(), " vs ",
                         schema->ToString());
}

// COPY the table's batches into the staging table, a batch at a time; stream_to escapes tabs,
// newlines and backslashes. A batch that fails its checks ends the load (the transaction is
// rolled back).
Status CopyIntoStaging(pqxx::work& tx, const std::string& table,
                       const std::vector<std::string>& columns, const GoldChunk& chunk) {
  pqxx::stream_to stream(tx, "stage_" + table, columns);
  const Status copied = chunk.EachBatch(table, [&](const arrow::RecordBatch& batch) -> Status {
    ARROW_RETURN_NOT_OK(CheckGoldSchema(table, batch));
    ARROW_ASSIGN_OR_RAISE(CopyCells cells, CopyCells::Make(arrow::RecordBatch::Make(
                                               batch.schema(), batch.num_rows(), batch.columns())));
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
    return Status::OK();
  });
  stream.complete();  // also after a failed batch: the COPY ends, the caller's transaction aborts
  return copied;
}

}  // namespace

Status CheckGoldChunk(const GoldChunk& chunk) {
  for (const auto& [table, batches] : chunk.batches) {
    for (const auto& batch : batches) ARROW_RETURN_NOT_OK(CheckGoldSchema(table, *batch));
  }
  for (const auto& [table, scan] : chunk.scans) {
    if (GoldSchema(table) == nullptr) return Status::Invalid("not a gold table: ", table);
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

Status LoadGoldChunk(pqxx::connection& conn, const GoldChunk& chunk) {
  pqxx::work tx(conn, "pizzastream_load");
  tx.exec(kLoadLock);
  LoadPositions recorded;
  for (const auto& row :
       tx.exec("SELECT table_name, delta_version FROM pizza_sales.load_position")) {
    recorded[row[0].as<std::string>()] = row[1].as<int64_t>();
  }
  std::vector<std::string> upserts;
  for (const char* name : kGoldTables) {
    const std::string table = name;
    if (!chunk.Has(table)) continue;
    const auto position = chunk.positions.find(table);
    const auto loaded = recorded.find(table);
    const bool newer = position == chunk.positions.end() || loaded == recorded.end() ||
                       position->second > loaded->second;
    tx.exec("CREATE TEMP TABLE stage_" + table + " (LIKE pizza_sales." + table +
            (IsDimension(table) ? ", stage_seq bigint GENERATED ALWAYS AS IDENTITY" : "") +
            ") ON COMMIT DROP");
    ARROW_RETURN_NOT_OK(CopyIntoStaging(tx, table, ColumnsOf(table), chunk));
    upserts.push_back(UpsertSql(table, ColumnsOf(table), newer));
  }
  for (const auto& sql : upserts) tx.exec(sql);
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
