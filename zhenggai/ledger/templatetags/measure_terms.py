from urllib.parse import urlencode

from django import template
from django.urls import reverse

from zhenggai.ledger.filters import MEASURE_TERMS
from zhenggai.ledger.measure_terms import said_terms

register = template.Library()


@register.simple_tag
def measure_terms_said(filterset, user):
    """The ledger's measure filters in use, names said (`zhenggai.ledger.measure_terms`)."""
    return said_terms(filterset, user)


@register.simple_tag
def measure_terms_dropped(request):
    """The ledger with the same filters but those on one measure (and the page number)."""
    kept = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in MEASURE_TERMS and key != "page"
        for value in values
    ]
    return f"{reverse('ledger')}?{urlencode(kept)}" if kept else reverse("ledger")
