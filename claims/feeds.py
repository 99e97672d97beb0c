"""Atom feed of published digests at /feed/: only published versions, newest first, each
followed by an entry for each of its claims (the verdict's name and the claim in the title, the
reasons in the summary; the claim's address, with the digest version in its id, so that a
correction is a new entry).

`?script=hans|hant|hk` (or the remembered choice) gives the feed in that reading, like the
pages: its own words in the reading's language, the digests' texts converted one by one, and
`xml:lang` saying which."""

import dataclasses
import functools
from collections.abc import Callable

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from claims import published as selectors
from claims.jsonld import absolute
from claims.models import Digest, DigestEntry
from claims.views.public import served_from_cache
from newsroom.script import rating_name, reading_of, script_page
from sources.text import to_script, xml_safe

# The latest digests only, each with its first claims (the item links to the whole digest):
# the feed's size and cost do not grow with the archive or with a digest's length.
FEED_SIZE = 20
FEED_CLAIMS_PER_DIGEST = 20


def _as_is(text):
    return text


class XMLSafeAtom1Feed(Atom1Feed):
    """Atom without the characters XML cannot carry (sources.text.xml_safe): text stored before
    control characters were refused at the door must not turn the feed into a 500."""

    def write(self, outfile, encoding):
        self.feed = {key: xml_safe(value) for key, value in self.feed.items()}
        self.items = [{key: xml_safe(value) for key, value in item.items()} for item in self.items]
        super().write(outfile, encoding)


@dataclasses.dataclass
class ClaimItem:
    """A published claim of a digest, as an entry of its own beside the digest's."""

    entry: DigestEntry
    digest: Digest
    reading: str | None
    convert: Callable[[str], str]  # a text in the reading (one conversion per text and build)

    @functools.cached_property
    def url(self):  # the entry's link and its id: reversed once
        return absolute(selectors.claim_path(self.entry.snapshot["id"]))


class DigestFeed(Feed):
    feed_type = XMLSafeAtom1Feed
    # Every URL and id of the feed is on the desk's public address (settings.DESK_URL), so that
    # ids stay the same whatever Host header a request carried.

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The feed is written piece by piece (one piece per XML element and text: about 15,000
        # for 420 entries), and a WSGI server sends each piece in a write of its own: 70 ms for
        # a cached feed of 280 KB under gunicorn. One body, sent at once.
        response.content = response.content
        return response

    def author_name(self):
        return settings.DESK_NAME

    def author_link(self):
        return settings.DESK_URL

    def feed_url(self, obj):
        query = f"?script={obj}" if obj else ""
        return absolute(reverse("public:feed")) + query

    def get_object(self, request, *args, **kwargs):
        return request.script  # the reading, set by script_page

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = reading_of(obj).tag
        return feed

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "script": kwargs.get("obj")}

    def title(self):
        return f"{settings.DESK_NAME} · {gettext('Fact-check digest')}"

    def subtitle(self):
        return gettext(
            "Fact-check digests reviewed by two editors: the verdict, its reasons and the evidence for every claim."
        )

    def link(self):
        return absolute(reverse("public:archive"))

    def items(self, obj):
        digests = list(
            selectors.archive().prefetch_related(
                Prefetch(
                    "entries",
                    queryset=DigestEntry.objects.order_by("position", "id")[
                        :FEED_CLAIMS_PER_DIGEST
                    ],
                    to_attr="feed_entries",
                )
            )[:FEED_SIZE]
        )
        # A digest's title is shown in each of its claims' entries, and a claim's text in its
        # entry and in its digest's: each is converted once per feed.
        convert = functools.cache(functools.partial(to_script, reading=obj)) if obj else _as_is
        items: list = []
        for digest in digests:
            digest.reading, digest.convert = obj, convert
            items.append(digest)
            items += [ClaimItem(entry, digest, obj, convert) for entry in digest.feed_entries]
        return items

    def item_title(self, item):
        if isinstance(item, ClaimItem):
            snapshot = item.entry.snapshot
            text = item.convert(snapshot["text"])
            return f"【{rating_name(snapshot['verdict']['rating'], get_language())}】{text}"
        title = item.convert(item.title)
        if item.version == 1:
            return title
        return gettext("%(title)s (corrected version %(version)s)") % {
            "title": title,
            "version": item.version,
        }

    def item_description(self, item):
        """The entry's summary, as HTML: a claim's reasons and its digest; a digest's
        correction note, intro and claims. Written here rather than by a template: a feed has
        420 entries, and a template rendered for each was a third of the feed's time."""

        def shown(text):
            return escape(item.convert(text))

        if isinstance(item, ClaimItem):
            snapshot = item.entry.snapshot
            where = gettext("In the digest 《%(title)s》.") % {"title": shown(item.digest.title)}
            return f"<p>{shown(snapshot['verdict']['rationale'])}</p><p>{where}</p>\n"
        parts = []
        if item.correction_note:
            parts.append(
                f"<p>{escape(gettext('Correction note:'))}{shown(item.correction_note)}</p>"
            )
        if item.intro:
            parts.append(f"<p>{shown(item.intro)}</p>")
        parts.append("\n<ul>")
        for entry in item.feed_entries:
            label = rating_name(entry.snapshot["verdict"]["rating"], get_language())
            parts.append(f"<li>【{escape(label)}】{shown(entry.snapshot['text'])}</li>")
        if item.claim_count > len(item.feed_entries):
            parts.append("<li>…</li>")
        parts.append("</ul>\n")
        return "".join(parts)

    def item_link(self, item):
        if isinstance(item, ClaimItem):
            return item.url
        return absolute(item.get_absolute_url())

    def item_guid(self, item):
        # A claim's entry is the claim in one digest version: a correction is a new entry.
        if isinstance(item, ClaimItem):
            return f"{item.url}#{item.digest.slug}"
        return None  # the digest's own address

    def item_guid_is_permalink(self, item):
        return not isinstance(item, ClaimItem)

    def item_pubdate(self, item):
        digest = item.digest if isinstance(item, ClaimItem) else item
        return digest.published_at

    def item_updateddate(self, item):
        digest = item.digest if isinstance(item, ClaimItem) else item
        return digest.corrected_at or digest.published_at

    def item_author_name(self, item):
        return settings.DESK_NAME


# Read-only, cached and answering 304 like the pages (the feed changes only on publication).
# Kept in the cache like the pages (claims.views.public.served_from_cache): built once per
# publication, script and URL.
digest_feed = served_from_cache(
    script_page(
        cache_control(public=True, max_age=300)(
            condition(
                etag_func=selectors.page_etag, last_modified_func=selectors.page_last_modified
            )(require_safe(DigestFeed()))
        )
    )
)
