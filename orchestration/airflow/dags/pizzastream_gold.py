"""pizzastream_gold: shapes new silver rows into the star schema (Airflow DAG)."""

from airflow.sdk import DAG

from pizzastream_airflow.dag_defaults import SAFE_TO_RETRY, dag_kwargs
from pizzastream_airflow.stage_operator import PizzastreamStageOperator

with DAG(
    dag_id="pizzastream_gold",
    description="silver/silver_cleaned -> gold dim_date, dim_time, dim_pizza, fact_order_item",
    doc_md="""
# pizzastream_gold

Runs `pizzastream gold`: the silver rows committed since gold's last commit become rows of
`gold/fact_order_item`, and the dates, times and pizzas not seen before rows of `gold/dim_date`,
`gold/dim_time` and `gold/dim_pizza`. Runs when `silver/silver_cleaned` changed (Asset), and on
`PIZZASTREAM_AIRFLOW_CRON_GOLD` when set. Its success runs **pizzastream_warehouse**.
"""
    + SAFE_TO_RETRY,
    **dag_kwargs("gold", tasks=1, trigger_stage="gold"),
):
    PizzastreamStageOperator(task_id="gold", stage="gold")
