"""The gram function in linear time.

`substr(t, i, n)` walks the UTF-8 text from its start on every call, so the first version cost
time in the square of the text's length: a 1 MB article kept one INSERT busy for many minutes.
Splitting the text into characters once, and pairing each with the next, gives the same grams
(the index stays valid) in one pass.
"""

from django.db import migrations

LINEAR = r"""
CREATE OR REPLACE FUNCTION newsroom_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
        SELECT c AS g FROM unnest(regexp_split_to_array(t, '')) AS c
        UNION ALL
        SELECT c || n FROM (
            SELECT c, lead(c) OVER (ORDER BY i) AS n
            FROM unnest(regexp_split_to_array(t, '')) WITH ORDINALITY AS chars(c, i)
        ) AS pairs WHERE n IS NOT NULL
    ) AS grams WHERE g <> ''
$$;
"""

QUADRATIC = r"""
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
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LINEAR)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(QUADRATIC)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0003_digest_publication_order")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
