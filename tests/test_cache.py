"""The Redis cache backend that holds the rate-limit counters."""

import pytest
from django.conf import settings
from django.core.cache import caches

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (set REDIS_URL)")


@pytest.fixture
def cache():
    cache = caches["default"]
    cache.delete("counter")
    yield cache
    cache.delete("counter")


def test_incr_adds_to_an_existing_key_in_one_round_trip(cache, monkeypatch):
    cache.add("counter", 1, 60)
    cache.incr("counter")  # the first call may also load the script into Redis
    client = cache._cache.get_client(write=True)
    commands = []
    original = client.execute_command
    monkeypatch.setattr(
        client, "execute_command", lambda *a, **k: commands.append(a[0]) or original(*a, **k)
    )

    assert cache.incr("counter") == 3
    assert cache.incr("counter", 5) == 8
    assert commands == ["EVALSHA", "EVALSHA"]


def test_incr_of_a_missing_key_raises_value_error_and_creates_nothing(cache):
    with pytest.raises(ValueError):
        cache.incr("counter")

    assert cache.get("counter") is None


def test_incr_keeps_the_expiry_of_the_key(cache):
    cache.add("counter", 1, 60)
    cache.incr("counter")

    ttl = cache._cache.get_client().ttl(cache.make_and_validate_key("counter"))
    assert 55 <= ttl <= 60


def test_clients_are_reused_across_operations(cache):
    first = cache._cache.get_client(write=True)
    cache.set("counter", 1, 60)

    assert cache._cache.get_client(write=True) is first
