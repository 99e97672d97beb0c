"""ArticleFile: every file that arrived as an article. Existing articles get one row for the
file they came from; their search text and fingerprint are folded again, since folding now
takes in regional vocabulary and accents (a Big5 copy that lost a name's accents is the same
article). A fingerprint that would collide with another article's is left as it was."""

import hashlib
import re

import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    from sources.text import fold

    Article = apps.get_model("sources", "Article")
    ArticleFile = apps.get_model("sources", "ArticleFile")
    taken = set(Article.objects.values_list("fingerprint", flat=True))
    for article in Article.objects.order_by("id").iterator():
        ArticleFile.objects.get_or_create(
            article=article, checksum="",
            defaults={"filename": article.filename, "encoding": article.encoding, "script": article.script},
        )
        folded = fold(article.body)
        fingerprint = hashlib.sha256(re.sub(r"\s+", "", folded).encode("utf-8")).hexdigest()
        changed = {"search_text": " ".join(p for p in (fold(article.title), folded) if p)}
        if fingerprint != article.fingerprint and fingerprint not in taken:
            taken.discard(article.fingerprint)
            taken.add(fingerprint)
            changed["fingerprint"] = fingerprint
        Article.objects.filter(pk=article.pk).update(**changed)


class Migration(migrations.Migration):

    dependencies = [
        ('sources', '0002_import_jobs'),
    ]

    operations = [
        migrations.CreateModel(
            name='ArticleFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('filename', models.CharField(blank=True, max_length=500)),
                ('encoding', models.CharField(blank=True, max_length=20)),
                ('script', models.CharField(choices=[('hans', '简体 Simplified'), ('hant', '繁體 Traditional'), ('mixed', '混合 mixed')], max_length=5)),
                ('checksum', models.CharField(blank=True, max_length=64)),
                ('arrived_at', models.DateTimeField(auto_now_add=True)),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='sources.article')),
            ],
            options={
                'ordering': ['arrived_at', 'id'],
                'constraints': [models.UniqueConstraint(fields=('article', 'checksum'), name='one_row_per_file_of_an_article')],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
