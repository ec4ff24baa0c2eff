"""gunicorn's logger for the service: the access log as structured records.

gunicorn's default access line is a printf template over request headers,
which is neither valid JSON for every value nor safe from logging a header
by mistake. This logger writes each access as one record with a fixed set
of fields (no header but the user agent, no query string, no cookie), in
the format LOG_FORMAT chooses, and gives gunicorn's own messages the same
format. Successful probe requests are logged at DEBUG only, so that a probe
every second does not flood the log.
"""

import logging
from datetime import timedelta

from gunicorn.glogging import Logger

from pinsite.health import PROBE_PATHS
from pinsite.logs import formatter_for, log_format_from_env
from pinsite.request_id import REQUEST_ID_HEADER, RequestIdFilter


class GunicornLogger(Logger):
    def setup(self, cfg: object) -> None:
        super().setup(cfg)
        formatter = formatter_for(log_format_from_env())
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)
                handler.addFilter(RequestIdFilter())

    def access(self, resp: object, req: object, environ: dict, request_time: timedelta) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = int(status.split(None, 1)[0])
        method = environ.get("REQUEST_METHOD", "-")
        path = environ.get("PATH_INFO", "")
        request_id = next(
            (value for name, value in resp.headers if name.lower() == REQUEST_ID_HEADER.lower()),
            None,
        )
        fields = {
            "method": method,
            "path": path,
            "status": status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "remote_addr": environ.get("REMOTE_ADDR"),
            "user_agent": environ.get("HTTP_USER_AGENT"),
            "request_id": request_id,
        }
        quiet = path in PROBE_PATHS and status < 400
        level = logging.DEBUG if quiet else logging.INFO
        try:
            self.access_log.log(level, "%s %s %s", method, path, status, extra=fields)
        except Exception:
            self.exception("Could not write the access log line")
