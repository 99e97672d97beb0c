"""System checks of the desk's own settings (registered in newsroom/apps.py).

The desk's identity (`NEWSROOM_DESK_NAME`, `NEWSROOM_DESK_URL`) is what readers and machines
see as the author of every ClaimReview and of the feed, and the base of their URLs: outside
DEBUG, a missing name or an address that is not a public http(s) URL stops every management
command (migrate, check --deploy, …) with a message saying what to set.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def _is_loopback(host):
    if host.lower() in LOOPBACK_NAMES or host.lower().endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def desk_url_problem(url):
    """Why `url` cannot be the desk's public address, or None."""
    if not url:
        return "NEWSROOM_DESK_URL is not set"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"NEWSROOM_DESK_URL {url!r} is not an http(s) address"
    if _is_loopback(parts.hostname):
        return (
            f"NEWSROOM_DESK_URL {url!r} points at this machine (loopback), not at the public site"
        )
    if parts.query or parts.fragment:
        return f"NEWSROOM_DESK_URL {url!r} carries a query or a fragment"
    return None


@register()
def desk_identity(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    errors = []
    if not settings.DESK_NAME:
        errors.append(
            Error(
                "NEWSROOM_DESK_NAME is not set.",
                hint="Set it to the desk's public name, as readers should see it as the author "
                "of every fact check (ClaimReview JSON-LD, the feed).",
                id="newsroom.E001",
            )
        )
    problem = desk_url_problem(settings.DESK_URL)
    if problem:
        errors.append(
            Error(
                f"{problem}.",
                hint="Set NEWSROOM_DESK_URL to the public address of the site, e.g. "
                "https://factcheck.example.org/: the URLs of ClaimReview blocks and the feed's "
                "ids are built on it.",
                id="newsroom.E002",
            )
        )
    return errors


@register()
def card_font(app_configs, **kwargs):
    """Share cards (claims.cards) need a font with Chinese glyphs; without one the site works,
    but its pages carry no og:image and the card URLs answer 503."""
    from claims import cards

    problem = cards.font_problem()
    if problem is None:
        return []
    return [
        Warning(
            f"{problem} Share cards (og:image) are off: pages carry no og:image and "
            "/claims/<id>/card.png answers 503.",
            hint=cards.INSTALL_HINT,
            id="newsroom.W010",
        )
    ]
