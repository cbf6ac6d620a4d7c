"""Parallel lanes of the audit chain: events numbered within a lane, the existing chain becomes lane 1.

SQLite rebuilds the table to change ``seq``, and the rebuilt table has no triggers: the append-only guard of
0002 is laid again afterwards."""

from django.db import migrations, models

from bianzhi.audit.migrations import _append_only

LANES = 16  # bianzhi.audit.chain.CHAIN_LANES when this was written
GENESIS_HASH = "0" * 64


def add_lanes(apps, schema_editor):
    head = apps.get_model("audit", "AuditChainHead")
    head.objects.using(schema_editor.connection.alias).bulk_create(
        [head(pk=lane, last_seq=0, last_hash=GENESIS_HASH) for lane in range(1, LANES + 1)],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["-id"], "verbose_name": "审计事件", "verbose_name_plural": "审计事件"},
        ),
        migrations.AddField(
            model_name="auditevent",
            name="lane",
            field=models.PositiveSmallIntegerField(db_default=1, default=1, verbose_name="审计链"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(verbose_name="链内序号"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("lane", "seq"), name="audit_lane_seq_unique"),
        ),
        migrations.RunPython(_append_only.relay_sqlite_guard, migrations.RunPython.noop),
        migrations.RunPython(add_lanes, migrations.RunPython.noop),
    ]
