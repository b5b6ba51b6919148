"""The API's documentation page: Swagger UI from drf-spectacular-sidecar, under our strict CSP.

drf-spectacular's split view already loads its start-up script from a URL rather than inline;
its page template still carries a small inline ``<style>``, which ``style-src 'self'`` refuses.
The template here moves those rules to a static file, so the page needs no CSP relaxation.
"""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "core/api_docs.html"
