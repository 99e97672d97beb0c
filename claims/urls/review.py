from django.urls import path, re_path

from claims.views import assistant, digests, imports, notices, search
from claims.views import review as views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    # What waits for the signed-in editor: reviews, verdicts sent back, corrections.
    path("waiting/", views.waiting, name="waiting"),
    # Which email notices of that the editor gets (claims.notices).
    path("notices/", notices.notice_settings, name="notices"),
    # One search over every claim, article and digest, either script, with filters.
    path("search/", search.desk_search, name="search"),
    # Article reader: highlighted evidence, suggestions, claims from a selection.
    path("articles/<int:pk>/", views.article, name="article"),
    path("articles/<int:pk>/claims/new/", views.article_new_claim, name="article_new_claim"),
    path(
        "articles/<int:pk>/evidence/new/", views.article_add_evidence, name="article_add_evidence"
    ),
    # Claims with verdicts and evidence as a download, filtered like the queue.
    re_path(r"^claims/export\.(?P<fmt>csv|json)$", views.claims_export, name="claims_export"),
    # The queue's bulk actions (add to a draft digest, assign) and the claim pickers' search.
    path("claims/bulk/", views.claims_bulk, name="claims_bulk"),
    path("claims/pick.json", views.claim_picker, name="claim_picker"),
    # Claim workbench: text, evidence, verdicts, history.
    path("claims/<int:pk>/", views.claim, name="claim"),
    path("claims/<int:pk>/edit/", views.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/evidence/new/", views.claim_add_quote, name="claim_add_quote"),
    path("claims/<int:pk>/citations/new/", views.claim_add_citation, name="claim_add_citation"),
    path("claims/<int:pk>/verdicts/new/", views.verdict_propose, name="verdict_propose"),
    path("claims/<int:pk>/matches/attach/", assistant.attach_match, name="claim_attach_match"),
    path("assistant/", assistant.queue_panel, name="assistant_queue"),
    path("verdicts/<int:pk>/approve/", views.verdict_approve, name="verdict_approve"),
    path("verdicts/<int:pk>/send-back/", views.verdict_send_back, name="verdict_send_back"),
    # Importing articles: many files or zips, in the background (claims/views/imports.py).
    path("import/", imports.upload, name="import"),
    path("import/<int:pk>/", imports.job_page, name="import_job"),
    path("import/<int:pk>/status.json", imports.job_status_json, name="import_job_status"),
    path("import/<int:pk>/resume/", imports.job_resume, name="import_job_resume"),
    # Digest composer: drafts, preview, publish, corrections (claims/views/digests.py).
    path("digests/", digests.digest_list, name="digest_list"),
    path("digests/new/", digests.digest_new, name="digest_new"),
    path("digests/<int:pk>/", digests.digest_detail, name="digest_detail"),
    path("digests/<int:pk>/edit/", digests.digest_edit, name="digest_edit"),
    path("digests/<int:pk>/preview/", digests.digest_preview, name="digest_preview"),
    path("digests/<int:pk>/publish/", digests.digest_publish, name="digest_publish"),
    path("digests/<int:pk>/correct/", digests.digest_correct, name="digest_correct"),
]
