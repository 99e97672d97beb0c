"""Atom feed of published digests at /feed/: only published versions, newest first."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from claims.models import DigestEntry
from claims import published as selectors
from sources.text import xml_safe

FEED_SIZE = 50


class XMLSafeAtom1Feed(Atom1Feed):
    """Atom without the characters XML cannot carry (sources.text.xml_safe): text stored before
    control characters were refused at the door must not turn the feed into a 500."""

    def write(self, outfile, encoding):
        self.feed = {key: xml_safe(value) for key, value in self.feed.items()}
        self.items = [{key: xml_safe(value) for key, value in item.items()} for item in self.items]
        super().write(outfile, encoding)


class DigestFeed(Feed):
    feed_type = XMLSafeAtom1Feed
    title = f"{settings.DESK_NAME} · 核查摘要"
    subtitle = "经两位编辑审核的核查摘要：每条说法的结论、理由与证据。"
    description_template = "public/feed_description.html"
    author_name = settings.DESK_NAME
    author_link = settings.DESK_URL

    def link(self):
        return reverse("public:archive")

    def items(self):
        return selectors.archive().prefetch_related(
            Prefetch("entries", queryset=DigestEntry.objects.order_by("position", "id"))
        )[:FEED_SIZE]

    def item_title(self, item):
        return item.title if item.version == 1 else f"{item.title}（更正版 v{item.version}）"

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.corrected_at or item.published_at

    def item_author_name(self, item):
        return settings.DESK_NAME


# Read-only, cached and answering 304 like the pages (the feed changes only on publication).
digest_feed = cache_control(public=True, max_age=300)(
    condition(etag_func=selectors.page_etag, last_modified_func=selectors.page_last_modified)(
        require_safe(DigestFeed())
    )
)
