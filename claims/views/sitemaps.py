"""`/sitemap.xml`, `/sitemap-<section>.xml` and `/robots.txt` (claims.sitemaps): public,
read-only, cached and answering 304 like the public pages (they change only on publication)."""

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from claims import sitemaps
from claims.published import publication_stamp
from claims.views.public import PUBLIC_MAX_AGE, public_page


@public_page
@sitemap_views.x_robots_tag
def sitemap_index(request):
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": sitemaps.index_items(publication_stamp(request)[1])},
        content_type="application/xml",
    )


@public_page
def sitemap_section(request, section):
    """One section's sitemap, `?p=` its page: a section or a page that is not there is a 404."""
    return sitemap_views.sitemap(request, sitemaps=sitemaps.SITEMAPS, section=section)


@require_safe
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
def robots_txt(request):
    return HttpResponse(sitemaps.robots_txt(), content_type="text/plain; charset=utf-8")
