"""What search engines are told to crawl: `/sitemap.xml` (an index) and one sitemap per kind
of public page (`/sitemap-<section>.xml`, in pages of SITEMAP_PAGE_SIZE addresses: `?p=2`…),
with `/robots.txt` naming the index and keeping crawlers off the desk, the admin, the API and
search results. Published pages only, each at its address on NEWSROOM_DESK_URL (never the
request's Host header), dated by its publication.

Django's sitemap framework (django.contrib.sitemaps) writes the XML and pages the lists; the
index is built here, because Django's index view names the sitemaps on the request's Host.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.urls import get_script_prefix, reverse

from claims import published
from claims.jsonld import absolute
from claims.models import Claim

# Addresses per sitemap page (the protocol allows 50,000): at 100,000 claims, 100 pages, each
# two queries, 85 KB and 110-165 ms to build on PostgreSQL (5,000 a page took 490 ms).
SITEMAP_PAGE_SIZE = 1000


class DeskSitemap(Sitemap):
    limit = SITEMAP_PAGE_SIZE

    def get_protocol(self, protocol=None):
        return urlsplit(settings.DESK_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.DESK_URL).netloc


class PageSitemap(DeskSitemap):
    """The home page (the latest digest), the archive and the page on how the desk checks."""

    def items(self):
        return ["public:home", "public:archive", "public:about"]

    def location(self, item):
        return reverse(item)


class DigestSitemap(DeskSitemap):
    def items(self):
        return published.published_digests().only("slug", "published_at").order_by("id")

    def location(self, digest):
        return reverse("public:digest", args=[digest.slug])

    def lastmod(self, digest):
        return digest.published_at


class ClaimSitemap(DeskSitemap):
    """Each published claim's page, dated by the publication of the form it shows."""

    def items(self):
        return (
            Claim.objects.filter(published_entry__isnull=False)
            .only("id", "published_at")
            .order_by("id")
        )

    def location(self, claim):
        return published.claim_path(claim.pk)

    def lastmod(self, claim):
        return claim.published_at


SITEMAPS = {"pages": PageSitemap, "digests": DigestSitemap, "claims": ClaimSitemap}


def index_items(latest):
    """Each section's sitemap, page by page, at its address on the desk, each dated `latest`
    (the latest publication: every public page changes only then)."""
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = absolute(reverse("public:sitemap_section", args=[section]))
        items.append(SitemapIndexItem(url, latest))
        items += [
            SitemapIndexItem(f"{url}?p={page}", latest)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    return items


def robots_txt():
    return "\n".join(
        [
            "User-agent: *",
            *(f"Disallow: {path}" for path in _private_paths()),
            f"Sitemap: {absolute(reverse('public:sitemap'))}",
            "",
        ]
    )


def _private_paths():
    """The desk, the admin, logins, the API and search results: nothing for a search index."""
    return [
        reverse("review:queue"),
        reverse("admin:index"),
        reverse("login"),
        f"{get_script_prefix()}api/",
        reverse("public:search"),
    ]
