from django.db import migrations, models


def give_existing_tokens_full(apps, schema_editor):
    # tokens issued before scopes existed keep doing what they did: everything their account's roles allow
    apps.get_model("api", "ApiToken").objects.update(scopes=["full"])


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scopes",
            field=models.JSONField(default=list, verbose_name="授权范围"),
        ),
        migrations.RunPython(give_existing_tokens_full, migrations.RunPython.noop),
    ]
