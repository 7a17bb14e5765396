"""ASGI entry point: uvicorn serves this (streaming responses such as the event stream need it;
every other request runs on a pool of threads, see core.serving)."""

import os

from django.conf import settings

from core.body_limit import BodySizeLimit
from core.serving import SplitApplication

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# The event stream on the event loop; every other request on a pool of threads (core.serving).
application = BodySizeLimit(
    SplitApplication(threads=settings.WEB_THREADS),
    max_bytes=settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    per_path={"/api/inbound/email/": settings.MAIL_INBOUND_MAX_BYTES},
)

# Imported after the application (which sets Django up). Loading scikit-learn, the OpenAI SDK and
# the local model takes seconds on a cold process: pay it at start, not in the first request.
from triage import chain  # noqa: E402

chain.warm_up()
