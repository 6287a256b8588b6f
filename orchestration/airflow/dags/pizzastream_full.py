"""pizzastream_full: bronze -> silver -> gold -> load in one DAG run (Airflow DAG)."""

from airflow.sdk import DAG, chain

from pizzastream_airflow.dag_defaults import SAFE_TO_RETRY, dag_kwargs
from pizzastream_airflow.stage_operator import PizzastreamStageOperator

with DAG(
    dag_id="pizzastream_full",
    description="The whole pipeline as one batch: bronze -> silver -> gold -> load",
    doc_md="""
# pizzastream_full

The original's full-pipeline DAG: `pizzastream bronze`, `silver`, `gold` and `load` one after the
other, each taking everything new since its last commit, so after a successful run the warehouse
holds every record the topic had when the run started. Runs when triggered (UI, `airflow dags
trigger pizzastream_full`), or on `PIZZASTREAM_AIRFLOW_CRON_FULL` when set. `pizzastream run`
does the same continuously; this is the scheduled, observable batch form.
"""
    + SAFE_TO_RETRY,
    **dag_kwargs("full", tasks=4, trigger_stage=None),
):
    # Only the load emits an Asset event (the warehouse): the lake tables' events would start
    # the per-layer DAGs on the same stages while this run is still on them.
    chain(
        PizzastreamStageOperator(task_id="bronze", stage="bronze", outlets=[]),
        PizzastreamStageOperator(task_id="silver", stage="silver", outlets=[]),
        PizzastreamStageOperator(task_id="gold", stage="gold", outlets=[]),
        PizzastreamStageOperator(task_id="load", stage="load"),
    )
