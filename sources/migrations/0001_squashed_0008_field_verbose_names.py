"""The sources app's tables as its migrations up to 0008_field_verbose_names leave them, in one
migration. A new database is made from this one in a fraction of the time: each field
renamed by the last of them (verbose names only) had Django build its models again.
A database made by the migrations it replaces is taken as having applied it; they stay
until every desk has applied them."""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('sources', '0001_initial'),
        ('sources', '0002_import_jobs'),
        ('sources', '0003_article_files'),
        ('sources', '0004_importupload_size'),
        ('sources', '0005_model_names'),
        ('sources', '0006_translated_labels'),
        ('sources', '0007_import_job_progressed_at'),
        ('sources', '0008_field_verbose_names'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Source',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                ('slug', models.SlugField(allow_unicode=True, max_length=200, unique=True, verbose_name='slug')),
                ('kind', models.CharField(choices=[('outlet', 'News outlet'), ('self_media', 'Self-media account'), ('social', 'Social media author'), ('wire', 'News agency'), ('official', 'Official statement'), ('unknown', 'Unknown')], default='outlet', max_length=20, verbose_name='kind')),
                ('homepage', models.URLField(blank=True, verbose_name='homepage')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
            ],
            options={
                'verbose_name': 'source',
                'verbose_name_plural': 'sources',
                'ordering': [django.db.models.functions.text.Lower('name')],
            },
        ),
        migrations.CreateModel(
            name='ImportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Importing'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=10, verbose_name='status')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started at')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                ('progressed_at', models.DateTimeField(blank=True, null=True, verbose_name='progressed at')),
                ('encoding', models.CharField(blank=True, help_text='The encoding chosen, or empty: detected.', max_length=20, verbose_name='encoding')),
                ('paths', models.JSONField(blank=True, default=list, verbose_name='paths')),
                ('total', models.PositiveIntegerField(default=0, help_text='Files to import (known once counted).', verbose_name='total')),
                ('done', models.PositiveIntegerField(default=0, help_text='Files imported, unchanged or refused so far.', verbose_name='done')),
                ('imported', models.PositiveIntegerField(default=0, verbose_name='imported')),
                ('unchanged', models.PositiveIntegerField(default=0, verbose_name='unchanged')),
                ('refused', models.PositiveIntegerField(default=0, verbose_name='refused')),
                ('results', models.JSONField(blank=True, default=list, verbose_name='results')),
                ('error', models.TextField(blank=True, help_text='Why the job itself stopped, if it did.', verbose_name='error')),
                ('task_id', models.CharField(blank=True, max_length=64, verbose_name='task id')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
            ],
            options={
                'verbose_name': 'import job',
                'verbose_name_plural': 'import jobs',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Article',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(blank=True, max_length=500, verbose_name='title')),
                ('published_on', models.DateField(blank=True, null=True, verbose_name='published on')),
                ('url', models.URLField(blank=True, max_length=1000, verbose_name='url')),
                ('tags', models.JSONField(blank=True, default=list, verbose_name='tags')),
                ('body', models.TextField(help_text="The article's text, without boilerplate.", verbose_name='body')),
                ('boilerplate', models.TextField(blank=True, help_text='Disclaimers, image placeholders and reposting notices, kept apart.', verbose_name='boilerplate')),
                ('script', models.CharField(choices=[('hans', 'Simplified'), ('hant', 'Traditional'), ('mixed', 'Mixed')], max_length=5, verbose_name='script')),
                ('search_text', models.TextField(editable=False, help_text='Title and body, with Simplified and Traditional folded.', verbose_name='search text')),
                ('fingerprint', models.CharField(editable=False, max_length=64, unique=True, verbose_name='fingerprint')),
                ('filename', models.CharField(blank=True, max_length=500, verbose_name='filename')),
                ('encoding', models.CharField(blank=True, max_length=20, verbose_name='encoding')),
                ('imported_at', models.DateTimeField(auto_now_add=True, verbose_name='imported at')),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='articles', to='sources.source', verbose_name='source')),
            ],
            options={
                'verbose_name': 'article',
                'verbose_name_plural': 'articles',
                'ordering': ['-published_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ArticleFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('filename', models.CharField(blank=True, max_length=500, verbose_name='filename')),
                ('encoding', models.CharField(blank=True, max_length=20, verbose_name='encoding')),
                ('script', models.CharField(choices=[('hans', 'Simplified'), ('hant', 'Traditional'), ('mixed', 'Mixed')], max_length=5, verbose_name='script')),
                ('checksum', models.CharField(blank=True, max_length=64, verbose_name='checksum')),
                ('arrived_at', models.DateTimeField(auto_now_add=True, verbose_name='arrived at')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='sources.article', verbose_name='article')),
            ],
            options={
                'verbose_name': 'article file',
                'verbose_name_plural': 'article files',
                'ordering': ['arrived_at', 'id'],
                'constraints': [models.UniqueConstraint(fields=('article', 'checksum'), name='one_row_per_file_of_an_article')],
            },
        ),
        migrations.CreateModel(
            name='ImportUpload',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(verbose_name='position')),
                ('name', models.CharField(max_length=500, verbose_name='name')),
                ('data', models.BinaryField(verbose_name='data')),
                ('size', models.PositiveBigIntegerField(default=0, verbose_name='size')),
                ('job', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='uploads', to='sources.importjob', verbose_name='job')),
            ],
            options={
                'verbose_name': 'uploaded file',
                'verbose_name_plural': 'uploaded files',
                'ordering': ['position'],
                'constraints': [models.UniqueConstraint(fields=('job', 'position'), name='sources_importupload_job_position')],
            },
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['published_on'], name='sources_art_publish_8d2b72_idx'),
        ),
    ]
