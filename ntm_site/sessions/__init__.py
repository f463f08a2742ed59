"""Session engines that keep the sliding hour without writing the session row on every request.

`SESSION_SAVE_EVERY_REQUEST` starts a session's hour again on each request: Django then writes the row
(BEGIN, UPDATE, COMMIT) on every page. These engines write it when the session changed, when it is new,
or when the row was last written more than `SESSION_REFRESH_SECONDS` (300) ago; in between they only
send the cookie. A session therefore ends between 55 and 60 minutes after the clerk's last request
instead of exactly 60. The "written at" marker lives in the cache: with each process's own memory cache
a process that did not write the row recently simply writes it (correct, only less saving).

- `ntm_site.sessions.db`: reads the row from the database on each request (any cache; the default).
- `ntm_site.sessions.cached_db`: reads it from the cache, falling back to the database (Django's
  `cached_db`). Only with a cache every process shares (`REDIS_URL`): with per-process memory a logout
  in one process would leave the session alive in the others' memory. Settings pick it when
  `REDIS_URL` is set.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches

MARKER_PREFIX = "ntm.session-written."


class RefreshedNowAndThen:
    """Mixin for a database-backed SessionStore: skip the write of an unchanged, recently written session."""

    def _written_key(self) -> str:
        return MARKER_PREFIX + self.session_key

    def save(self, must_create=False):
        refresh = getattr(settings, "SESSION_REFRESH_SECONDS", 300)
        marker_cache = caches[settings.SESSION_CACHE_ALIAS]
        unchanged = self.session_key is not None and not must_create and not self.modified
        if unchanged and refresh and marker_cache.get(self._written_key()):
            return
        super().save(must_create=must_create)
        if refresh and self.session_key is not None:
            marker_cache.set(self._written_key(), True, refresh)

    def delete(self, session_key=None):
        key = session_key or self.session_key
        super().delete(session_key)
        if key:
            caches[settings.SESSION_CACHE_ALIAS].delete(MARKER_PREFIX + key)
