"""The directory's panels on the member dashboard (/<lang>/my/, home/dashboard.py)."""

from wagtail import hooks

from .models import Membership
from .permissions import is_staff


@hooks.register("rabita_dashboard_panels")
def my_associations_panel(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("association")
        .order_by("association__title")
    )
    return {
        "template": "directory/dashboard/associations.html",
        "order": 10,
        "memberships": list(memberships),
        "is_staff": is_staff(request.user),
    }
