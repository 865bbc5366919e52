"""Bench-only URLconf: the product's URLs plus bare Django views returning the same rows.

The bare views are the baseline of `bench/proposals.py`: plain function views, one `values()`
query, JsonResponse, no DRF, no serializer, no template, no permission rules.
"""

from django.http import JsonResponse
from django.urls import path

from backend.urls import urlpatterns as product_urlpatterns
from proposals.models import Comment, Proposal
from proposals.predicates import PUBLIC_STATUSES
from proposals.selectors import search

FIELDS = (
    "id",
    "kind",
    "status",
    "title",
    "author__first_name",
    "author__last_name",
    "territory__name",
    "territory__departement_id",
    "support_count",
    "comment_count",
    "opinion_count",
    "published_at",
)


def _public():
    return Proposal.objects.filter(status__in=PUBLIC_STATUSES, is_hidden=False)


def bare_list(request):
    page = max(int(request.GET.get("page", 1)), 1)
    rows = _public().order_by("-published_at", "-id").values(*FIELDS)[(page - 1) * 20 : page * 20]
    return JsonResponse({"results": list(rows)})


def bare_search(request):
    rows = search(_public(), request.GET.get("q", "")).order_by("-published_at", "-id").values(*FIELDS)[:20]
    return JsonResponse({"results": list(rows)})


def bare_detail(request, pk: int):
    row = _public().filter(pk=pk).values(*FIELDS, "body_html").first()
    comments = list(
        Comment.objects.filter(proposal_id=pk, is_hidden=False).values("id", "parent_id", "body_html", "created_at")
    )
    return JsonResponse({"proposal": row, "comments": comments})


urlpatterns = [
    path("bench/bare/list/", bare_list),
    path("bench/bare/search/", bare_search),
    path("bench/bare/detail/<id:pk>/", bare_detail),
    *product_urlpatterns,
]
