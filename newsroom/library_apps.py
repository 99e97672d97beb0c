"""Two libraries whose app names are fixed English strings ("Axes", "Tasks Database Backend"),
named in the editor's language (INSTALLED_APPS names these configs in their place). Their
models' words are in the desk's catalogues. Kept apart from newsroom/apps.py, where Django
takes the one config it finds as the newsroom app's."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login lockouts")


class TasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")
