from django.urls import path

from claims.feeds import digest_feed
from claims.views import cards, sitemaps
from claims.views import public as views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("digests/", views.archive, name="archive"),
    path("digests/<str:slug>/", views.digest, name="digest"),
    path("about/", views.about, name="about"),
    path("search/", views.search, name="search"),
    path("claims/<int:pk>/", views.claim, name="claim"),
    path("claims/<int:pk>/card.png", cards.claim_card, name="claim_card"),
    path("card.png", cards.desk_card, name="desk_card"),
    path("feed/", digest_feed, name="feed"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
]
