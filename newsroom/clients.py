"""Who is calling: the one answer every limit uses (login lockouts, API throttles).

The client is the address of the connection (REMOTE_ADDR) unless settings say how many
proxies of ours stand in front of the product (NEWSROOM_TRUSTED_PROXIES). Each proxy appends
the address it received the request from to X-Forwarded-For, so with N trusted proxies the
client is the N-th entry from the right; everything to its left was written by the client and
proves nothing. With 0 (the default) X-Forwarded-For is ignored entirely: a forged header
cannot make one client look like many.
"""

import ipaddress

from django.conf import settings


def _address(value):
    """`value` as a normalized IP address, or None. Accepts the `1.2.3.4:port` and
    `[::1]:port` forms some proxies write."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has several colons
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request):
    """The calling client's IP address as a string, or None when the connection has none
    (a Unix socket without a proxy). Works with Django's and DRF's requests."""
    meta = request.META
    remote = _address(meta.get("REMOTE_ADDR"))
    trusted = getattr(settings, "NEWSROOM_TRUSTED_PROXIES", 0) or 0
    if trusted <= 0:
        return remote
    entries = [part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(entries) < trusted:
        # Fewer entries than proxies: the request did not come through all of them.
        return remote
    return _address(entries[-trusted]) or remote
