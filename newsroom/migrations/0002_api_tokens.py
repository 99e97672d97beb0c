"""API tokens that expire and can be listed and revoked (newsroom.models.ApiToken).

They replace DRF's authtoken tokens, which never expired, survived password changes and were
stored as plain keys: that table, where an older installation has it, is dropped, so that no
database backup keeps working credentials. Scripts ask for a new token once."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

LEGACY_TABLE = "authtoken_token"


def drop_legacy_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if LEGACY_TABLE in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(LEGACY_TABLE)}")
        schema_editor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0001_search_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(editable=False, max_length=64, unique=True)),
                ('prefix', models.CharField(editable=False, help_text="The key's first characters, to tell tokens apart.", max_length=8)),
                ('name', models.CharField(blank=True, help_text='What the token is for.', max_length=100)),
                ('created', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('last_used', models.DateTimeField(blank=True, editable=False, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'API token',
                'ordering': ['-created', '-pk'],
            },
        ),
        migrations.RunPython(drop_legacy_tokens, migrations.RunPython.noop),
    ]
