"""The desk's roles as groups with their permissions: Editors and Reviewers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMS = [
    ("sources", "add_article"), ("sources", "change_article"), ("sources", "view_article"),
    ("sources", "add_source"), ("sources", "change_source"), ("sources", "view_source"),
    ("claims", "add_claim"), ("claims", "change_claim"), ("claims", "view_claim"),
    ("claims", "add_evidence"), ("claims", "change_evidence"), ("claims", "delete_evidence"),
    ("claims", "view_evidence"),
    ("claims", "add_verdict"), ("claims", "view_verdict"),
    ("claims", "view_digest"), ("claims", "view_digestentry"),
]
REVIEWER_PERMS = EDITOR_PERMS + [
    ("claims", "approve_verdict"), ("claims", "change_verdict"),
    ("claims", "add_digest"), ("claims", "change_digest"), ("claims", "publish_digest"),
    ("claims", "add_digestentry"), ("claims", "change_digestentry"),
    ("claims", "delete_digestentry"),
]


def make_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        # create_permissions skips an app without a models module, which a migration's app
        # configs never have; the value is put back (tests call this on the real registry).
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = previous or True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in (("Editors", EDITOR_PERMS), ("Reviewers", REVIEWER_PERMS)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(make_groups, migrations.RunPython.noop)]
