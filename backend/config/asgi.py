"""ASGI entry point: uvicorn serves this (streaming responses such as the event stream need it)."""

import os

from django.conf import settings
from django.core.asgi import get_asgi_application

from core.body_limit import BodySizeLimit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = BodySizeLimit(
    get_asgi_application(),
    max_bytes=settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    per_path={"/api/inbound/email/": settings.MAIL_INBOUND_MAX_BYTES},
)

# Imported after the application (which sets Django up). Loading scikit-learn, the OpenAI SDK and
# the local model takes seconds on a cold process: pay it at start, not in the first request.
from triage import chain  # noqa: E402

chain.warm_up()
