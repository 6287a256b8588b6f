"""The Airflow Assets standing for pizzastream's Delta tables and its warehouse.

Each stage task lists the tables it writes as outlets; on success it emits one event per table,
with the table's Delta version and the rows the run committed in the event's extra. A DAG
scheduled on an upstream table (pizzastream_silver on bronze/order_lines, ...) runs when it
changed. The URIs are logical (`pizzastream://lake/<table>`), the same whatever the lake's real
root, which the event extra names.
"""

from __future__ import annotations

from airflow.sdk import Asset

GROUP = "pizzastream"

# Stage -> the lake tables it writes, its primary table first (as `pizzastream <stage> --json`
# names them).
STAGE_TABLES: dict[str, list[str]] = {
    "bronze": ["bronze/order_lines", "bronze/quarantine"],
    "silver": [
        "silver/silver_cleaned",
        "silver/silver_order_items",
        "silver/silver_pizza_catalog",
        "silver/silver_timestamp",
        "silver/quarantine",
        "silver/duplicates",
    ],
    "gold": ["gold/fact_order_item", "gold/dim_date", "gold/dim_time", "gold/dim_pizza"],
}

WAREHOUSE = Asset(name="pizzastream.warehouse.pizza_sales", uri="pizzastream://warehouse/pizza_sales", group=GROUP)


def table_asset(table: str) -> Asset:
    """The Asset of one lake table, e.g. table_asset("bronze/order_lines")."""
    return Asset(name="pizzastream." + table.replace("/", "."), uri="pizzastream://lake/" + table, group=GROUP)


def stage_outlets(stage: str) -> list[Asset]:
    """What a stage task emits events for: its lake tables, or the warehouse for `load`."""
    if stage == "load":
        return [WAREHOUSE]
    return [table_asset(t) for t in STAGE_TABLES[stage]]


def stage_trigger(stage: str) -> Asset | None:
    """The upstream table whose change should run `stage` (None for bronze: it reads the topic)."""
    return {
        "silver": table_asset("bronze/order_lines"),
        "gold": table_asset("silver/silver_cleaned"),
        "load": table_asset("gold/fact_order_item"),
    }.get(stage)
