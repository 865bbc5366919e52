"""Pages of the assembly app. Thin: they read through selectors and write through services."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assembly.selectors import default_assembly


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "assembly/home.html", {"assembly": default_assembly()})
