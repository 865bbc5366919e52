import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
django.setup()
from django.urls import URLResolver, get_resolver


def walk(res, prefix="", ns=""):
    for p in res.url_patterns:
        if isinstance(p, URLResolver):
            n = ns
            if p.namespace:
                n = (ns + ":" if ns else "") + p.namespace
            yield from walk(p, prefix + str(p.pattern), n)
        else:
            yield prefix + str(p.pattern), (ns + ":" if ns else "") + (p.name or "?"), p.callback


for route, name, cb in walk(get_resolver()):
    if route.startswith("admin/"):
        continue
    print(f"{route:60} {name:40} {getattr(cb, '__module__', '')}.{getattr(cb, '__name__', '')}")
