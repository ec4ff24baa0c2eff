# The web image: the service under gunicorn (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app

# Dependencies in their own layer: rebuilt only when requirements.txt changes.
COPY requirements.txt .
RUN pip install -r requirements.txt

RUN groupadd --system --gid 10001 pins \
    && useradd --system --uid 10001 --gid pins --no-create-home --home-dir /app pins

# The code belongs to root and is read-only for the service's user; only the
# static files directory, filled at start, is the user's.
COPY . .
RUN mkdir -p "$STATIC_ROOT" && chown pins:pins "$STATIC_ROOT"

USER pins
EXPOSE 8000
ENTRYPOINT ["docker/entrypoint.sh"]
CMD ["gunicorn", "--config", "gunicorn.conf.py", "pinsite.wsgi:application"]
