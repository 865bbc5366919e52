"""REST API of the votes app, mounted under /api/v1/."""

from django.urls import path

from votes.api import results as r
from votes.api import views as v
from votes.api import workshops as w

urlpatterns = [
    path("sittings/<id:pk>/live/", v.SittingLiveApi.as_view(), name="sitting-live"),
    path("sittings/<id:pk>/ballots/", v.BallotCreateApi.as_view(), name="ballot-create"),
    path("sittings/<id:pk>/candidates/", v.SittingCandidatesApi.as_view(), name="sitting-candidates"),
    path("ballots/<id:pk>/", v.BallotSnapshotApi.as_view(), name="ballot-snapshot"),
    path("ballots/<id:pk>/proclaim/", v.ElectionProclaimApi.as_view(), name="ballot-proclaim"),
    path("ballots/<id:pk>/votes/", v.VoteCastApi.as_view(), name="ballot-vote"),
    path("ballots/<id:pk>/assisted-votes/", v.AssistedVoteApi.as_view(), name="ballot-assisted-vote"),
    path("ballots/<id:pk>/open/", v.BallotActionApi.as_view(action="open"), name="ballot-open"),
    path("ballots/<id:pk>/extend/", v.BallotActionApi.as_view(action="extend"), name="ballot-extend"),
    path("ballots/<id:pk>/close/", v.BallotActionApi.as_view(action="close"), name="ballot-close"),
    path("ballots/<id:pk>/cancel/", v.BallotActionApi.as_view(action="cancel"), name="ballot-cancel"),
    path("results/sittings/", r.ResultsSittingListApi.as_view(), name="results-sittings"),
    path("results/sittings/<id:pk>/", r.ResultsSittingApi.as_view(), name="results-sitting"),
    path("sittings/<id:pk>/priorities-ballot/", w.PrioritiesBallotApi.as_view(), name="sitting-priorities-ballot"),
]
