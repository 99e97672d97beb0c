"""The desk's roles as groups with their permissions: Editors and Reviewers."""

from importlib import import_module

from django.db import migrations

# New databases make the roles in the squashed migration, which holds them now.
make_groups = import_module("claims.migrations.0001_squashed_0015_field_verbose_names").make_groups


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(make_groups, migrations.RunPython.noop)]
