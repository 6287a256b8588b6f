"""pizzastream_warehouse: loads new gold rows into the SQL warehouse (Airflow DAG)."""

from airflow.sdk import DAG

from pizzastream_airflow.dag_defaults import SAFE_TO_RETRY, dag_kwargs
from pizzastream_airflow.stage_operator import PizzastreamStageOperator

with DAG(
    dag_id="pizzastream_warehouse",
    description="gold tables -> warehouse schema pizza_sales (SQLite or PostgreSQL)",
    doc_md="""
# pizzastream_warehouse

Runs `pizzastream load`: the gold rows committed since the last load are upserted into the
warehouse (schema `pizza_sales`, with the dashboard's aggregates), together with the loaded
positions, in one transaction. The warehouse is the Airflow Connection `pizzastream_warehouse`
(PostgreSQL: its password stays in Airflow's secret store and reaches pizzastream as PGPASSWORD),
by default the SQLite file in the data dir. Runs when `gold/fact_order_item` changed (Asset), and
on `PIZZASTREAM_AIRFLOW_CRON_WAREHOUSE` when set. Emits the `pizzastream.warehouse.pizza_sales`
Asset for the DAGs of BI refreshes and reports.
"""
    + SAFE_TO_RETRY,
    **dag_kwargs("warehouse", tasks=1, trigger_stage="load"),
):
    PizzastreamStageOperator(task_id="load", stage="load")
