"""Settings for the test suite: no memcached server, no collected static files, fast hashing."""

import tempfile

from .settings import *  # noqa: F401,F403

CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
        'LOCATION': 'shop-tests',
    }
}

PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']

# The manifest only exists after collectstatic.
STATICFILES_STORAGE = 'django.contrib.staticfiles.storage.StaticFilesStorage'

MEDIA_ROOT = tempfile.mkdtemp(prefix='shop-test-media-')

EMAIL_BACKEND = 'django.core.mail.backends.locmem.EmailBackend'
