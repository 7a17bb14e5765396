# syntax=docker/dockerfile:1
# Backend image: dependencies resolved from uv.lock in a build stage; the runtime stage holds only
# the virtualenv and the code, and runs as an unprivileged user.

FROM python:3.11-slim-bookworm AS build
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/opt/venv
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

FROM python:3.11-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    APP_ENV=production \
    VAR_DIR=/app/var \
    PORT=8000
RUN groupadd --system app && useradd --system --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY backend/ backend/
COPY scripts/docker-entrypoint.sh scripts/serve_web.py scripts/
RUN mkdir -p var && \
    SECRET_KEY=collectstatic-only python backend/manage.py collectstatic --noinput -v 0 && \
    chown -R app:app var
USER app
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/api/health/', timeout=2).status == 200 else 1)"]
ENTRYPOINT ["scripts/docker-entrypoint.sh"]
CMD ["web"]
