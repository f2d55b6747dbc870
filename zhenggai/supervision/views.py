from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.supervision.dashboard import dashboard_page

# Dashboards


@login_required
@require_GET
def dashboard(request):
    """督办看板: the figures of the units the user sees, narrowed by `unit` and `round`."""
    return render(request, "supervision/dashboard.html", dashboard_page(request.user, request.GET))
