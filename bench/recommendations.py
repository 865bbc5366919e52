"""Export a dossier of 200 recommendations with full lineage to every format; time and memory per format.

    .venv/bin/python -m bench.recommendations [--count 200]

Builds the data in a throwaway in-memory SQLite database (bulk inserts; the dossier itself
through the recommendations services), then, for each format, in a forked child process: the wall time of
one export (without tracing) and the peak resident memory of the child during it (RSS, which
includes what the parent held when it forked), then the peak of Python allocations
(tracemalloc, second run). Targets: < 10 s and < 300 MB per format.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import sys
import time
import tracemalloc

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
django.setup()

from django.test.utils import setup_databases, setup_test_environment  # noqa: E402

TARGET_SECONDS = 10
TARGET_MB = 300


def _closed_ballots(sitting, specs: list[tuple[str, int | None, tuple[int, int, int]]]) -> list:
    """Closed yes/no ballots with their options and verdicts, in three bulk inserts.

    SPECS: (question, proposal id or None, (yes, no, abstain)). The verdict has the same
    shape as one computed at close: totals and results by college, gender and département.
    """
    from django.utils import timezone

    from votes.models import Ballot, BallotOption, Verdict

    now = timezone.now()
    ballots = Ballot.objects.bulk_create(
        Ballot(sitting=sitting, proposal_id=proposal_id, title=title, state=Ballot.State.CLOSED, closed_at=now)
        for title, proposal_id, _counts in specs
    )
    rows = [("yes", "Pour"), ("no", "Contre"), ("abstain", "Abstention")]
    options = BallotOption.objects.bulk_create(
        BallotOption(ballot=ballot, position=i, label=label, code=code)
        for ballot in ballots
        for i, (code, label) in enumerate(rows, 1)
    )
    codes: dict[int, dict[str, int]] = {}
    for option in options:
        codes.setdefault(option.ballot_id, {})[option.code] = option.pk

    def opts(ids: dict[str, int], y: int, n: int, a: int) -> dict:
        return {"votes": y + n + a, "options": {str(ids["yes"]): y, str(ids["no"]): n, str(ids["abstain"]): a}}

    verdicts = []
    for ballot, (_title, _proposal, (yes, no, abstain)) in zip(ballots, specs, strict=True):
        ids = codes[ballot.pk]
        half = (yes // 2, no // 2, abstain // 2)
        rest = (yes - half[0], no - half[1], abstain - half[2])
        verdicts.append(
            Verdict(
                ballot=ballot,
                outcome=Verdict.Outcome.ADOPTED if yes > no else Verdict.Outcome.REJECTED,
                majority="simple",
                members_count=yes + no + abstain,
                present_count=yes + no + abstain,
                represented_count=0,
                quorum_reached=True,
                electorate=yes + no + abstain,
                votes_cast=yes + no + abstain,
                counts=opts(ids, yes, no, abstain),
                breakdown={
                    "results_by_college": {"citizen": opts(ids, *half), "elected": opts(ids, *rest)},
                    "results_by_gender": {"man": opts(ids, *rest), "woman": opts(ids, *half)},
                    "results_by_departement": {"34": opts(ids, yes, no, abstain)},
                },
                fingerprint="0" * 64,
            )
        )
    Verdict.objects.bulk_create(verdicts)
    return ballots


def build(count: int):
    """COUNT adopted recommendations with full lineage, by bulk inserts (a few seconds for 200).

    Each recommendation: 2 adopted proposals (each with a key comment, a partner's avis and the
    ballot that adopted it, linked through `Ballot.proposal`), its own adoption ballot, 3 paragraphs.
    """
    import datetime as dt

    from django.utils import timezone

    from assembly.models import College, Gender, Mandate, User
    from proposals.models import Comment, Opinion, Proposal
    from recommendations import selectors, services
    from recommendations.models import Recommendation, RecommendationSource
    from tests import factories

    assembly = factories.AssemblyFactory()
    staff = User.objects.create(email="staff@bench.test", first_name="Équipe", last_name="Région", is_staff=True)
    sitting = factories.SittingFactory(meeting__assembly=assembly, title="Plénière de Carcassonne")
    themes = [factories.ThemeFactory(name=name) for name in ("Mobilités", "Santé", "Logement", "Alimentation")]
    partner = factories.PartnerOrganisationFactory(assembly=assembly, name="Association des maires de l’Hérault")
    # People and mandates in bulk: the factories hash a password per person (slow and beside the point).
    territories = [factories.TerritoryFactory(name=f"Territoire du banc {i}") for i in range(5)]
    assembly.territories.add(*territories)
    users = User.objects.bulk_create(
        User(email=f"member{i}@bench.test", first_name=f"Prénom{i}", last_name=f"Nom{i}", password="!")
        for i in range(20)
    )
    mandates = Mandate.objects.bulk_create(
        Mandate(
            user=user,
            assembly=assembly,
            territory=territories[i % 5],
            college=(College.ELECTED, College.CITIZEN)[i % 2],
            gender=(Gender.WOMAN, Gender.MAN)[(i // 2) % 2],
            start_date=dt.date(2026, 1, 1),
        )
        for i, user in enumerate(users)
    )
    now = timezone.now()
    proposals = Proposal.objects.bulk_create(
        Proposal(
            assembly=assembly,
            status=Proposal.Status.ADOPTED,
            author=mandates[i % 20].user,
            author_college=mandates[i % 20].college,
            territory=mandates[i % 20].territory,
            title=f"Proposition {i // 2}-{i % 2} : des cars express entre villes moyennes « liO » 🚌",
            body="Créer une ligne de car express entre les villes moyennes du territoire.",
            published_at=now,
            support_count=12 + i % 30,
        )
        for i in range(2 * count)
    )
    Proposal.themes.through.objects.bulk_create(
        Proposal.themes.through(proposal_id=p.pk, theme_id=themes[(i // 2) % 4].pk) for i, p in enumerate(proposals)
    )
    comments = Comment.objects.bulk_create(
        Comment(
            proposal=p,
            author=mandates[(i + 7) % 20].user,
            body="Commentaire clé : à étendre au transport à la demande. " * 3,
        )
        for i, p in enumerate(proposals)
    )
    opinions = Opinion.objects.bulk_create(
        Opinion(proposal=p, organisation=partner, author=staff, body="Avis favorable, sous réserve. " * 4)
        for p in proposals
    )
    source_ballots = _closed_ballots(sitting, [(f"Adoptez-vous {p.title} ?", p.pk, (40, 6, 2)) for p in proposals])
    adoption_ballots = _closed_ballots(sitting, [(f"Adoptez-vous R{n}?", None, (60, 4, 3)) for n in range(count)])
    text = ("La Région développe des lignes de car express entre les villes moyennes. " * 12 + "\n\n") * 3
    day = dt.date(2026, 3, 14)
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(
            assembly=assembly,
            number=n + 1,
            title=f"Recommandation {n} : relier les villes moyennes par des lignes express, œuvre commune",
            text=text.strip(),
            policy="Plan régional des mobilités",
            status=Recommendation.Status.ADOPTED,
            adoption_mode=Recommendation.AdoptionMode.BALLOT,
            adopted_on=day,
            adoption_sitting=sitting,
            adoption_ballot=adoption_ballots[n],
            created_by=staff,
        )
        for n in range(count)
    )
    pairs = [(r, 2 * n + k) for n, r in enumerate(recommendations) for k in range(2)]
    RecommendationSource.objects.bulk_create(
        RecommendationSource(recommendation=r, proposal=proposals[i], ballot=source_ballots[i], position=i % 2)
        for r, i in pairs
    )
    Recommendation.themes.through.objects.bulk_create(
        Recommendation.themes.through(recommendation_id=r.pk, theme_id=themes[n % 4].pk)
        for n, r in enumerate(recommendations)
    )
    territories = {(r.pk, mandates[i % 20].territory_id) for r, i in pairs}
    Recommendation.territories.through.objects.bulk_create(
        Recommendation.territories.through(recommendation_id=rec, territory_id=territory)
        for rec, territory in sorted(territories)
    )
    Recommendation.key_comments.through.objects.bulk_create(
        Recommendation.key_comments.through(recommendation_id=r.pk, comment_id=comments[i].pk) for r, i in pairs
    )
    Recommendation.key_opinions.through.objects.bulk_create(
        Recommendation.key_opinions.through(recommendation_id=r.pk, opinion_id=opinions[i].pk) for r, i in pairs
    )
    dossier = services.dossier_create(
        by=staff,
        assembly=assembly,
        title="Cahier de recommandations — banc d’essai",
        date="2026-04-01",
        recipient="Présidente de la Région Occitanie",
        answer_due_on="2026-07-01",
        recommendations=recommendations,
    )
    dossier = services.dossier_transmit(by=staff, dossier=dossier)
    return dossier, selectors


def measure(dossier, selectors, fmt: str) -> dict:
    from recommendations.exports import write_export

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: one format, its own peak RSS
        os.close(read)
        before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started, cpu_started = time.perf_counter(), time.process_time()
        sink = io.BytesIO()
        write_export(selectors.dossier_document(dossier), fmt, sink)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        size = len(sink.getvalue())
        del sink
        # Peak RSS of the untraced export: tracemalloc's own bookkeeping would inflate it.
        rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        write_export(selectors.dossier_document(dossier), fmt, io.BytesIO())
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        result = {
            "format": fmt,
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 2),
            "python_peak_mb": round(peak / 2**20, 1),
            "rss_peak_mb": round(rss_kb / 1024, 1),
            "rss_growth_mb": round((rss_kb - before_kb) / 1024, 1),
            "bytes": size,
        }
        os.write(write, json.dumps(result).encode())
        os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 65536):
        data += chunk
    os.waitpid(pid, 0)
    return json.loads(data)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    setup_test_environment()
    setup_databases(verbosity=0, interactive=False)
    import logging

    logging.disable(logging.WARNING)
    started = time.perf_counter()
    dossier, selectors = build(args.count)
    print(f"built {args.count} recommendations with lineage in {time.perf_counter() - started:.1f} s", flush=True)
    failed = False
    print(f"{'format':<6} {'seconds':>8} {'CPU s':>6} {'py peak MB':>11} {'RSS MB':>8} {'RSS +MB':>8} {'size':>10}")
    from recommendations.exports import FORMATS

    for fmt in FORMATS:
        r = measure(dossier, selectors, fmt)
        ok = r["seconds"] < TARGET_SECONDS and r["rss_peak_mb"] < TARGET_MB
        failed |= not ok
        print(
            f"{fmt:<6} {r['seconds']:>8} {r['cpu_seconds']:>6} {r['python_peak_mb']:>11}"
            f" {r['rss_peak_mb']:>8} {r['rss_growth_mb']:>8}"
            f" {r['bytes']:>10}"
            f"  {'ok' if ok else 'OVER TARGET'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
