CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
