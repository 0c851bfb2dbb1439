from django.conf import settings

from .session_refresh import idle_seconds_left


def session_timeout(request):
    """Lets pages warn before an idle session ends (only for logged-in users)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "session_idle_seconds": idle_seconds_left(request.session),
        "session_warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
    }
