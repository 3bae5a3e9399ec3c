from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says (a bookmark, a PDF viewer): send them
    to the static file, which the pages also name, so no page leaves a 404 in the log."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
