"""WSGI entry point; production runs it under gunicorn (see README)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm_site.settings")
os.environ["NTM_SERVING"] = "1"  # settings refuse to serve without SECRET_KEY when DEBUG is off
application = get_wsgi_application()
