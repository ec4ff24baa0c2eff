"""Django's PostgreSQL backend with a health check that costs no round trip.

With `CONN_HEALTH_CHECKS`, Django sends `SELECT 1` before the first query of
every request that reuses a connection: one more round trip to PostgreSQL on
every request. A connection that the server has closed (a restart,
`pg_terminate_backend`, a failover) leaves its socket readable: the server's
last message and the end of the stream wait there. So an idle connection
whose socket has nothing to read is taken as healthy without asking the
server, and only a socket with something pending is checked the usual way.

Limit: a server that vanishes without closing the connection (a host cut off
the network) leaves the socket quiet, as it would leave `SELECT 1` waiting;
the request's first query then fails and is answered 503, and the connection
is replaced on the next request.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self._idle_and_quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _idle_and_quiet(self) -> bool:
        """Whether the connection is idle with nothing to read on its socket."""
        connection = self.connection
        if connection.closed or connection.broken:
            return False
        if connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return False
        poller = select.poll()
        try:
            poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            return not poller.poll(0)
        except (OSError, ValueError):
            return False
