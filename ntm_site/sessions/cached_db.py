"""Database sessions read through the shared cache (REDIS_URL), written now and then (ntm_site.sessions)."""

from django.contrib.sessions.backends import cached_db

from ntm_site.sessions import RefreshedNowAndThen


class SessionStore(RefreshedNowAndThen, cached_db.SessionStore):
    pass
