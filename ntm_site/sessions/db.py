"""Database sessions read on every request, written now and then (ntm_site.sessions)."""

from django.contrib.sessions.backends import db

from ntm_site.sessions import RefreshedNowAndThen


class SessionStore(RefreshedNowAndThen, db.SessionStore):
    pass
