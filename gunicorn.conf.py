"""gunicorn settings for serving `pinsite.wsgi:application`, from the environment.

gunicorn reads this file by itself when it starts in the checkout (or pass
`--config gunicorn.conf.py`); command-line options override it. The README's
"Deploying" section lists the variables.
"""

import os


def _int(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    number = int(value) if value else default
    if number < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {number}")
    return number


# Where to listen: GUNICORN_BIND (host:port, or unix:/path), else every
# interface on PORT.
bind = [os.environ.get("GUNICORN_BIND", "").strip() or f"0.0.0.0:{_int('PORT', 8000)}"]

# Each worker is a process with its own threads; each thread serves one request
# at a time and keeps one database connection open (DB_CONN_MAX_AGE), so a host
# holds up to workers x threads connections to PostgreSQL.
workers = _int("WEB_CONCURRENCY", 2, minimum=1)
threads = _int("GUNICORN_THREADS", 4, minimum=1)
worker_class = "gthread"
# The most client connections one worker holds at once. A worker accepts every
# connection it can, so a few long-lived connections (a load balancer's pool,
# a load generator) may all land on one worker while the others idle; a worker
# at this limit leaves new connections to the others.
worker_connections = _int("GUNICORN_WORKER_CONNECTIONS", 1000, minimum=1)

# A worker silent for `timeout` seconds is killed and replaced. On SIGTERM the
# workers stop accepting connections and get `graceful_timeout` seconds to
# finish the requests in flight before they are killed.
timeout = _int("GUNICORN_TIMEOUT", 30, minimum=1)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=1)
# Seconds an idle client connection stays open. Behind a load balancer, keep
# it above the balancer's own idle timeout, or the balancer may reuse a
# connection gunicorn has just closed.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Access log on stdout, gunicorn's own messages on stderr, in the format
# LOG_FORMAT chooses (JSON lines by default in production); see
# pinsite.gunicorn_logging.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logger_class = "pinsite.gunicorn_logging.GunicornLogger"

# gunicorn's runtime control socket sits at one path per user, which every
# instance on a host would share; the service does not use it.
control_socket_disable = True
