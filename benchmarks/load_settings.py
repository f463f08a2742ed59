"""Settings of the load test's gunicorn: production (DEBUG off), as if behind the TLS proxy.

Production sends the session and CSRF cookies only over HTTPS; the load test talks plain HTTP to
127.0.0.1, so those two flags and the HTTPS redirect are off here. Nothing else differs.
"""

from ntm_site.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
