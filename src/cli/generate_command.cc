// `pizzastream generate`: writes the synthetic order stream to a CSV file (13 columns), and
// optionally the exact figures the pipeline must end with, for tests and demos.
#include <arrow/array.h>
#include <arrow/io/file.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/source_options.h"
#include "lake/text_column.h"

namespace pizzastream::cli {

namespace {

void WriteCsvField(std::string_view v, std::string* out) {
  if (v.find_first_of(",\"\n\r") == std::string_view::npos) {
    out->append(v);
    return;
  }
  out->push_back('"');
  for (char c : v) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

// Every write error (a full disk included) is an error naming the file and the cause, never a
// truncated file with exit 0.
Status CannotWrite(const std::string& path, const Status& st) {
  if (st.ok()) return st;
  return Status::IOError("cannot write ", path, ": ", st.message(),
                         st.detail() ? " (" + st.detail()->ToString() + ")" : "");
}

Status WriteChecked(arrow::io::OutputStream& out, const std::string& path, std::string_view text) {
  return CannotWrite(path, out.Write(text.data(), static_cast<int64_t>(text.size())));
}

Result<std::shared_ptr<arrow::io::FileOutputStream>> OpenOutput(const std::string& path) {
  auto out = arrow::io::FileOutputStream::Open(path);
  if (!out.ok()) return CannotWrite(path, out.status());
  return out;
}

Status CloseChecked(arrow::io::OutputStream& out, const std::string& path) {
  return CannotWrite(path, out.Close());
}

}  // namespace

void AddGenerateCommand(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("generate", "Write generated order lines to a CSV file");
  auto source = std::make_shared<SourceOptions>();
  source->generate = true;
  auto output = std::make_shared<std::string>();
  auto totals = std::make_shared<std::string>();
  cmd->add_option("--output,-o", *output, "CSV file to write")->required();
  cmd->add_option("--count", source->count, "Records to generate")->required();
  cmd->add_option("--seed", source->seed, "Seed")->capture_default_str();
  cmd->add_option("--orders-per-day", source->orders_per_day, "Mean orders per simulated day")
      ->capture_default_str();
  cmd->add_option("--dirty-rate", source->dirty_rate, "Fraction of broken records")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--duplicate-rate", source->duplicate_rate, "Fraction of re-sent records")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--totals", *totals,
                  "Also write the exact expected figures (JSON) of the clean lines to this file");
  cmd->callback([&global, source, output, totals] {
    (void)global;
    auto gen = ValueOrExit(sources::OrderGenerator::Make(source->GeneratorOpts()));
    auto out = ValueOrExit(OpenOutput(*output));
    std::string text;
    for (size_t c = 0; c < sources::kSourceColumns.size(); ++c) {
      text += c ? "," : "";
      text += sources::kSourceColumns[c];
    }
    text += "\n";
    sources::SourceBatch batch;
    while (ValueOrExit(gen->Next(&batch))) {
      const auto& rb = *batch.records;
      std::vector<lake::TextColumn> fields;
      for (const auto& column : rb.columns())
        fields.push_back(ValueOrExit(lake::TextColumn::Of(*column)));
      for (int64_t r = 0; r < rb.num_rows(); ++r) {
        for (size_t c = 0; c < fields.size(); ++c) {
          if (c) text.push_back(',');
          if (const auto value = fields[c].Get(r)) WriteCsvField(*value, &text);
        }
        text.push_back('\n');
      }
      ExitIfError(WriteChecked(*out, *output, text));
      text.clear();
    }
    ExitIfError(WriteChecked(*out, *output, text));  // the header of an empty stream
    ExitIfError(CloseChecked(*out, *output));
    if (!totals->empty()) {
      const auto& t = gen->totals();
      auto tf = ValueOrExit(OpenOutput(*totals));
      // Through the JSON writer, in this key order (ordered_json), so any name is escaped.
      const nlohmann::ordered_json summary = {{"records", t.records},
                                              {"clean_lines", t.clean_lines},
                                              {"dirty", t.dirty},
                                              {"duplicates", t.duplicates},
                                              {"revenue_cents", t.revenue_cents},
                                              {"orders", t.orders},
                                              {"pizzas", t.pizzas},
                                              {"order_dates", t.order_dates},
                                              {"top_pizza", std::string(t.TopPizzaByRevenue())}};
      ExitIfError(WriteChecked(
          *tf, *totals,
          summary.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n"));
      ExitIfError(CloseChecked(*tf, *totals));
    }
  });
}

}  // namespace pizzastream::cli
