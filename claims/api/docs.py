"""Swagger UI at /api/v1/docs/, working under the site's CSP (default-src 'self').

The assets come from drf-spectacular-sidecar (served by us, no CDN), and the split view loads
its start-up script from a URL instead of an inline <script>, so script-src stays 'self'.
The page template's one inline <style> block is allowed by its hash, nothing else inline.
"""

import base64
import hashlib
import re
from functools import lru_cache

from csp.decorators import csp_update
from django.template.loader import get_template
from drf_spectacular.views import SpectacularSwaggerSplitView

TEMPLATE = "drf_spectacular/swagger_ui.html"


@lru_cache(maxsize=1)
def inline_style_hashes():
    """CSP hashes of the template's <style> blocks, computed from the template in use so that
    an upgrade of drf-spectacular cannot silently break the page."""
    source = get_template(TEMPLATE).template.source
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()}'"
        for css in re.findall(r"<style>(.*?)</style>", source, re.S)
    ]


_view = SpectacularSwaggerSplitView.as_view(url_name="schema", template_name=TEMPLATE)


def swagger_ui(request, *args, **kwargs):
    return csp_update({"style-src": inline_style_hashes()})(_view)(request, *args, **kwargs)


def ordering_needs_a_field(result, generator, request, public):
    """drf-spectacular post-processing hook: `ordering` names at least one field, and "" is
    none (the server answers `?ordering=` with a 400 naming the choices,
    claims.api.filters.FilterSet)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = parameter.get("schema", {})
                if parameter.get("name") == "ordering" and schema.get("type") == "array":
                    items = schema.get("items", {})
                    if "enum" in items:
                        items["enum"] = [value for value in items["enum"] if value]
                    schema["minItems"] = 1
    return result
