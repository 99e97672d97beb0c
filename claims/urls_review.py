from django.urls import path

from claims import views_review as views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
]
