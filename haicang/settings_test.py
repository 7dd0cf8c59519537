"""Settings for the test run (pytest's ``DJANGO_SETTINGS_MODULE``): the real settings plus test-only apps.

Test-only apps hold concrete models that exist only to test what the core gives every app (e.g. the
``moneyapp`` models carrying ``MoneyField``s). Their migrations live with them; run ``makemigrations`` for
them with ``DJANGO_SETTINGS_MODULE=haicang.settings_test``. mypy's django-stubs plugin reads these settings
too, so the test models type-check.
"""

from haicang.settings import *  # noqa: F403
from haicang.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "haicang.core.tests.moneyapp"]

# Tests create many users: a fast hasher keeps them quick (never used outside tests).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
