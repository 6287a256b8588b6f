"""pizzastream_bronze: lands what is new on the topic in bronze (Airflow DAG)."""

from airflow.sdk import DAG

from pizzastream_airflow.dag_defaults import SAFE_TO_RETRY, dag_kwargs
from pizzastream_airflow.stage_operator import PizzastreamStageOperator

with DAG(
    dag_id="pizzastream_bronze",
    description="Topic pizza_sales -> bronze/order_lines (+ bronze/quarantine)",
    doc_md="""
# pizzastream_bronze

Runs `pizzastream bronze`: takes the records the producer put on the topic (the embedded log in
the data dir, or Kafka) since bronze's last commit and lands them raw in the Delta table
`bronze/order_lines`; a malformed record goes to `bronze/quarantine` with its reason. Every
10 minutes by default (`PIZZASTREAM_AIRFLOW_CRON_BRONZE`). Its success emits the bronze Assets,
which runs **pizzastream_silver**.
"""
    + SAFE_TO_RETRY,
    **dag_kwargs("bronze", tasks=1, trigger_stage=None),
):
    PizzastreamStageOperator(task_id="bronze", stage="bronze")
