"""pizzastream_silver: cleans, validates and de-duplicates new bronze rows (Airflow DAG)."""

from airflow.sdk import DAG

from pizzastream_airflow.dag_defaults import SAFE_TO_RETRY, dag_kwargs
from pizzastream_airflow.stage_operator import PizzastreamStageOperator

with DAG(
    dag_id="pizzastream_silver",
    description="bronze/order_lines -> silver tables (+ silver/quarantine, silver/duplicates)",
    doc_md="""
# pizzastream_silver

Runs `pizzastream silver`: the bronze rows committed since silver's last commit are typed and
validated (a row breaking a rule goes to `silver/quarantine` with the rule), order-line ids
already accepted go to `silver/duplicates`, the rest to `silver/silver_cleaned`,
`silver_order_items`, `silver_pizza_catalog` and `silver_timestamp`. Runs when
`bronze/order_lines` changed (Asset), and on `PIZZASTREAM_AIRFLOW_CRON_SILVER` when set. Its
success runs **pizzastream_gold**.
"""
    + SAFE_TO_RETRY,
    **dag_kwargs("silver", tasks=1, trigger_stage="silver"),
):
    PizzastreamStageOperator(task_id="silver", stage="silver")
