"""The bare-WSGI ceiling for `make bench`: a trivial WSGI app (no Django), served by the same
gunicorn settings as the product, so that the figures show what gunicorn and wrk alone reach
on this machine."""

BODY = b'{"status": "ok"}'


def application(environ, start_response):
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]
    )
    return [BODY]
