"""The people a row names in the admin (who made it, proposed, reviewed or published it), shown
read-only.

Django's admin shows a read-only foreign key as a link to that row's admin page. For a user,
that page opens only for those who may view users (superusers): editors and reviewers followed
the link to a 403. For them, `PeopleByName` shows the user's name alone; those who may view users
keep the link. Admin classes and inlines with read-only user fields take it first among their
bases; one that overrides `get_fields` or `get_readonly_fields` goes through super(), or the
two lists disagree and Django makes the field an editable one (tests/test_admin_doors.py walks
every such admin's forms for that).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst


def may_view_users(request):
    User = get_user_model()
    return request.user.has_perm(f"{User._meta.app_label}.view_{User._meta.model_name}")


class PeopleByName:
    def _person_field(self, name):
        """The user foreign key `name` of this admin's model, else None."""
        if not isinstance(name, str):
            return None
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:  # a method or an attribute of the admin, not a field
            return None
        return field if getattr(field, "related_model", None) is get_user_model() else None

    def _as_name(self, name):
        field = self._person_field(name)
        if field is None:
            return name
        shown = self.__dict__.setdefault("_people_shown", {})
        if name not in shown:

            @admin.display(description=capfirst(field.verbose_name))
            def person(row, attribute=field.attname, field=field):
                if getattr(row, attribute) is None:
                    return "—"
                return getattr(row, field.name).get_username()

            shown[name] = person
        return shown[name]

    def get_readonly_fields(self, request, obj=None):
        names = super().get_readonly_fields(request, obj)
        if may_view_users(request):
            return names
        return [self._as_name(name) for name in names]

    def get_fields(self, request, obj=None):
        """The form's fields, a read-only user shown by name: those the admin makes read-only,
        and every one when the user may not change the row (the admin then shows the whole
        change form read-only; an add form is editable or not shown)."""
        names = super().get_fields(request, obj)
        if may_view_users(request):
            return names
        readonly = set(super().get_readonly_fields(request, obj))
        locked = obj is not None and not self.has_change_permission(request, obj)
        return [self._as_name(name) if locked or name in readonly else name for name in names]
