"""Background jobs: the schedule table and its runner, periodic-job defaults, progress of long tasks.

Tasks are ``django.tasks`` tasks; the backend (django-tasks-db by default, django-tasks-rq on Redis) is
chosen in settings. ``haicang worker`` runs queued tasks and the schedule. See ``docs/jobs.md``.
"""
