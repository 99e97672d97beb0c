"""Indexes for `q=` search on PostgreSQL (a no-op on SQLite).

Search matches a folded query inside folded `search_text` (claims.search). Chinese queries
are often two characters (裁员), too short for pg_trgm, whose LIKE support needs three. So
the index is a GIN over the text's distinct characters and character pairs
(`newsroom_grams`): a query's pairs must all be in a row's set, which finds the candidate
rows in the index; `LIKE '%…%'` then checks them.
"""

from django.db import migrations

TABLES = ["claims_claim", "claims_digestentry", "sources_article"]

FUNCTION = r"""
CREATE OR REPLACE FUNCTION newsroom_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
        SELECT substr(t, i, 1) AS g FROM generate_series(1, length(t)) AS i
        UNION ALL
        SELECT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i
    ) AS grams
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_grams "
            f"ON {table} USING gin (newsroom_grams(search_text))"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_grams")
    schema_editor.execute("DROP FUNCTION IF EXISTS newsroom_grams(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("sources", "0001_initial"),
    ]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
