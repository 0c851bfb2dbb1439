"""The project package: settings, urls, the Celery app, roles, audit trail, health, fault switches."""

from .celery import app as celery_app

__all__ = ("celery_app",)
