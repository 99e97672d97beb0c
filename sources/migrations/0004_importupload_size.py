"""ImportUpload.size: a file over the import limit is stored by name and size only, and its job
refuses it unread (sources.jobs)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0003_article_files"),
    ]

    operations = [
        migrations.AddField(
            model_name="importupload",
            name="size",
            field=models.PositiveBigIntegerField(default=0),
        ),
    ]
