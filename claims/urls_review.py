from django.urls import path

from claims import views_digests as digests
from claims import views_review as views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    # Digest composer: drafts, preview, publish, corrections (claims/views_digests.py).
    path("digests/", digests.digest_list, name="digest_list"),
    path("digests/new/", digests.digest_new, name="digest_new"),
    path("digests/<int:pk>/", digests.digest_detail, name="digest_detail"),
    path("digests/<int:pk>/edit/", digests.digest_edit, name="digest_edit"),
    path("digests/<int:pk>/preview/", digests.digest_preview, name="digest_preview"),
    path("digests/<int:pk>/publish/", digests.digest_publish, name="digest_publish"),
    path("digests/<int:pk>/correct/", digests.digest_correct, name="digest_correct"),
]
