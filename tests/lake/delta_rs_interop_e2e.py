#!/usr/bin/env python3
"""Interoperability with the real delta-rs (the `deltalake` package pinned in the venv).

pizzastream builds a lake from generated dirty data; delta-rs reads every table and agrees on
rows, versions, schema and the gold figures. Then delta-rs maintains and writes the lake the way
its users do -- compact, checkpoint + log clean-up, vacuum, an append (string_view columns), a
delete (string_view files), a property change -- and after each, more input goes through every
pizzastream stage. The oracle is a second, untouched pipeline fed the same input (and the same
appended rows): `kpi` must be identical, conservation must hold, and delta-rs must still read
every table. Finally pizzastream's own optimize/checkpoint/vacuum and its log clean-up are
checked by delta-rs (which must also parse the timestamp statistics of the add actions).

Usage: delta_rs_interop_e2e.py PIZZASTREAM_BINARY   (exit 0 = pass)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable, write_deltalake

BIN = sys.argv[1]
TABLES = ["bronze/order_lines", "bronze/quarantine", "silver/silver_cleaned",
          "silver/silver_order_items", "silver/silver_pizza_catalog", "silver/silver_timestamp",
          "silver/quarantine", "silver/duplicates", "gold/dim_date", "gold/dim_time",
          "gold/dim_pizza", "gold/fact_order_item"]


def sh(*args):
    r = subprocess.run([BIN, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"FAIL: pizzastream {' '.join(args)} exited {r.returncode}:\n{r.stderr[-3000:]}")
    return r.stdout


def kpi(data):
    return json.loads(sh("kpi", "--json", "--data-dir", data))


def describe(data):
    return {d["table"]: d for d in map(json.loads, sh("lake", "describe", "--data-dir", data).splitlines())}


def check(name, cond, detail=""):
    if not cond:
        raise SystemExit(f"FAIL [{name}]: {detail}")


def lake_of(data):
    return os.path.join(data, "lakehouse")


def delta_rs_agrees(step, data, gold_exact=True):
    """delta-rs reads every table: same version, rows and columns as pizzastream says."""
    desc = describe(data)
    for t in TABLES:
        dt = DeltaTable(os.path.join(lake_of(data), t))
        rows = dt.to_pyarrow_table().num_rows
        check(f"{step}: {t} version", dt.version() == desc[t]["version"], f"{dt.version()} vs {desc[t]['version']}")
        check(f"{step}: {t} rows", rows == desc[t]["records"], f"{rows} vs {desc[t]['records']}")
        names = [f.name for f in dt.schema().fields]
        check(f"{step}: {t} schema", names == [f["name"] for f in desc[t]["schema"]], str(names))
    k = kpi(data)
    if gold_exact:
        fact = DeltaTable(os.path.join(lake_of(data), "gold/fact_order_item")).to_pyarrow_table()
        revenue = float(pc.sum(fact["total_price"]).as_py())
        orders = pc.count_distinct(fact["order_id"]).as_py()
        check(f"{step}: lake revenue", round(revenue, 2) == k["total_revenue"], f"{revenue} vs {k}")
        check(f"{step}: lake orders", orders == k["total_orders"], f"{orders} vs {k}")
        check(f"{step}: fact rows", fact.num_rows == k["rows"]["fact"], f"{fact.num_rows} vs {k}")


def conserved(step, k):
    r = k["rows"]
    check(f"{step}: conservation", r["received"] == r["rejected"] + r["duplicates"] + r["silver"], str(r))
    check(f"{step}: fact = silver", r["fact"] == r["silver"], str(r))


def main():
    work = tempfile.mkdtemp(prefix="pizzastream-delta-rs-")
    try:
        src = os.path.join(work, "all.csv")
        sh("generate", "--output", src, "--count", "4200", "--seed", "11",
           "--dirty-rate", "0.02", "--duplicate-rate", "0.02")
        with open(src) as f:
            header, *lines = f.readlines()
        chunks = []
        n = 8
        for i in range(n):
            path = os.path.join(work, f"chunk{i}.csv")
            with open(path, "w") as f:
                f.write(header)
                f.writelines(lines[i * len(lines) // n:(i + 1) * len(lines) // n])
            chunks.append(path)
        main_dir, ref_dir = os.path.join(work, "main"), os.path.join(work, "ref")

        def feed(i, step, gold_exact=True):
            for d in (main_dir, ref_dir):
                sh("run", "--input", chunks[i], "--data-dir", d, "--exit-when-idle")
            km, kr = kpi(main_dir), kpi(ref_dir)
            check(f"{step}: kpi equals the untouched pipeline's", km == kr, f"\n{km}\n{kr}")
            conserved(step, km)
            delta_rs_agrees(step, main_dir, gold_exact)
            print(f"ok: {step}: {km['rows']}, revenue {km['total_revenue']}", flush=True)

        def each(fn, tables=TABLES):
            for t in tables:
                fn(DeltaTable(os.path.join(lake_of(main_dir), t)), t)

        feed(0, "first run")
        fact_path = os.path.join(lake_of(main_dir), "gold/fact_order_item")
        check("time travel", DeltaTable(fact_path, version=1).to_pyarrow_table().num_rows >= 0)
        check("history", len(DeltaTable(fact_path).history()) == DeltaTable(fact_path).version() + 1)

        # 1. delta-rs OPTIMIZE (remove + add, dataChange=false) on every table.
        each(lambda dt, t: dt.optimize.compact())
        feed(1, "after delta-rs compact")

        # 2. delta-rs checkpoint, then the log clean-up Delta's retention does (commits before
        #    the checkpoint deleted).
        def checkpoint_and_clean(dt, t):
            dt.create_checkpoint()
            dt.cleanup_metadata()
            log = os.path.join(lake_of(main_dir), t, "_delta_log")
            for name in os.listdir(log):
                if name.endswith(".json") and int(name[:20]) < dt.version():
                    os.remove(os.path.join(log, name))
        each(checkpoint_and_clean)
        feed(2, "after delta-rs checkpoint + log clean-up")

        # 3. delta-rs VACUUM with no retention.
        each(lambda dt, t: dt.vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=False))
        feed(3, "after delta-rs vacuum")

        # 4. delta-rs appends order lines to bronze, with string_view columns (both pipelines).
        bronze = DeltaTable(os.path.join(lake_of(main_dir), "bronze/order_lines")).to_pyarrow_table()
        extra = bronze.slice(0, 25)
        cols = {}
        for field in extra.schema:
            col = extra[field.name]
            if field.name == "pizza_id":
                col = pa.array([str(9_000_000 + i) for i in range(extra.num_rows)])
            if pa.types.is_string(col.type):
                col = col.cast(pa.string_view())
            cols[field.name] = col
        extra = pa.table(cols)
        for d in (main_dir, ref_dir):
            write_deltalake(os.path.join(lake_of(d), "bronze/order_lines"), extra, mode="append")
        feed(4, "after a delta-rs append")

        # 5. delta-rs DELETE on the lake's fact table (rewrites files with string_view columns):
        #    a change of existing rows, not new data; pizzastream's own optimize then reads the
        #    rewritten files.
        fact = DeltaTable(fact_path)
        order = fact.to_pyarrow_table()["order_id"][0].as_py()
        fact.delete(f"order_id = {order}")
        sh("lake", "optimize", "--table", "gold/fact_order_item", "--data-dir", main_dir)
        feed(5, "after a delta-rs delete", gold_exact=False)

        # 6. A table property changed by delta-rs.
        for t in ("bronze/order_lines", "silver/silver_cleaned"):
            DeltaTable(os.path.join(lake_of(main_dir), t)).alter.set_table_properties(
                {"delta.checkpointInterval": "3"})
        feed(6, "after a delta-rs property change", gold_exact=False)
        desc = describe(main_dir)
        check("property", desc["bronze/order_lines"]["properties"].get("delta.checkpointInterval") == "3",
              str(desc["bronze/order_lines"]["properties"]))

        # 7. pizzastream's own maintenance, checked by delta-rs (history and time travel too).
        before = kpi(main_dir)
        sh("lake", "optimize", "--data-dir", main_dir)
        sh("lake", "checkpoint", "--data-dir", main_dir)
        for t in TABLES:
            path = os.path.join(lake_of(main_dir), t)
            dt = DeltaTable(path)
            if dt.version() >= 1:
                old = DeltaTable(path, version=dt.version() - 1).to_pyarrow_table().num_rows
                check(f"time travel {t}", old >= 0)
            check(f"history {t}", len(dt.history()) >= 1)
            ops = [h.get("operation") for h in dt.history()]
            check(f"history ops {t}", all(o for o in ops), str(ops))
        sh("lake", "vacuum", "--retention-hours", "0", "--force", "--data-dir", main_dir)
        delta_rs_agrees("after pizzastream optimize/checkpoint/vacuum", main_dir, gold_exact=False)
        sh("run", "--input", chunks[6], "--data-dir", main_dir, "--exit-when-idle")
        check("idempotent after maintenance", kpi(main_dir) == before, f"{kpi(main_dir)} vs {before}")

        # 8. pizzastream's log clean-up (Delta's log retention, here 0 hours): every JSON commit
        #    and checkpoint older than the newest checkpoint goes; delta-rs still reads every
        #    table (history from the checkpoint on, time travel to it), and pizzastream goes on.
        out = sh("lake", "checkpoint", "--log-retention-hours", "0", "--force", "--data-dir", main_dir)
        check("clean-up reported", "log clean-up:" in out, out)
        for t in TABLES:
            log = os.path.join(lake_of(main_dir), t, "_delta_log")
            versions = sorted(int(n[:20]) for n in os.listdir(log) if n.endswith(".json") and len(n) == 25)
            dt = DeltaTable(os.path.join(lake_of(main_dir), t))
            check(f"clean-up {t}", versions == [dt.version()], f"{versions} at version {dt.version()}")
            check(f"clean-up {t} checkpoint",
                  os.listdir(log).count(f"{dt.version():020d}.checkpoint.parquet") == 1, str(os.listdir(log)))
            check(f"time travel after clean-up {t}",
                  DeltaTable(os.path.join(lake_of(main_dir), t), version=dt.version()).to_pyarrow_table().num_rows
                  == dt.to_pyarrow_table().num_rows)
        delta_rs_agrees("after pizzastream log clean-up", main_dir, gold_exact=False)
        feed(7, "more input after pizzastream log clean-up", gold_exact=False)

        # 9. Timestamp statistics: delta-rs parses min/max of the columns readers filter on.
        for t, column in (("bronze/order_lines", "ingest_time"), ("silver/silver_timestamp", "order_timestamp"),
                          ("silver/silver_cleaned", "ingest_time")):
            dt = DeltaTable(os.path.join(lake_of(main_dir), t))
            adds = pa.table(dt.get_add_actions(flatten=True))
            for stat in ("min", "max"):
                name = f"{stat}.{column}"
                check(f"stats {t} {name}", name in adds.column_names, str(adds.column_names))
                check(f"stats {t} {name} type", pa.types.is_timestamp(adds[name].type), str(adds[name].type))
                check(f"stats {t} {name} set", adds[name].null_count == 0, str(adds[name]))
            table = dt.to_pyarrow_table()
            newest = pc.max(table[column])
            latest = dt.to_pyarrow_table(filters=[(column, ">=", newest.as_py())]).num_rows
            check(f"stats {t} filter", latest == pc.sum(pc.equal(table[column], newest)).as_py(), str(latest))
        print("PASS")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
