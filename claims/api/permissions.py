"""Who may call what. Reads are public (the querysets hide unpublished data); writes need
an authenticated editor. The finer rules (four eyes, reviewers) stay in claims.services."""

from django.utils.translation import gettext_lazy
from rest_framework import permissions

from claims import services


class EditorsWrite(permissions.BasePermission):
    message = gettext_lazy("Only editors can change claims, evidence and verdicts.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return services.is_editor(request.user)
