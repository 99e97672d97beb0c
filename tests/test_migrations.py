"""A new desk's database is made by the squashed migrations; a desk that applied the migrations
they replace must end with the same tables, so the two ways must give the same models."""

from django.db.migrations.loader import MigrationLoader

SQUASHED = {
    "claims": "0001_squashed_0015_field_verbose_names",
    "sources": "0001_squashed_0008_field_verbose_names",
    "webhooks": "0001_squashed_0002_field_verbose_names",
}


def models_made(*, squashed):
    """Every model as the migrations leave it: its fields, options, indexes and constraints
    (in name order: their order makes no table), bases and managers."""
    state = MigrationLoader(
        None, replace_migrations=squashed, ignore_no_migrations=True
    ).project_state()
    made = {}
    for key, model in state.models.items():
        options = dict(model.options)
        for name in ("indexes", "constraints"):
            options[name] = sorted(repr(item) for item in options.get(name, []))
        made[key] = {
            "fields": {name: field.deconstruct()[1:] for name, field in model.fields.items()},
            "options": {name: repr(value) for name, value in options.items()},
            "bases": repr(model.bases),
            "managers": repr(model.managers),
        }
    return made


def test_a_new_database_is_made_by_the_squashed_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)  # a database with none applied
    for app, name in SQUASHED.items():
        assert (app, name) in loader.graph.nodes
        assert not set(loader.replacements[app, name].replaces) & set(loader.graph.nodes)


def test_the_squashed_migrations_make_the_models_their_replaced_ones_made():
    squashed, replaced = models_made(squashed=True), models_made(squashed=False)
    assert squashed.keys() == replaced.keys()
    for key in replaced:
        assert squashed[key] == replaced[key], key
