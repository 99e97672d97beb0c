"""The admin's autocomplete fields, when a form comes back with a value that names no record.

Django's AutocompleteSelect looks the submitted value up again to show it in the re-rendered
form; a value the related field cannot read (`1e9` or `null` for an id) raised a ValueError
there, a 500, after the form had already found "Select a valid choice" (and an id too large
for the database an OverflowError). Such a value is left out of the lookup: the form shows its
error and the field empty. Admin classes with `autocomplete_fields` take
`CheckedAutocompleteFields` first among their bases.
"""

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError


class CheckedAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._readable(v)], attr)

    def _readable(self, value):
        target = self.field.target_field
        try:
            target.run_validators(target.to_python(value))  # an integer in the column's range
        except ValidationError:
            return False
        return True


class CheckedAutocompleteFields:
    """A ModelAdmin or inline mixin: its `autocomplete_fields` use CheckedAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
