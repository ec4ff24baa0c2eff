"""Django's Redis cache, tuned for the rate-limit counters on every request.

Two changes to the built-in backend, both about the per-request cost:

- one `redis.Redis` client per connection pool, reused, instead of a new
  client object (and its table of response callbacks) for every operation;
- `incr` in one atomic round trip (a server-side script), instead of an
  EXISTS then an INCRBY, between which the key could also expire.
"""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

# Increments an existing key; nil for a missing one, as Django's incr requires.
_INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then
    return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return false
"""


class PooledRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}
        self._clients_lock = threading.Lock()
        self._incr_script = None

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            with self._clients_lock:
                client = self._clients.get(index)
                if client is None:
                    pool = self._get_connection_pool(write)
                    client = self._clients[index] = self._client(connection_pool=pool)
        return client

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        if self._incr_script is None:
            self._incr_script = client.register_script(_INCR_EXISTING)
        value = self._incr_script(keys=[key], args=[delta], client=client)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value


class PooledRedisCache(RedisCache):
    """The built-in RedisCache with `PooledRedisCacheClient`."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = PooledRedisCacheClient
