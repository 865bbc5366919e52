"""Dossier documents built by hand (no database), for the golden-content tests of every format."""

from __future__ import annotations

import datetime as dt

from recommendations.document import (
    Adoption,
    Answer,
    BallotResult,
    DossierDocument,
    KeyComment,
    NamedVote,
    PartnerOpinion,
    RecommendationEntry,
    SourceProposal,
    SummaryLine,
    Tally,
)

ACCENTS = "àâäçéèêëîïôöùûüÿœæ ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ « » ’"
EMOJI = "🚲🌍"
MARKUP = '<script>alert("x")</script> & <b>gras</b> <a href="http://evil">lien</a>'
LONG_TITLE = ("Rénover les logements sociaux à très basse consommation " * 6)[:300]


def ballot(reference: str = "Scrutin n° 12", *, named: bool = False) -> BallotResult:
    return BallotResult(
        reference=reference,
        question="Adopter la recommandation ?",
        held_on=dt.date(2026, 3, 14),
        sitting="Plénière de Carcassonne — séance du matin",
        outcome="adopted",
        outcome_label="Adoptée",
        majority_rule="Majorité simple des suffrages exprimés",
        quorum_reached=True,
        total=Tally("Ensemble", 80, 12, 6),
        by_college=(Tally("Collège des élus", 41, 5, 2), Tally("Collège des citoyens", 39, 7, 4)),
        by_gender=(Tally("Femmes", 40, 6, 3), Tally("Hommes", 40, 6, 3)),
        by_departement=(Tally("34 Hérault", 9, 1, 0), Tally("11 Aude", 7, 0, 1)),
        named_votes=(NamedVote("Élodie Martín-Ñúñez", "Pour"),) if named else (),
    )


def entry(
    number: int, *, title: str | None = None, text: str | None = None, section: str = "Mobilités"
) -> RecommendationEntry:
    reference = f"R-2026-{number:03d}"
    return RecommendationEntry(
        id=number,
        reference=reference,
        number=number,
        title=title or f"Recommandation {number} — {ACCENTS}",
        text=text or f"Premier paragraphe {number} : {ACCENTS}.\n\nSecond paragraphe {EMOJI} avec {MARKUP}.",
        policy="Plan régional des mobilités « liO »",
        section=section,
        themes=(section, "Transition écologique"),
        territories=("PETR Pays Cœur d’Hérault", "Carcassonne Agglo"),
        version=2,
        url=f"https://agora.example/recommandations/{number}/",
        adoption=Adoption(
            mode="ballot",
            mode_label="Par scrutin",
            date=dt.date(2026, 3, 14),
            sitting="Plénière de Carcassonne — séance du matin",
            ballot=ballot(named=True),
        ),
        sources=(
            SourceProposal(
                id=10 + number,
                reference=f"P-{10 + number}",
                title=f"Des vélos à assistance électrique en prêt {EMOJI}",
                url=f"https://agora.example/propositions/{10 + number}/",
                territory="PETR Pays Cœur d’Hérault",
                departement="34 Hérault",
                college="Collège des citoyens",
                themes=(section,),
                supports=42,
            ),
        ),
        comments=(
            KeyComment(
                proposal_reference=f"P-{10 + number}",
                author="Membre du collège des élus, Carcassonne Agglo",
                text=f"Commentaire clé : œuvre à l’échelle du bassin de vie {MARKUP}",
                date=dt.date(2026, 2, 1),
            ),
        ),
        opinions=(
            PartnerOpinion(
                proposal_reference=f"P-{10 + number}",
                organisation="Association des maires de l’Hérault",
                text="Avis favorable, sous réserve du financement.",
                date=dt.date(2026, 2, 3),
            ),
        ),
        ballots=(ballot("Scrutin n° 7"),),
        answer=Answer(
            status="partly_accepted",
            status_label="Partiellement retenue",
            text=f"La Région étudie un déploiement en 2027. {ACCENTS}",
            answered_on=dt.date(2026, 6, 1),
            reference="Délibération CP/2026-06/12.04",
            expected_on=None,
        ),
    )


def document(entries: list[RecommendationEntry] | None = None) -> DossierDocument:
    entries = entries if entries is not None else [entry(1, title=LONG_TITLE), entry(2, section="Santé")]
    return DossierDocument(
        id=1,
        reference="cahier-2026-04-01",
        title=f"Cahier de recommandations — printemps 2026 {ACCENTS}",
        assembly="Assemblée des Territoires",
        recipient="Présidente de la Région Occitanie",
        date=dt.date(2026, 4, 1),
        introduction=f"Introduction du cahier. {ACCENTS}\n\n{MARKUP}",
        language="fr",
        generated_at=dt.datetime(2026, 4, 1, 9, 30, tzinfo=dt.UTC),
        url="https://agora.example/recommandations/cahiers/1/",
        summary=[SummaryLine(e.reference, e.title, e.section) for e in entries],
        entries_factory=lambda: iter(entries),
    )
