"""Demo content of the proposals app: the priority themes, ~150 proposals and RETEX across the
territories (in French), comments and replies, supports, partners' opinions, some adopted.

Deterministic and idempotent (run through `manage.py seed_demo` after the assembly's seed).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify

from assembly.models import Mandate, PartnerRepresentative
from assembly.selectors import default_assembly
from proposals.markdown import render
from proposals.models import Comment, Opinion, Proposal, Support, Theme
from tests import factories

THEMES = [
    ("Transition écologique et énergétique (logement)", True),
    ("Transition agro-écologique, alimentation et économie locale", True),
    ("Mobilités et transports", True),
    ("Centres de santé", True),
    ("Intelligence artificielle dans les collectivités", True),
    ("Eau et ressources naturelles", False),
    ("Jeunesse, formation et emploi", False),
]

# theme index -> (title templates, body paragraphs)
IDEAS = {
    0: (
        [
            "Un guichet unique de la rénovation énergétique à {town}",
            "Rénover les logements communaux vacants de {town}",
            "Des toitures solaires sur les bâtiments publics de {town}",
            "Accompagner les copropriétés de {town} vers la sobriété",
        ],
        "Les habitants ne savent pas à qui s'adresser pour rénover leur logement. "
        "Nous proposons un point d'accueil commun avec **un seul interlocuteur**, des permanences "
        "dans les mairies et un suivi des aides.\n\n- diagnostic gratuit\n- mise en relation avec les artisans\n"
        "- suivi des travaux",
    ),
    1: (
        [
            "Des produits locaux dans les cantines de {town}",
            "Une légumerie intercommunale pour {town}",
            "Soutenir l'installation de jeunes maraîchers autour de {town}",
            "Un marché de producteurs hebdomadaire à {town}",
        ],
        "Les cantines servent encore peu de produits du territoire. Une plateforme d'achat commune "
        "permettrait aux petites communes de commander auprès des producteurs locaux.\n\n"
        "Voir l'exemple du [Projet alimentaire territorial](https://agriculture.gouv.fr/).",
    ),
    2: (
        [
            "Une ligne de transport à la demande pour {town}",
            "Des aires de covoiturage sécurisées autour de {town}",
            "Relier {town} à la gare la plus proche à vélo",
            "Un tarif unique pour les bus et le train régional à {town}",
        ],
        "Sans voiture, les habitants des villages sont isolés. Un service de transport à la demande, "
        "réservable par téléphone la veille, relierait les hameaux au bourg et à la gare.",
    ),
    3: (
        [
            "Un centre de santé intercommunal à {town}",
            "Des consultations avancées de spécialistes à {town}",
            "Loger les internes en médecine à {town}",
            "Un bus de prévention santé pour les villages autour de {town}",
        ],
        "Les médecins partent à la retraite sans successeur. Un centre de santé avec des médecins "
        "salariés, porté par l'intercommunalité, garantirait l'accès aux soins.",
    ),
    4: (
        [
            "Former les agents de {town} aux outils d'intelligence artificielle",
            "Une charte d'usage de l'IA pour les services de {town}",
            "Mutualiser un assistant numérique entre les communes autour de {town}",
        ],
        "Les petites communes n'ont pas les moyens d'évaluer les outils d'IA. Une charte commune et "
        "des formations partagées éviteraient les erreurs et protégeraient les données des habitants.",
    ),
    5: (
        ["Récupérer l'eau de pluie dans les écoles de {town}", "Protéger les captages d'eau autour de {town}"],
        "Les épisodes de sécheresse se multiplient. Des cuves de récupération et un plan de protection "
        "des captages réduiraient la pression sur la ressource.",
    ),
    6: (
        ["Un lieu ressource pour les jeunes de {town}", "Des stages dans les entreprises locales de {town}"],
        "Les jeunes quittent le territoire faute d'offre de formation. Un lieu ressource réunirait "
        "information, accompagnement et mise en relation avec les employeurs.",
    ),
}

RETEX = (
    "Retour d'expérience : {title}",
    "Nous l'avons fait chez nous. Ce qui a marché : *associer les habitants dès le début*. "
    "Ce qui a moins bien marché : le calendrier des financements.",
)

COMMENTS = [
    "Très bonne idée, nous avons le même besoin sur notre territoire.",
    "Qui porterait le coût de fonctionnement ?",
    "À articuler avec le contrat territorial en cours.",
    "Il faudrait associer les associations locales.",
    "Nous avons essayé : la difficulté, c'est le recrutement.",
    "Je soutiens, surtout pour les communes rurales.",
]
REPLIES = [
    "Bonne question, une piste : un financement régional sur trois ans.",
    "D'accord, je complète la proposition.",
]
OPINION = (
    "L'association est favorable à cette proposition, sous réserve d'un accompagnement en ingénierie "
    "pour les petites communes."
)

TARGET = 150


def seed(*, stdout) -> None:
    themes = []
    for position, (name, priority) in enumerate(THEMES):
        theme, _created = Theme.objects.get_or_create(
            slug=slugify(name)[:120], defaults={"name": name, "is_priority": priority, "position": position}
        )
        themes.append(theme)
    assembly = default_assembly()
    if assembly is None:
        stdout.write("proposals: no assembly, skipped")
        return
    if Proposal.objects.filter(assembly=assembly).count() >= TARGET:
        stdout.write("proposals: demo content already there")
        return
    rng = random.Random(2026)
    mandates = list(
        Mandate.objects.active_on().filter(assembly=assembly).select_related("user", "territory").order_by("pk")
    )
    if not mandates:
        stdout.write("proposals: no members, skipped")
        return
    partners = list(
        PartnerRepresentative.objects.active_on()
        .filter(organisation__assembly=assembly)
        .select_related("user", "organisation")
        .order_by("pk")
    )
    statuses = (
        [Proposal.Status.PUBLISHED] * 10
        + [Proposal.Status.UNDER_STUDY] * 3
        + [Proposal.Status.PUT_TO_VOTE] * 2
        + [Proposal.Status.ADOPTED] * 3
        + [Proposal.Status.NOT_ADOPTED, Proposal.Status.WITHDRAWN]
    )
    now = timezone.now()
    existing = set(Proposal.objects.filter(assembly=assembly).values_list("title", flat=True))
    made = 0
    for index in range(TARGET):
        mandate = mandates[index % len(mandates)]
        theme_index = index % len(IDEAS)
        templates, body = IDEAS[theme_index]
        town = mandate.territory.name.split(" ")[-1]
        title = templates[(index // len(IDEAS)) % len(templates)].format(town=town)
        kind = Proposal.Kind.PROPOSAL
        if index % 6 == 5:
            kind = Proposal.Kind.EXPERIENCE
            title, body = RETEX[0].format(title=title.lower()), RETEX[1]
        title = title[:200]
        if title in existing:
            continue
        existing.add(title)
        status = rng.choice(statuses)
        published = now - dt.timedelta(days=rng.randint(1, 700), minutes=rng.randint(0, 1440))
        extra_theme = [themes[rng.randrange(len(themes))]] if rng.random() < 0.3 else []
        proposal = factories.ProposalFactory.create(
            assembly=assembly,
            author=mandate.user,
            author_college=mandate.college,
            territory=mandate.territory,
            kind=kind,
            title=title,
            body=body,
            body_html=render(body),
            status=status,
            published_at=published,
            created_at=published,
            updated_at=published,
            status_changed_at=published,
            ballot_ref="demo" if status in (Proposal.Status.ADOPTED, Proposal.Status.NOT_ADOPTED) else "",
            themes=list(dict.fromkeys([themes[theme_index], *extra_theme])),
        )
        supporters = rng.sample(mandates, k=min(len(mandates), rng.randint(0, 25)))
        Support.objects.bulk_create(
            [Support(proposal=proposal, user=m.user) for m in supporters if m.user_id != mandate.user_id],
            ignore_conflicts=True,
        )
        for c in range(rng.randint(0, 5)):
            commenter = mandates[rng.randrange(len(mandates))].user
            comment = Comment.objects.create(
                proposal=proposal,
                author=commenter,
                body=COMMENTS[(index + c) % len(COMMENTS)],
                body_html=render(COMMENTS[(index + c) % len(COMMENTS)]),
                created_at=published + dt.timedelta(hours=c + 1),
            )
            if rng.random() < 0.3:
                Comment.objects.create(
                    proposal=proposal,
                    parent=comment,
                    author=mandate.user,
                    body=REPLIES[c % len(REPLIES)],
                    body_html=render(REPLIES[c % len(REPLIES)]),
                    created_at=published + dt.timedelta(hours=c + 2),
                )
        if partners and rng.random() < 0.2:
            partner = partners[rng.randrange(len(partners))]
            Opinion.objects.get_or_create(
                proposal=proposal,
                organisation=partner.organisation,
                defaults={"author": partner.user, "body": OPINION, "body_html": render(OPINION)},
            )
        made += 1
    # Counters as the services would have kept them.
    for row in Proposal.objects.filter(assembly=assembly).annotate(
        s=Count("supports", distinct=True), o=Count("opinions", distinct=True)
    ):
        comments = Comment.objects.filter(proposal=row, is_hidden=False).count()
        Proposal.objects.filter(pk=row.pk).update(support_count=row.s, opinion_count=row.o, comment_count=comments)
    stdout.write(f"proposals: {len(themes)} themes, {made} proposals")
