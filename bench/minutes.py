"""Generate the minutes of a sitting of 200 agenda items and 100 ballots as PDF and ODT; time and memory.

    .venv/bin/python -m bench.minutes [--items 200] [--ballots 100] [--members 60]

Builds a closed sitting in a throwaway in-memory SQLite database by bulk inserts: MEMBERS
members (a sixth of them absent and represented by proxy, a few absent), ITEMS agenda items,
BALLOTS closed ballots spread over the items (every other one named, with each voter's vote,
the others secret), each with its verdict and breakdowns. Then, for each of "pdf", "odt" and
"both" (what `minutes_generate` does: one read, both files), in a forked child process: the
wall time (reading the database included) and the peak resident memory of the child (RSS,
which includes what the parent held when it forked). Targets: < 5 s and < 300 MB.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
django.setup()

from django.test.utils import setup_databases, setup_test_environment  # noqa: E402

TARGET_SECONDS = 5
TARGET_MB = 300


def _people(assembly, count: int):
    import datetime as dt

    from assembly.models import College, Gender, Mandate, User
    from tests import factories

    territories = [factories.TerritoryFactory(name=f"Territoire du banc {i}") for i in range(6)]
    users = User.objects.bulk_create(
        User(email=f"member{i}@bench.test", first_name=f"Prénom{i}", last_name=f"Nom{i}", password="!")
        for i in range(count)
    )
    Mandate.objects.bulk_create(
        Mandate(
            user=user,
            assembly=assembly,
            territory=territories[i % 6],
            college=(College.ELECTED, College.CITIZEN)[i % 2],
            gender=(Gender.WOMAN, Gender.MAN)[(i // 2) % 2],
            start_date=dt.date(2020, 1, 1),
            is_copresident=i < 2,
        )
        for i, user in enumerate(users)
    )
    return users


def _ballots(sitting, items, users, count: int, present: list) -> None:
    """COUNT closed yes/no ballots over ITEMS, every other one named (with a vote row per present member)."""
    import uuid

    from django.utils import timezone

    from votes import tally
    from votes.models import Ballot, BallotOption, Verdict, Vote, VoterRoll

    now = timezone.now()
    ballots = Ballot.objects.bulk_create(
        Ballot(
            sitting=sitting,
            agenda_item=items[(2 * n) % len(items)],
            title=f"Adoptez-vous la délibération n° {n} sur les mobilités « liO » ?",
            secret=n % 2 == 1,
            state=Ballot.State.CLOSED,
            closed_at=now,
            members_count=len(users),
            present_count=len(present),
            represented_count=len(users) // 6,
            quorum_reached=True,
        )
        for n in range(count)
    )
    rows = [("yes", "Pour"), ("no", "Contre"), ("abstain", "Abstention")]
    options = BallotOption.objects.bulk_create(
        BallotOption(ballot=b, position=i, label=label, code=code)
        for b in ballots
        for i, (code, label) in enumerate(rows, 1)
    )
    codes: dict[int, dict[str, int]] = {}
    for option in options:
        codes.setdefault(option.ballot_id, {})[option.code] = option.pk
    verdicts, votes = [], []
    for ballot in ballots:
        ids = codes[ballot.pk]
        choices = [ids[("yes", "yes", "no", "abstain")[i % 4]] for i in range(len(present))]
        counts = tally.tally("yes_no", list(ids.values()), choices).as_dict()
        if not ballot.secret:
            roll = VoterRoll.objects.bulk_create(
                VoterRoll(ballot=ballot, member=m, college="elected", gender="woman", departement="34", has_voted=True)
                for m in present
            )
            votes += [
                Vote(ballot=ballot, vote_id=uuid.uuid4(), choice=c, elector=r)
                for r, c in zip(roll, choices, strict=True)
            ]
        verdicts.append(
            Verdict(
                ballot=ballot,
                outcome=Verdict.Outcome.ADOPTED,
                majority="simple",
                members_count=ballot.members_count,
                present_count=ballot.present_count,
                represented_count=ballot.represented_count,
                quorum_reached=True,
                electorate=len(present),
                votes_cast=len(present),
                counts=counts,
                breakdown={
                    "results_by_college": {"citizen": counts, "elected": counts},
                    **({} if ballot.secret else {"results_by_gender": {"man": counts, "woman": counts}}),
                },
                fingerprint="0" * 64,
            )
        )
    Verdict.objects.bulk_create(verdicts)
    Vote.objects.bulk_create(votes)


def build(items: int, ballots: int, members: int):
    from django.utils import timezone

    from meetings.models import AgendaItem, Attendance, Proxy, Sitting
    from tests import factories

    assembly = factories.AssemblyFactory()
    sitting = factories.SittingFactory(
        meeting__assembly=assembly,
        title="Plénière de Carcassonne",
        state=Sitting.State.CLOSED,
        closed_at=timezone.now(),
    )
    users = _people(assembly, members)
    represented = users[: members // 6]
    present = users[members // 6 + 3 :]  # the three in between are absent, not represented
    Attendance.objects.bulk_create(
        Attendance(sitting=sitting, user=u, method=Attendance.Method.QR, checked_in_at=timezone.now()) for u in present
    )
    Proxy.objects.bulk_create(
        Proxy(sitting=sitting, giver=g, holder=present[i], state=Proxy.State.VALIDATED)
        for i, g in enumerate(represented)
    )
    agenda = AgendaItem.objects.bulk_create(
        AgendaItem(
            sitting=sitting,
            position=n + 1,
            title=f"Point {n + 1} : politique régionale des mobilités, œuvre commune",
            description="Présentation du rapport, puis débat.\n\nLe rapport est joint au dossier de séance.",
            kind=(AgendaItem.Kind.VOTE, AgendaItem.Kind.DEBATE)[n % 2],
            state=AgendaItem.State.DONE,
        )
        for n in range(items)
    )
    _ballots(sitting, agenda, users, ballots, present)
    return sitting


def _render(sitting, fmt: str) -> int:
    from django.conf import settings
    from django.utils import translation

    from core import odt, pdf
    from votes import minutes_document
    from votes.services.minutes import render_minutes

    if fmt == "both":
        odt_data, pdf_data, _title = render_minutes(sitting)
        return len(odt_data) + len(pdf_data)
    with translation.override(settings.LANGUAGE_CODE):
        data = minutes_document.read_minutes(sitting)
        blocks = minutes_document.minutes_blocks(data)
        title = minutes_document.minutes_title(data)
        if fmt == "pdf":
            return len(pdf.blocks_pdf(blocks, title=title))
        buffer = io.BytesIO()
        odt.write_odt(blocks, buffer, title=title, language="fr", creator="bench", moment=data.generated_at)
        return len(buffer.getvalue())


def measure(sitting, fmt: str) -> dict:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: one format, its own peak RSS
        os.close(read)
        before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started, cpu_started = time.perf_counter(), time.process_time()
        size = _render(sitting, fmt)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = {
            "format": fmt,
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 2),
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
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--ballots", type=int, default=100)
    parser.add_argument("--members", type=int, default=60)
    args = parser.parse_args()
    setup_test_environment()
    setup_databases(verbosity=0, interactive=False)
    import logging

    logging.disable(logging.WARNING)
    started = time.perf_counter()
    sitting = build(args.items, args.ballots, args.members)
    print(
        f"built a sitting of {args.items} items, {args.ballots} ballots, {args.members} members"
        f" in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    failed = False
    print(f"{'format':<6} {'seconds':>8} {'CPU s':>6} {'RSS MB':>8} {'RSS +MB':>8} {'size':>10}")
    for fmt in ("pdf", "odt", "both"):
        r = measure(sitting, fmt)
        ok = r["seconds"] < TARGET_SECONDS and r["rss_peak_mb"] < TARGET_MB
        failed |= not ok
        print(
            f"{fmt:<6} {r['seconds']:>8} {r['cpu_seconds']:>6} {r['rss_peak_mb']:>8} {r['rss_growth_mb']:>8}"
            f" {r['bytes']:>10}  {'ok' if ok else 'OVER TARGET'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
