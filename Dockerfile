# syntax=docker/dockerfile:1
# Production image for the VOG/GVA application service: one image for the web process
# (gunicorn), the Celery workers and Celery beat; docker-compose.yml picks the command.

# The NL Design System CSS (package-lock.json), copied the way `make frontend` does it.
FROM node:20-bookworm-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY bin/build-frontend bin/
RUN bash bin/build-frontend

FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_INPUT=1

# WeasyPrint (certificate PDFs) needs Pango, and HarfBuzz to subset fonts; a font to draw
# with; curl for the container health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        curl \
    && rm -rf /var/lib/apt/lists/*

# The processes run as an unprivileged user that owns nothing but its data folders.
RUN groupadd --system --gid 10001 justis \
    && useradd --system --uid 10001 --gid justis --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin justis

WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt -c constraints.txt

COPY . .
COPY --from=frontend /build/static/vendor static/vendor

# Static files are collected into the image (served by WhiteNoise). Settings need these
# values to load in production mode; none of them is used at run time.
RUN DJANGO_ENV=production \
    SECRET_KEY=collectstatic-only-not-a-secret \
    BSN_ENCRYPTION_KEYS=collectstatic-only-not-a-key \
    BSN_LOOKUP_KEY=collectstatic-only-not-a-key \
    METRICS_TOKEN=collectstatic-only-not-a-token-00000000 \
    ALLOWED_HOSTS=localhost \
    EMAIL_URL=consolemail:// \
    DEFAULT_FROM_EMAIL=collectstatic@localhost \
    MOLLIE_API_KEY=test_collectstatic_only \
    ALLOW_SIMULATORS=true \
    python manage.py collectstatic --noinput -v0

# /data/private: certificates and letters (a volume shared by web and workers).
# /data/beat: Celery beat's schedule state.
RUN mkdir -p /data/private /data/beat \
    && chown -R justis:justis /data \
    && python -m compileall -q /app

USER justis

ENV DJANGO_ENV=production \
    PRIVATE_MEDIA_ROOT=/data/private

EXPOSE 8000

CMD ["gunicorn", "justis.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--no-control-socket"]
