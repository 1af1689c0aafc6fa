"""Who may use a staff page: signed-out visitors are sent to sign in, signed-in staff without the
permission get a plain 403 (a login page would suggest that signing in again helps)."""

from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied


def staff_permission(*perms: str):
    def check(user) -> bool:
        if not user.is_authenticated:
            return False
        if user.has_perms(perms):
            return True
        raise PermissionDenied

    return user_passes_test(check)
