"""Swagger UI at /api/docs/ under the site's strict Content-Security-Policy.

The split view serves its start-up script as a separate file (`?script`), so `script-src 'self'`
holds. The page's one inline `<style>` block (box-sizing, background) is allowed by its hash,
computed from drf-spectacular's own template so an upgrade cannot silently break it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import drf_spectacular
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularSwaggerSplitView

_TEMPLATE = Path(drf_spectacular.__file__).parent / "templates/drf_spectacular/swagger_ui.html"


def inline_style_hashes(template: Path = _TEMPLATE) -> list[str]:
    """CSP source expressions (`'sha256-…'`) for each `<style>` block of the template."""
    blocks = re.findall(r"<style>(.*?)</style>", template.read_text(), flags=re.DOTALL)
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()}'"
        for block in blocks
    ]


docs_view = csp_update({"style-src": inline_style_hashes()})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)
