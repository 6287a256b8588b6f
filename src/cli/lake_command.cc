// `pizzastream lake ...`: the lake itself. `lake init` makes a lake ready: on S3 it creates
// the bucket when missing and checks that the store honours conditional writes (If-None-Match),
// which atomic commits need; on a local disk it creates the directory. Each sub-command is
// added by a function of its own.
#include <iostream>

#include "cli/commands.h"

namespace pizzastream::cli {

namespace {

void AddLakeInit(CLI::App* lake, GlobalOptions& global) {
  auto* init = lake->add_subcommand(
      "init",
      "Create the lake root (on S3: the bucket too) and check the store's conditional "
      "writes (idempotent)");
  AddCommonOptions(init, &global);
  init->callback([&global] {
    ExitIfError(global.Resolve());
    lake::LakeOpenOptions options;
    options.create_bucket = true;
    auto opened = ValueOrExit(lake::Lakehouse::Open(global.LakeUri(), options));
    std::cerr << "lake: " << opened->shown_uri() << " is ready"
              << (opened->fs()->type_name() == "s3" ? " (conditional writes honoured)" : "")
              << "\n";
  });
}

}  // namespace

void AddLakeCommand(CLI::App& app, GlobalOptions& global) {
  auto* lake = app.add_subcommand("lake", "Manage the Delta lake");
  lake->require_subcommand(1);
  AddLakeInit(lake, global);
}

}  // namespace pizzastream::cli
