"""Migration operations shared by the apps."""

from __future__ import annotations

from django.db import migrations


def run_sql_on_postgresql(sql: str, reverse_sql: str) -> migrations.RunPython:
    """SQL that only PostgreSQL needs (functions and indexes SQLite has no use for), skipped on SQLite."""

    def forward(sql_text):
        def run(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql_text)

        return run

    return migrations.RunPython(forward(sql), forward(reverse_sql))
