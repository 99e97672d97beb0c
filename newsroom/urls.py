from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from claims.views import notices
from newsroom import views

urlpatterns = [
    # The admin's logout is the desk's: opened as a page, it asks before logging out.
    path("admin/logout/", views.LogoutView.as_view()),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    # The language switch (Django's set_language: POST, CSRF, a cookie read by the locale
    # middleware; a signed-in user's choice is also their e-mails' language).
    path("i18n/setlang/", notices.set_language, name="set_language"),
    path("review/", include("claims.urls.review")),
    path("api/v1/", include("claims.api.urls")),
    path("", include("claims.urls.public")),
]

if settings.NEWSROOM_BENCH:  # the benchmark's floor URL; never routed otherwise
    urlpatterns.insert(0, path("_bench/floor/<int:size>/", views.bench_floor))

# Errors (unrouted addresses, unhandled errors): JSON under /api/, Django's page elsewhere.
handler500 = "newsroom.views.server_error"
handler404 = "newsroom.views.page_not_found"
handler400 = "newsroom.views.bad_request"
handler403 = "newsroom.views.permission_denied"
