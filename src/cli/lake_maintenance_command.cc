// `pizzastream lake optimize|vacuum|checkpoint|history|describe`: the standard Delta maintenance
// for people who run it themselves (pizzastream also checkpoints and compacts as it streams).
// Each works on every table of the lake, or on one with --table (e.g. bronze/order_lines).
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "bronze/bronze_schema.h"
#include "cli/commands.h"
#include "gold/gold_schema.h"
#include "lake/compaction.h"
#include "lake/vacuum.h"
#include "silver/silver_schema.h"

namespace pizzastream::cli {

namespace {

constexpr const char* kAllTables[] = {
    lake::tables::kBronzeOrderLines,   lake::tables::kBronzeQuarantine,
    lake::tables::kSilverCleaned,      lake::tables::kSilverOrderItems,
    lake::tables::kSilverPizzaCatalog, lake::tables::kSilverTimestamp,
    lake::tables::kSilverQuarantine,   lake::tables::kSilverDuplicates,
    lake::tables::kGoldDimDate,        lake::tables::kGoldDimTime,
    lake::tables::kGoldDimPizza,       lake::tables::kGoldFact};

// How the stages write `table`'s columns, so that OPTIMIZE writes them alike (ids without a
// dictionary), as automatic compaction does.
const lake::ParquetHints& WriterHints(const std::string& table) {
  namespace t = lake::tables;
  static const lake::ParquetHints none;
  if (table == t::kBronzeOrderLines) return bronze::OrderLinesParquetHints();
  if (table == t::kSilverCleaned || table == t::kSilverOrderItems)
    return silver::OrderLineParquetHints();
  if (table == t::kSilverTimestamp) return silver::TimestampParquetHints();
  if (table == t::kGoldFact) return gold::FactParquetHints();
  return none;
}

// The `lake` group, whichever command file registers it first.
CLI::App* LakeGroup(CLI::App& app) {
  auto found = app.get_subcommands([](CLI::App* sub) { return sub->get_name() == "lake"; });
  if (!found.empty()) return found.front();
  auto* group = app.add_subcommand("lake", "Maintain the Delta tables of the lake");
  group->require_subcommand(1);
  return group;
}

struct Target {
  std::string table;  // "" = every table that exists
};

// Runs `fn(lake, log, table)` for each selected table that exists.
template <typename Fn>
void ForEachTable(const GlobalOptions& global, const Target& target, Fn fn) {
  auto lake = ValueOrExit(global.OpenLake());
  std::vector<std::string> tables;
  if (!target.table.empty()) {
    tables.push_back(target.table);
  } else {
    tables.assign(std::begin(kAllTables), std::end(kAllTables));
  }
  for (const auto& table : tables) {
    auto log = lake->Log(table);
    const auto* snapshot = ValueOrExit(log->Update());
    if (snapshot->version < 0) {
      if (!target.table.empty()) ExitIfError(Status::Invalid("no Delta table ", table));
      continue;
    }
    fn(*lake, *log, table);
  }
}

CLI::App* AddMaintenanceCommand(CLI::App* group, GlobalOptions& global, const char* name,
                                const char* help, std::shared_ptr<Target> target) {
  auto* cmd = group->add_subcommand(name, help);
  AddCommonOptions(cmd, &global);
  cmd->add_option("--table", target->table, "One table (e.g. bronze/order_lines); default all");
  return cmd;
}

nlohmann::json Describe(const lake::Snapshot& s, const std::string& table) {
  int64_t bytes = 0;
  for (const auto& [path, f] : s.files) bytes += f.size;
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& f : s.schema->fields()) {
    fields.push_back(
        {{"name", f->name()}, {"type", f->type()->ToString()}, {"nullable", f->nullable()}});
  }
  return {{"table", table},
          {"id", s.metadata.id},
          {"version", s.version},
          {"protocol",
           {{"minReaderVersion", s.protocol.min_reader_version},
            {"minWriterVersion", s.protocol.min_writer_version},
            {"readerFeatures", s.protocol.reader_features},
            {"writerFeatures", s.protocol.writer_features}}},
          {"files", s.files.size()},
          {"records", s.num_records},
          {"bytes", bytes},
          {"checkpoint", s.checkpoint_version},
          {"properties", s.metadata.configuration},
          {"positions", s.txns},
          {"schema", fields}};
}

}  // namespace

void AddLakeMaintenanceCommands(CLI::App& app, GlobalOptions& global) {
  CLI::App* group = LakeGroup(app);

  auto optimize_target = std::make_shared<Target>();
  auto target_mb = std::make_shared<int64_t>(128);
  auto* optimize = AddMaintenanceCommand(group, global, "optimize",
                                         "Compact small files (remove + add, dataChange=false)",
                                         optimize_target);
  optimize->add_option("--target-size-mb", *target_mb, "Size of the compacted files")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  optimize->callback([&global, optimize_target, target_mb] {
    ExitIfError(global.Resolve());
    ForEachTable(global, *optimize_target, [&](auto& lake, auto& log, const std::string& table) {
      const auto r = ValueOrExit(
          lake::CompactSmallFiles(lake, log, table, *target_mb * 1024 * 1024, WriterHints(table)));
      std::cout << fmt::format("{}: {} files -> {} ({} rows){}\n", table, r.files_removed,
                               r.files_added, r.rows,
                               r.version >= 0 ? fmt::format(", version {}", r.version) : "");
    });
  });

  auto vacuum_target = std::make_shared<Target>();
  auto retention_hours = std::make_shared<double>(168);
  auto force = std::make_shared<bool>(false);
  auto dry_run = std::make_shared<bool>(false);
  auto* vacuum = AddMaintenanceCommand(group, global, "vacuum",
                                       "Delete data files no snapshot within the retention needs",
                                       vacuum_target);
  vacuum->add_option("--retention-hours", *retention_hours, "Keep what was removed this recently")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  vacuum->add_flag("--force", *force, "Allow a retention shorter than 168 hours (7 days)");
  vacuum->add_flag("--dry-run", *dry_run, "List what would be deleted");
  vacuum->callback([&global, vacuum_target, retention_hours, force, dry_run] {
    ExitIfError(global.Resolve());
    if (*retention_hours < 168 && !*force) {
      ExitIfError(
          Status::Invalid("a retention under 168 hours can break readers of older "
                          "versions and unread changes; add --force to use it"));
    }
    ForEachTable(global, *vacuum_target, [&](auto& lake, auto& log, const std::string& table) {
      const auto r = ValueOrExit(lake::Vacuum(
          lake, log, table, static_cast<int64_t>(*retention_hours * 3600 * 1000), *dry_run));
      std::cout << fmt::format("{}: {} {} file(s), {} live\n", table,
                               *dry_run ? "would delete" : "deleted", r.deleted.size(),
                               r.kept_live);
    });
  });

  auto checkpoint_target = std::make_shared<Target>();
  auto log_retention_hours = std::make_shared<double>(-1);
  auto checkpoint_force = std::make_shared<bool>(false);
  auto* checkpoint = AddMaintenanceCommand(
      group, global, "checkpoint",
      "Write a checkpoint of each table's current version, then delete the log files older than "
      "the log retention (delta.logRetentionDuration, default 30 days)",
      checkpoint_target);
  checkpoint
      ->add_option("--log-retention-hours", *log_retention_hours,
                   "Clean up with this log retention instead of the table's")
      ->check(CLI::NonNegativeNumber);
  checkpoint->add_flag("--force", *checkpoint_force,
                       "Allow a log retention shorter than 168 hours (7 days)");
  checkpoint->callback([&global, checkpoint_target, log_retention_hours, checkpoint_force] {
    ExitIfError(global.Resolve());
    std::optional<int64_t> retention_ms;
    if (*log_retention_hours >= 0) {
      if (*log_retention_hours < 168 && !*checkpoint_force) {
        ExitIfError(Status::Invalid(
            "a log retention under 168 hours can remove commits that lagging readers (a stage "
            "behind, time travel) still need; add --force to use it"));
      }
      retention_ms = static_cast<int64_t>(*log_retention_hours * 3600 * 1000);
    }
    ForEachTable(global, *checkpoint_target, [&](auto&, auto& log, const std::string& table) {
      ExitIfError(log.Checkpoint());
      const auto outcome = ValueOrExit(log.CleanUpExpiredLogs(retention_ms));
      std::string cleanup =
          outcome.disabled ? "log clean-up disabled (delta.enableExpiredLogCleanup=false)"
          : outcome.cleanup.cutoff_checkpoint < 0
              ? "no log file old enough to clean up"
              : fmt::format("log clean-up: {} file(s) older than checkpoint {} deleted",
                            outcome.cleanup.deleted.size(), outcome.cleanup.cutoff_checkpoint);
      std::cout << fmt::format("{}: checkpoint at version {}; {}\n", table,
                               ValueOrExit(log.Update())->version, cleanup);
    });
  });

  auto history_target = std::make_shared<Target>();
  auto limit = std::make_shared<int64_t>(20);
  auto* history = AddMaintenanceCommand(group, global, "history",
                                        "The newest commits of each table", history_target);
  history->add_option("--limit", *limit, "Commits per table")->capture_default_str();
  history->callback([&global, history_target, limit] {
    ExitIfError(global.Resolve());
    ForEachTable(global, *history_target, [&](auto&, auto& log, const std::string& table) {
      for (const auto& e : ValueOrExit(log.History(*limit))) {
        std::cout << fmt::format("{} {} {} {}\n", table, e.version, e.timestamp_ms,
                                 e.operation.empty() ? "(log cleaned up)" : e.operation);
      }
    });
  });

  auto describe_target = std::make_shared<Target>();
  auto* describe = AddMaintenanceCommand(
      group, global, "describe", "Version, protocol, files, records, properties of each table",
      describe_target);
  describe->callback([&global, describe_target] {
    ExitIfError(global.Resolve());
    ForEachTable(global, *describe_target, [&](auto&, auto& log, const std::string& table) {
      std::cout << Describe(*ValueOrExit(log.Update()), table).dump() << "\n";
    });
  });
}

}  // namespace pizzastream::cli
