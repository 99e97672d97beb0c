"""Yes, no and unknown in the admin's lists, in the editor's language.

Django's admin draws a boolean column as an icon whose text alternative is Python's `True`,
`False` or `None`: a screen reader reads it out in English on a Chinese page. These columns draw
the same icons with the admin's own words for them (是, 否, 未知, from Django's catalogues)."""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _

ICONS = {True: "yes", False: "no", None: "unknown"}


def boolean_icon(value):
    """The admin's icon for `value`, named in the editor's language."""
    words = {True: _("Yes"), False: _("No"), None: _("Unknown")}
    return format_html(
        '<img src="{}" alt="{}">', static(f"admin/img/icon-{ICONS[value]}.svg"), words[value]
    )


def boolean_column(model, name):
    """A list_display column for `model`'s boolean field `name`: its icon, its name as the
    heading, sorted by the field."""
    field = model._meta.get_field(name)

    def column(obj):
        return boolean_icon(getattr(obj, name))

    column.__name__ = name  # the column keeps the field's CSS class (column-<name>)
    return admin.display(description=field.verbose_name, ordering=name)(column)


def with_boolean_columns(model, list_display):
    """`list_display` with each of `model`'s boolean fields drawn by `boolean_column`."""
    return [
        boolean_column(model, name) if _is_boolean_field(model, name) else name
        for name in list_display
    ]


def _is_boolean_field(model, name):
    if not isinstance(name, str):
        return False
    try:
        return isinstance(model._meta.get_field(name), models.BooleanField)
    except FieldDoesNotExist:
        return False
