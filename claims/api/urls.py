"""/api/v1/ — the REST API (docs/contracts.md lists the shapes it keeps)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from claims.api import assistant, docs, tokens, views
from sources.api import ImportJobView

router = SimpleRouter()
router.register("claims", views.ClaimViewSet, basename="api-claim")
router.register("verdicts", views.VerdictViewSet, basename="api-verdict")
router.register("digests", views.DigestViewSet, basename="api-digest")
router.register("sources", views.SourceViewSet, basename="api-source")
router.register("articles", views.ArticleViewSet, basename="api-article")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.swagger_ui, name="api-docs"),
    path("auth/token/", tokens.TokenView.as_view(), name="api-token"),
    path("auth/tokens/", tokens.TokenListView.as_view(), name="api-tokens"),
    path("auth/tokens/<str:pk>/", tokens.TokenDetailView.as_view(), name="api-token-detail"),
    # The claim assistant: editors read matches, conflicts and known claims; anyone can look up
    # published claims like a text (claims/similar/, throttled).
    path(
        "claims/<str:pk>/matches/", assistant.ClaimMatchesView.as_view(), name="api-claim-matches"
    ),
    path("conflicts/", assistant.ConflictsView.as_view(), name="api-conflicts"),
    path("claims/similar/", assistant.SimilarClaimsView.as_view(), name="api-claims-similar"),
    path(
        "articles/<str:pk>/known-claims/",
        assistant.ArticleKnownClaimsView.as_view(),
        name="api-article-known-claims",
    ),
    # An import job's progress (editors; sources.jobs).
    path("imports/<str:pk>/", ImportJobView.as_view(), name="api-import"),
    *router.urls,
]
