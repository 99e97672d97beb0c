"""Swagger UI at /api/v1/docs/, working under the site's CSP (default-src 'self').

The assets come from drf-spectacular-sidecar (served by us), and the split view loads its
start-up script from a URL instead of an inline <script>, so script-src stays 'self'. Only
styles are relaxed on this page: Swagger UI and its page template use inline styles.
"""

from csp.decorators import csp_update
from drf_spectacular.views import SpectacularSwaggerSplitView

swagger_ui = csp_update({"style-src": ["'unsafe-inline'"]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)
