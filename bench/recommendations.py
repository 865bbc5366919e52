"""Export a dossier of 200 recommendations with full lineage to every format; time and memory per format.

    .venv/bin/python -m bench.recommendations [--count 200]

Builds the data in a throwaway in-memory SQLite database (through the factories and the
recommendations services), then, for each format, in a forked child process: the wall time of
one export (without tracing), the peak of Python allocations (tracemalloc, second run) and the
peak resident memory of the child (RSS). Targets: < 10 s and < 300 MB per format.
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


def build(count: int):
    from proposals.models import Opinion, Proposal
    from recommendations import selectors, services
    from tests import factories

    assembly = factories.AssemblyFactory()
    staff = factories.UserFactory(is_staff=True, email="staff@bench.test")
    sitting = factories.SittingFactory(meeting__assembly=assembly, title="Plénière de Carcassonne")
    themes = [factories.ThemeFactory(name=name) for name in ("Mobilités", "Santé", "Logement", "Alimentation")]
    partner = factories.PartnerOrganisationFactory(assembly=assembly, name="Association des maires de l’Hérault")
    recommendations = []
    for n in range(count):
        proposals = []
        for k in range(2):
            proposal = factories.ProposalFactory(
                assembly=assembly,
                status=Proposal.Status.ADOPTED,
                title=f"Proposition {n}-{k} : des cars express entre villes moyennes « liO » 🚌",
                themes=[themes[n % 4]],
            )
            factories.CommentFactory(
                proposal=proposal, body="Commentaire clé : à étendre au transport à la demande. " * 3
            )
            Opinion.objects.create(
                proposal=proposal, organisation=partner, author=staff, body="Avis favorable, sous réserve. " * 4
            )
            proposals.append(proposal)
        ballots = {p.pk: factories.closed_ballot(sitting=sitting, yes=40, no=6, abstain=2) for p in proposals}
        recommendation = services.recommendation_compile(
            by=staff,
            assembly=assembly,
            title=f"Recommandation {n} : relier les villes moyennes par des lignes express, œuvre commune",
            text=("La Région développe des lignes de car express entre les villes moyennes. " * 12 + "\n\n") * 3,
            policy="Plan régional des mobilités",
            proposals=proposals,
            key_comments=[p.comments.first() for p in proposals],
            key_opinions=[p.opinions.first() for p in proposals],
            ballots=ballots,
        )
        adoption = factories.closed_ballot(sitting=sitting, yes=60, no=4, abstain=3, title=f"Adoptez-vous R{n}?")
        recommendations.append(
            services.recommendation_adopt(by=staff, recommendation=recommendation, mode="ballot", ballot=adoption)
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
        started = time.perf_counter()
        sink = io.BytesIO()
        write_export(selectors.dossier_document(dossier), fmt, sink)
        seconds = time.perf_counter() - started
        size = len(sink.getvalue())
        del sink
        tracemalloc.start()
        write_export(selectors.dossier_document(dossier), fmt, io.BytesIO())
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = {
            "format": fmt,
            "seconds": round(seconds, 2),
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
    print(f"built {args.count} recommendations with lineage in {time.perf_counter() - started:.1f} s")
    failed = False
    print(f"{'format':<6} {'seconds':>8} {'py peak MB':>11} {'RSS MB':>8} {'RSS +MB':>8} {'size':>10}")
    from recommendations.exports import FORMATS

    for fmt in FORMATS:
        r = measure(dossier, selectors, fmt)
        ok = r["seconds"] < TARGET_SECONDS and r["rss_peak_mb"] < TARGET_MB
        failed |= not ok
        print(
            f"{fmt:<6} {r['seconds']:>8} {r['python_peak_mb']:>11} {r['rss_peak_mb']:>8} {r['rss_growth_mb']:>8}"
            f" {r['bytes']:>10}"
            f"  {'ok' if ok else 'OVER TARGET'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
