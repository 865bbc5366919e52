"""REST API of the votes app, mounted under /api/v1/."""

from django.urls import path

from votes.api import results as r
from votes.api import views as v
from votes.api import workshops as w

urlpatterns = [
    path("sittings/<int:pk>/live/", v.SittingLiveApi.as_view(), name="sitting-live"),
    path("sittings/<int:pk>/ballots/", v.BallotCreateApi.as_view(), name="ballot-create"),
    path("sittings/<int:pk>/candidates/", v.SittingCandidatesApi.as_view(), name="sitting-candidates"),
    path("ballots/<int:pk>/", v.BallotSnapshotApi.as_view(), name="ballot-snapshot"),
    path("ballots/<int:pk>/proclaim/", v.ElectionProclaimApi.as_view(), name="ballot-proclaim"),
    path("ballots/<int:pk>/votes/", v.VoteCastApi.as_view(), name="ballot-vote"),
    path("ballots/<int:pk>/assisted-votes/", v.AssistedVoteApi.as_view(), name="ballot-assisted-vote"),
    path("ballots/<int:pk>/open/", v.BallotActionApi.as_view(action="open"), name="ballot-open"),
    path("ballots/<int:pk>/extend/", v.BallotActionApi.as_view(action="extend"), name="ballot-extend"),
    path("ballots/<int:pk>/close/", v.BallotActionApi.as_view(action="close"), name="ballot-close"),
    path("ballots/<int:pk>/cancel/", v.BallotActionApi.as_view(action="cancel"), name="ballot-cancel"),
    path("results/sittings/", r.ResultsSittingListApi.as_view(), name="results-sittings"),
    path("results/sittings/<int:pk>/", r.ResultsSittingApi.as_view(), name="results-sitting"),
    path("sittings/<int:pk>/priorities-ballot/", w.PrioritiesBallotApi.as_view(), name="sitting-priorities-ballot"),
]
