"""The one public page of the registry: a mail-out's unsubscribe link. It shows the council's name and nothing of
the person (no name, no address), whoever holds the link."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import Contact
from .services import contact_unsubscribe


# RFC 8058: the mail program's "Unsubscribe" button POSTs to the List-Unsubscribe address without a CSRF token (the
# token in the address is the proof), and that one POST unsubscribes. A GET only shows the button: mail filters
# fetch the links of a message on their own, and must not unsubscribe anybody by doing so.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        contact = contact_unsubscribe(token=token)
        if contact is None:
            return render(request, "stakeholders/unsubscribe.html", {"state": "unknown"}, status=404)
        return render(request, "stakeholders/unsubscribe.html", {"state": "done", "council": contact.partner.council})
    found = Contact.objects.select_related("partner__council").filter(unsubscribe_token=token[:64]).first()
    if found is None:
        return render(request, "stakeholders/unsubscribe.html", {"state": "unknown"}, status=404)
    state = "done" if found.unsubscribed_at else "ask"
    return render(request, "stakeholders/unsubscribe.html", {"state": state, "council": found.partner.council})
