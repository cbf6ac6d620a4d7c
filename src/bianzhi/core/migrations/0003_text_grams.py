"""The function behind ``grams_contains`` indexes (``core.textsearch``); PostgreSQL only."""

from django.db import migrations

from bianzhi.core.migration_ops import run_sql_on_postgresql
from bianzhi.core.textsearch import DROP_GRAMS_FUNCTION_SQL, GRAMS_FUNCTION_SQL


class Migration(migrations.Migration):
    dependencies = [("core", "0002_worker_heartbeat")]
    operations = [run_sql_on_postgresql(GRAMS_FUNCTION_SQL, DROP_GRAMS_FUNCTION_SQL)]
