"""The key screens of Agora, for the accessibility audit and `make screenshots`.

Each entry: a name, who looks at it (a key of the cast, or None for a visitor), and its path,
built from the ids of the seeded demo and of a live sitting opened for the occasion.
"""

from __future__ import annotations


def key_pages(server, cast: dict) -> list[tuple[str, str | None, str]]:
    ids = server.script("showcase")
    live = server.script("live_sitting", members=[m["id"] for m in cast["members"]], title="Séance plénière")
    server.script("open_ballot", ballot=live["ballot"], staff=cast["staff"]["id"])
    sitting = live["sitting"]
    pages = [
        ("home", None, "/"),
        ("home-member", "member", "/"),
        ("sign-in", None, "/connexion/"),
        ("sign-in-link", None, "/connexion/lien/"),
        ("proposal-list", None, "/propositions/"),
        ("proposal-form", "member", "/propositions/nouvelle/"),
        ("live-vote", "member", f"/votes/seances/{sitting}/"),
        ("projector", None, f"/votes/seances/{sitting}/ecran/?t={live['screen_token']}"),
        ("staff-control", "staff", f"/votes/seances/{sitting}/pilotage/"),
        ("minutes-staff", "staff", f"/votes/gestion/seances/{sitting}/proces-verbal/"),
        ("minutes-published", None, "/votes/proces-verbaux/"),
        ("recommendations-follow-up", None, "/recommandations/"),
        ("recommendations-staff", "staff", "/recommandations/equipe/"),
    ]
    if ids.get("proposal"):
        pages.insert(5, ("proposal-detail", "member", f"/propositions/{ids['proposal']}/"))
    if ids.get("recommendation"):
        pages.append(("recommendation-detail", None, f"/recommandations/{ids['recommendation']}/"))
    if ids.get("dossier"):
        pages.append(("dossier", None, f"/recommandations/cahiers/{ids['dossier']}/"))
    return pages


def person(cast: dict, who: str | None) -> dict | None:
    if who is None:
        return None
    if who == "member":
        return cast["members"][0]
    return cast[who]
