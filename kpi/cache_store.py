"""Where KpiService keeps computed results: in the process, or in Redis shared by every worker.

Keys already contain the warehouse generation (see kpi/service.py), so nothing needs deleting
when data change: old entries simply stop being asked for (and expire in Redis).
"""
from __future__ import annotations

import gc
import hashlib
import pickle
import threading
from collections import OrderedDict
from typing import Any

from kpi.result import KpiRow, PackedRows


class InProcessStore:
    name = "proces"
    shared = False

    def __init__(self, max_entries: int = 4096):
        self.max_entries = max_entries
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        return None

    def set(self, key, value) -> None:
        with self._lock:
            self._data[key] = value
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def claim(self, key, ttl_seconds: int) -> bool:
        """One process: every claim is this process's own."""
        return True


class RedisStore:
    """Results pickled in Redis (our own objects, written only by our own workers)."""
    name = "redis"
    shared = True

    def __init__(self, url: str, ttl_seconds: int = 24 * 3600, prefix: str = "jeugdmonitor:kpi:"):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.ttl = ttl_seconds
        self.prefix = prefix

    def _key(self, key) -> str:
        return self.prefix + hashlib.sha256(repr(key).encode("utf-8")).hexdigest()

    def get(self, key):
        raw = self.client.get(self._key(key))
        if raw is None:
            return None
        # Unpickling a breakdown of thousands of groups creates tens of thousands of objects, which
        # set off the garbage collector's full passes over the whole heap mid-request (p95 ~50 ms
        # for 8,400 groups against ~6 ms without); nothing here makes reference cycles.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return pickle.loads(raw)
        finally:
            if enabled:
                gc.enable()

    def set(self, key, value) -> None:
        if isinstance(value, tuple) and value and isinstance(value[0], KpiRow):
            value = PackedRows(value)  # a KPI's rows: pickled as columns, read back as the same rows
        self.client.set(self._key(key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), ex=self.ttl)

    def clear(self) -> None:
        for key in self.client.scan_iter(self.prefix + "*"):
            self.client.delete(key)

    def claim(self, key, ttl_seconds: int) -> bool:
        """True for the one caller (of all workers) that claims `key` first within `ttl_seconds`."""
        return bool(self.client.set(self._key(("claim", key)), b"1", nx=True, ex=ttl_seconds))

    def ping(self) -> bool:
        return bool(self.client.ping())


class CacheSettingError(ValueError):
    """A REDIS_URL that is no Redis address; the message (Dutch) never repeats it (it may hold a password)."""


def store_from_env(redis_url: str | None) -> InProcessStore | RedisStore:
    """Redis at `redis_url`, else the process's own store. A Redis that does not answer is an
    outage, met by the request that needs it (dashboard/server/outage.py), not a refused start; a
    Redis that answers and refuses what REDIS_URL asks (a database it does not have, the login) is
    a setting that cannot work, refused here."""
    if not redis_url:
        return InProcessStore()
    try:
        store = RedisStore(redis_url)
    except ValueError:  # redis-py's parse_url: no redis://, rediss:// or unix:// scheme, a port that is no number
        raise CacheSettingError("REDIS_URL is geen Redis-adres: geef bijvoorbeeld redis://127.0.0.1:6379/0 "
                                "(of rediss://… of unix://…)") from None
    problem = refusal(store.client)
    if problem:
        raise CacheSettingError(problem)
    return store


def refusal(client) -> str | None:
    """What Redis refuses of the connection REDIS_URL describes, in Dutch, or None (also when it does
    not answer). It answered "DB index is out of range" or WRONGPASS to every request of every
    page, and the warmer logged it as a traceback every few seconds."""
    import redis

    try:
        client.ping()
    except redis.AuthenticationError:  # before ConnectionError, which it is a kind of
        return "REDIS_URL: Redis weigert de aanmelding; controleer de gebruikersnaam en het wachtwoord in REDIS_URL"
    except (redis.ConnectionError, redis.TimeoutError):
        return None
    except redis.ResponseError as exc:
        if "DB index is out of range" in str(exc):
            number = client.connection_pool.connection_kwargs.get("db")
            return (f"REDIS_URL: deze Redis heeft geen database {number}; geef een nummer dat hij wel heeft "
                    "(standaard 0 tot en met 15), bijvoorbeeld redis://127.0.0.1:6379/0")
        if any(word in str(exc) for word in ("WRONGPASS", "NOAUTH", "NOPERM")):
            return ("REDIS_URL: Redis weigert de aanmelding; controleer de gebruikersnaam en het wachtwoord "
                    "in REDIS_URL")
        return "REDIS_URL: Redis weigert de verbinding; controleer REDIS_URL"
    return None
