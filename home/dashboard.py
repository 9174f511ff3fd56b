"""The member dashboard at /<lang>/my/.

Each app contributes panels with the `rabita_dashboard_panels` Wagtail hook: a
function that receives the request and returns a dict with `template` (rendered
with `panel` in its context), `order` and its own keys, or None when it has
nothing for this user. Panels are shown by increasing order.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from wagtail import hooks

PANELS_HOOK = "rabita_dashboard_panels"


def dashboard_panels(request):
    panels = []
    for panel_for in hooks.get_hooks(PANELS_HOOK):
        panel = panel_for(request)
        if panel:
            panels.append(panel)
    return sorted(panels, key=lambda panel: panel.get("order", 100))


@login_required
def dashboard(request):
    return render(request, "home/dashboard.html", {"panels": dashboard_panels(request)})
