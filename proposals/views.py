"""Pages of the proposals app (filled below)."""

from django.http import HttpRequest, HttpResponse


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(status=501)
