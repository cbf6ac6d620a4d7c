"""The document archive: a document's file, its PDF text, and the folded text its search reads, with an index of
that text's pieces on PostgreSQL (core.textsearch)."""

import django.db.models.deletion
from django.db import migrations, models

from bianzhi.core.migration_ops import run_sql_on_postgresql
from bianzhi.core.textsearch import grams_index_sql


def fill_search_text(apps, schema_editor):
    from bianzhi.orgs.documents import document_search_text

    Document = apps.get_model("orgs", "Document")
    batch = []
    for document in Document.objects.order_by("pk").iterator(chunk_size=2_000):
        document.search_text = document_search_text(document)
        batch.append(document)
        if len(batch) == 2_000:
            Document.objects.bulk_update(batch, ["search_text"])
            batch = []
    Document.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_text_grams'),
        ('core', '0005_stored_file'),
        ('orgs', '0004_unit_disclosure_withheld'),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='file',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.storedfile', verbose_name='文件'),
        ),
        migrations.AddField(
            model_name='document',
            name='file_name',
            field=models.CharField(blank=True, max_length=255, verbose_name='文件名'),
        ),
        migrations.AddField(
            model_name='document',
            name='file_text',
            field=models.TextField(blank=True, editable=False, verbose_name='文件文字'),
        ),
        migrations.AddField(
            model_name='document',
            name='search_text',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AlterField(
            model_name='document',
            name='issued_on',
            field=models.DateField(db_index=True, verbose_name='发文日期'),
        ),
        migrations.AlterField(
            model_name='document',
            name='issuer',
            field=models.CharField(db_index=True, max_length=100, verbose_name='发文机关'),
        ),
        migrations.AddConstraint(
            model_name='document',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('file__isnull', True), ('file_name', '')), models.Q(('file__isnull', False), models.Q(('file_name', ''), _negated=True)), _connector='OR'), name='document_file_named'),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        run_sql_on_postgresql(*grams_index_sql("document_search_grams", "orgs_document", "search_text")),
    ]
