"""An index of the pieces of persons' names, so that a search by name reads the index instead of every person of
a province (``core.textsearch``); PostgreSQL only. Building it takes about a minute for 3M persons."""

from django.db import migrations

from bianzhi.core.migration_ops import run_sql_on_postgresql
from bianzhi.core.textsearch import grams_index_sql


class Migration(migrations.Migration):
    dependencies = [("core", "0003_text_grams"), ("roster", "0005_slotuse")]
    operations = [run_sql_on_postgresql(*grams_index_sql("person_name_grams", "roster_person", "name"))]
