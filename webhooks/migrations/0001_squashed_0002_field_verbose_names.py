"""The webhooks app's tables as its migrations up to 0002_field_verbose_names leave them, in one
migration. A new database is made from this one in a fraction of the time: each field
renamed by the last of them (verbose names only) had Django build its models again.
A database made by the migrations it replaces is taken as having applied it; they stay
until every desk has applied them."""

import django.db.models.deletion
import uuid
import webhooks.models
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('webhooks', '0001_initial'),
        ('webhooks', '0002_field_verbose_names'),
    ]

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Endpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('url', models.URLField(max_length=500, verbose_name='URL')),
                ('secret', models.CharField(default=webhooks.models.new_secret, editable=False, max_length=100, verbose_name='secret')),
                ('events', models.JSONField(default=webhooks.models.default_events, verbose_name='events')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
                ('description', models.CharField(blank=True, max_length=200, verbose_name='description')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
            ],
            options={
                'verbose_name': 'webhook endpoint',
                'verbose_name_plural': 'webhook endpoints',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='Delivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event', models.CharField(choices=[('digest.published', 'Digest published'), ('digest.corrected', 'Correction published'), ('ping', 'Test ping')], max_length=40, verbose_name='event')),
                ('payload', models.JSONField(verbose_name='payload')),
                ('delivery_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='delivery id')),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('delivered', 'Delivered'), ('failed', 'Failed')], default='pending', max_length=20, verbose_name='status')),
                ('attempts', models.PositiveIntegerField(default=0, verbose_name='attempts')),
                ('last_status_code', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='last status code')),
                ('last_error', models.TextField(blank=True, verbose_name='last error')),
                ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt at')),
                ('delivered_at', models.DateTimeField(blank=True, null=True, verbose_name='delivered at')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('endpoint', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='webhooks.endpoint', verbose_name='endpoint')),
            ],
            options={
                'verbose_name': 'webhook delivery',
                'verbose_name_plural': 'webhook deliveries',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['status', 'next_attempt_at'], name='webhooks_de_status_c8abe7_idx')],
            },
        ),
    ]
