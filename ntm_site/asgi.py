import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm_site.settings")
os.environ["NTM_SERVING"] = "1"  # settings refuse to serve without SECRET_KEY when DEBUG is off
application = get_asgi_application()
