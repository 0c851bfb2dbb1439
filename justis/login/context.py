from django.conf import settings


def session_timeout(request):
    """Lets pages warn before an idle session ends (only for logged-in users)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
    }
