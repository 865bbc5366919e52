"""Demo data of the assembly app: a realistic Assemblée des Territoires, deterministic and idempotent.

Run through `manage.py seed_demo`. Everything is looked up before it is created, so a second
run changes nothing. People are invented (names, emails); titles and places are realistic.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from assembly.models import (
    Assembly,
    College,
    Copresidency,
    Departement,
    Gender,
    Mandate,
    PartnerOrganisation,
    PartnerRepresentative,
    Territory,
    User,
)
from tests import factories

# code, name, "de" form used in organisation names
DEPARTEMENTS = [
    ("09", "Ariège", "de l'Ariège"),
    ("11", "Aude", "de l'Aude"),
    ("12", "Aveyron", "de l'Aveyron"),
    ("30", "Gard", "du Gard"),
    ("31", "Haute-Garonne", "de la Haute-Garonne"),
    ("32", "Gers", "du Gers"),
    ("34", "Hérault", "de l'Hérault"),
    ("46", "Lot", "du Lot"),
    ("48", "Lozère", "de la Lozère"),
    ("65", "Hautes-Pyrénées", "des Hautes-Pyrénées"),
    ("66", "Pyrénées-Orientales", "des Pyrénées-Orientales"),
    ("81", "Tarn", "du Tarn"),
    ("82", "Tarn-et-Garonne", "de Tarn-et-Garonne"),
]

K = Territory.Kind
# name, kind, main département, main town (for mandate titles).
# The first 21 perimeters are named in public sources about the contracts 2022–2028.
REAL_TERRITORIES = [
    ("PETR Pays Portes de Gascogne", K.PAYS, "32", "Gimont"),
    ("PETR Pays Midi-Quercy", K.PAYS, "82", "Caussade"),
    ("Pays Cœur d'Hérault", K.PAYS, "34", "Gignac"),
    ("PETR Pays d'Armagnac", K.PAYS, "32", "Eauze"),
    ("Communauté de communes Couserans-Pyrénées", K.COMMUNES, "09", "Montesquieu-Avantès"),
    ("Pays Pyrénées-Méditerranée", K.PAYS, "66", "Céret"),
    ("PETR Garonne Quercy Gascogne", K.PAYS, "82", "Moissac"),
    ("Pôle territorial de l'Albigeois et des Bastides", K.PAYS, "81", "Réalmont"),
    ("PETR Pays de Cocagne", K.PAYS, "81", "Lavaur"),
    ("PETR de l'Ariège", K.PAYS, "09", "Foix"),
    ("Pays Sud Toulousain", K.PAYS, "31", "Carbonne"),
    ("Pays Lauragais", K.PAYS, "31", "Villefranche-de-Lauragais"),
    ("Territoire des Cévennes gardoises", K.PAYS, "30", "Saint-Jean-du-Gard"),
    ("Agglomération Hérault Méditerranée", K.AGGLOMERATION, "34", "Agde"),
    ("Agglomération Tarbes-Lourdes-Pyrénées", K.AGGLOMERATION, "65", "Tarbes"),
    ("Carcassonnais", K.AGGLOMERATION, "11", "Carcassonne"),
    ("Agglomération du Pays de l'Or", K.AGGLOMERATION, "34", "Mauguio"),
    ("Toulouse Métropole", K.METROPOLE, "31", "Toulouse"),
    ("Montpellier Méditerranée Métropole", K.METROPOLE, "34", "Montpellier"),
    ("Perpignan Méditerranée Métropole", K.URBAN_COMMUNITY, "66", "Perpignan"),
    ("PNR des Pyrénées Ariégeoises", K.PNR, "09", "Seix"),
]
# INVENTED for the demo: plausible perimeters filling the 58; their names and outlines are not
# the official list of contracts.
INVENTED_TERRITORIES = [
    ("Pays des Pyrénées Cathares", K.PAYS, "09", "Lavelanet"),
    ("Agglomération du Grand Narbonne", K.AGGLOMERATION, "11", "Narbonne"),
    ("Pays de la Haute Vallée de l'Aude", K.PAYS, "11", "Limoux"),
    ("PETR Corbières-Minervois", K.PAYS, "11", "Lézignan-Corbières"),
    ("Agglomération du Grand Rodez", K.AGGLOMERATION, "12", "Rodez"),
    ("PNR des Grands Causses", K.PNR, "12", "Millau"),
    ("PETR du Haut-Rouergue", K.PAYS, "12", "Espalion"),
    ("Pays du Ségala-Viaur", K.PAYS, "12", "Naucelle"),
    ("Agglomération Nîmes Métropole", K.AGGLOMERATION, "30", "Nîmes"),
    ("Alès Agglomération", K.AGGLOMERATION, "30", "Alès"),
    ("Pays Uzège-Pont du Gard", K.PAYS, "30", "Uzès"),
    ("PETR du Gard rhodanien", K.PAYS, "30", "Bagnols-sur-Cèze"),
    ("Agglomération du Sicoval", K.AGGLOMERATION, "31", "Labège"),
    ("Agglomération du Muretain", K.AGGLOMERATION, "31", "Muret"),
    ("PETR Pays Comminges Pyrénées", K.PAYS, "31", "Saint-Gaudens"),
    ("Agglomération Grand Auch Cœur de Gascogne", K.AGGLOMERATION, "32", "Auch"),
    ("PETR du Val d'Adour", K.PAYS, "32", "Riscle"),
    ("Agglomération Béziers Méditerranée", K.AGGLOMERATION, "34", "Béziers"),
    ("Sète Agglopôle Méditerranée", K.AGGLOMERATION, "34", "Sète"),
    ("PETR Haut Languedoc et Vignobles", K.PAYS, "34", "Saint-Pons-de-Thomières"),
    ("Agglomération du Grand Cahors", K.AGGLOMERATION, "46", "Cahors"),
    ("PETR Figeac Quercy Vallée de la Dordogne", K.PAYS, "46", "Figeac"),
    ("PNR des Causses du Quercy", K.PNR, "46", "Labastide-Murat"),
    ("Pays de Gourdon", K.PAYS, "46", "Gourdon"),
    ("PETR du Gévaudan-Lozère", K.PAYS, "48", "Mende"),
    ("PNR de l'Aubrac", K.PNR, "48", "Nasbinals"),
    ("Pays des Cévennes lozériennes", K.PAYS, "48", "Florac"),
    ("PETR du Pays des Coteaux", K.PAYS, "65", "Trie-sur-Baïse"),
    ("PETR Pays des Nestes", K.PAYS, "65", "Lannemezan"),
    ("PETR Pays de Lourdes et des Vallées des Gaves", K.PAYS, "65", "Argelès-Gazost"),
    ("PNR des Pyrénées catalanes", K.PNR, "66", "Olette"),
    ("Pays Terres Romanes en Conflent", K.PAYS, "66", "Prades"),
    ("Pays de la Vallée de l'Agly", K.PAYS, "66", "Saint-Paul-de-Fenouillet"),
    ("Agglomération de l'Albigeois", K.AGGLOMERATION, "81", "Albi"),
    ("Agglomération Castres-Mazamet", K.AGGLOMERATION, "81", "Castres"),
    ("PNR du Haut-Languedoc", K.PNR, "81", "Lacaune"),
    ("Agglomération du Grand Montauban", K.AGGLOMERATION, "82", "Montauban"),
]
TERRITORIES = REAL_TERRITORIES + INVENTED_TERRITORIES

WOMEN = [
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sandrine", "Céline", "Valérie", "Christine",
    "Laurence", "Sophie", "Anne", "Véronique", "Hélène", "Émilie", "Julie", "Aurélie", "Camille", "Claire",
    "Agnès", "Delphine", "Martine", "Pascale", "Florence", "Élodie", "Mathilde", "Léa", "Josiane", "Muriel",
    "Françoise", "Brigitte", "Corinne", "Odile", "Maïté", "Fanny", "Cécile", "Mireille", "Geneviève",
]  # fmt: skip
MEN = [
    "Jean", "Philippe", "Michel", "Alain", "Patrick", "Nicolas", "Christophe", "Pierre", "Laurent", "Éric",
    "Frédéric", "Stéphane", "David", "Olivier", "Thierry", "Bernard", "Didier", "Julien", "Sébastien", "Vincent",
    "Jérôme", "François", "Gilles", "Serge", "Thomas", "Guillaume", "Bruno", "Marc", "Jacques", "Yves",
    "Hervé", "Régis", "Lucas", "Antoine", "Mathieu", "Joël", "Damien", "Fabien",
]  # fmt: skip
LAST_NAMES = [
    "Garcia", "Martinez", "Fabre", "Roux", "Vidal", "Bonnet", "Fournier", "Mas", "Marty", "Fabry", "Rouquette",
    "Cazals", "Bousquet", "Delmas", "Vigouroux", "Bories", "Cabrol", "Soulié", "Castan", "Escudié", "Lacombe",
    "Puech", "Teisseyre", "Couderc", "Salvan", "Carrère", "Dupuy", "Lafont", "Barthe", "Pujol", "Sabatier",
    "Estève", "Ferrand", "Bastide", "Mercadier", "Granier", "Azéma", "Calvet", "Cros", "Sarda", "Lagarde",
    "Maurel", "Pagès", "Rigal", "Vayssière", "Bouscatel", "Camps", "Nougaret", "Costes", "Jalabert", "Séguier",
    "Alibert", "Baylac", "Cassagne", "Daudé", "Fontanel", "Gaubert", "Laurens", "Montels", "Peyre", "Raynal",
]  # fmt: skip

ELECTED_TITLES = {
    Gender.WOMAN: [
        "Maire de {town}",
        "Adjointe au maire de {town}",
        "Conseillère départementale",
        "Vice-présidente, {territory}",
    ],
    Gender.MAN: [
        "Maire de {town}",
        "Adjoint au maire de {town}",
        "Conseiller départemental",
        "Vice-président, {territory}",
    ],
}
CITIZEN_TITLES = {
    Gender.WOMAN: ["Citoyenne, {town}", "Membre du conseil de développement", "Citoyenne engagée, {town}"],
    Gender.MAN: ["Citoyen, {town}", "Membre du conseil de développement", "Citoyen engagé, {town}"],
}
SEATS = [
    (College.ELECTED, Gender.WOMAN),
    (College.ELECTED, Gender.MAN),
    (College.CITIZEN, Gender.WOMAN),
    (College.CITIZEN, Gender.MAN),
]
MANDATE_START = dt.date(2023, 11, 15)
# Seats whose first holder left (index of territory, index of seat): they end on LEFT_ON and
# their replacement starts the next day.
LEFT = {(3, 2), (17, 1), (40, 3)}
LEFT_ON = dt.date(2024, 12, 31)
# The co-presidency (the AdT's rule set: two from the elected college, a woman and a man).
COPRESIDENTS = {(4, 0): "Maire de Montesquieu-Avantès", (2, 1): "Maire de Gignac"}
DEMO_MEMBER_SEAT = (17, 3)  # Toulouse Métropole, citizen college, a man

DEMO_ACCOUNTS = [
    ("animation@agora.test", "Region staff (équipe d'animation)"),
    ("admin@agora.test", "administrator"),
    ("membre@agora.test", "member (citizen college, Toulouse Métropole)"),
    ("partenaire@agora.test", "invited partner (CESER Occitanie)"),
]


def _person(index: int, gender: str, *, salt: int = 0) -> tuple[str, str]:
    firsts = WOMEN if gender == Gender.WOMAN else MEN
    first = firsts[(index * 5 + salt) % len(firsts)]
    last = LAST_NAMES[(index * 7 + salt * 3) % len(LAST_NAMES)]
    return first, last


def _email(first: str, last: str, index: int) -> str:
    return f"{slugify(first)}.{slugify(last)}.{index:03d}@agora.test"


def seed(*, stdout) -> None:
    """Create what is missing of the demo assembly; a second run creates nothing."""
    departements, territories, adt = _seed_places()
    seeder = _Seeder(password=make_password(settings.AGORA_DEMO_PASSWORD), assembly=adt)
    _seed_members(seeder, territories)

    # Region staff and an administrator.
    seeder.user("animation@agora.test", "Sophie", "Garrigues", is_staff=True)
    seeder.user("admin@agora.test", "Marc", "Estève", is_staff=True, is_superuser=True)

    _seed_partners(seeder, departements)

    stdout.write(
        f"assembly: {len(territories)} territories, {seeder.created_users} people, {seeder.created_mandates} mandates, "
        f"{seeder.created_partners} partner organisations created."
    )


def _seed_places() -> tuple[dict[str, Departement], list[Territory], Assembly]:
    """The départements, the 58 territories and the three assemblies; returns the Assemblée des Territoires."""
    departements = {code: factories.DepartementFactory.create(code=code, name=name) for code, name, _de in DEPARTEMENTS}
    assert len(TERRITORIES) == 58, len(TERRITORIES)
    territories = [
        factories.TerritoryFactory.create(name=name, slug=slugify(name), kind=kind, departement=departements[code])
        for name, kind, code, _town in TERRITORIES
    ]

    adt = factories.AssemblyFactory.create(
        slug="adt",
        name="Assemblée des Territoires",
        short_name="AdT",
        description=(
            "Espace de dialogue et de concertation où les territoires d'Occitanie formulent des propositions "
            "à la Région pour enrichir les politiques publiques régionales."
        ),
        mandate_start=dt.date(2022, 1, 1),
        mandate_end=dt.date(2028, 12, 31),
    )
    mer = factories.AssemblyFactory.create(
        slug="parlement-de-la-mer",
        name="Parlement de la Mer",
        short_name="PMer",
        description="Instance de concertation de la Région sur la mer et le littoral.",
        mandate_start=dt.date(2022, 1, 1),
        mandate_end=dt.date(2028, 12, 31),
    )
    montagne = factories.AssemblyFactory.create(
        slug="parlement-de-la-montagne",
        name="Parlement de la Montagne",
        short_name="PMontagne",
        description="Instance de concertation de la Région sur les massifs des Pyrénées et du Massif central.",
        mandate_start=dt.date(2022, 1, 1),
        mandate_end=dt.date(2028, 12, 31),
    )
    adt.territories.add(*territories)
    mer.territories.add(*[t for t in territories if t.departement_id in {"11", "30", "34", "66"}])
    montagne.territories.add(*[t for t in territories if t.departement_id in {"09", "12", "48", "65", "66"}])
    return departements, territories, adt


@dataclass
class _Seeder:
    """Makes the people, mandates and partner organisations that are missing, and counts them."""

    password: str
    assembly: Assembly
    created_users: int = 0
    created_mandates: int = 0
    created_partners: int = 0

    def user(self, email: str, first: str, last: str, **extra) -> User:
        existing = User.objects.filter(email=email).first()
        if existing is not None:
            return existing
        self.created_users += 1
        return factories.UserFactory.create(
            email=email, first_name=first, last_name=last, password=factory.Transformer.Force(self.password), **extra
        )

    def mandate(
        self, person: User, territory: Territory, college: str, gender: str, title: str, start, end=None, **extra
    ) -> None:
        if Mandate.objects.filter(user=person, assembly=self.assembly, start_date=start).exists():
            return
        self.created_mandates += 1
        factories.MandateFactory.create(
            user=person,
            assembly=self.assembly,
            territory=territory,
            college=college,
            gender=gender,
            title=title,
            start_date=start,
            end_date=end,
            **extra,
        )

    def copresidency(self, person: User, college: str, start) -> None:
        """The AdT's co-presidency: two members of the elected college, a woman and a man."""
        Copresidency.objects.get_or_create(
            assembly=self.assembly,
            person=person,
            ended_on=None,
            defaults={"college": college, "started_on": start, "ballot_ref": ""},
        )

    def organisation(self, name: str, kind: str, departement=None) -> PartnerOrganisation:
        found = PartnerOrganisation.objects.filter(assembly=self.assembly, name=name).first()
        if found is not None:
            return found
        self.created_partners += 1
        return factories.PartnerOrganisationFactory.create(
            assembly=self.assembly, name=name, kind=kind, departement=departement
        )


def _seed_members(seeder: _Seeder, territories: list[Territory]) -> None:
    """Four seats per territory (an elected woman and man, a citizen woman and man), a few who left."""
    index = 0
    for t_index, ((name, _kind, _code, town), territory) in enumerate(zip(TERRITORIES, territories, strict=True)):
        for s_index, (college, gender) in enumerate(SEATS):
            index += 1
            titles = (ELECTED_TITLES if college == College.ELECTED else CITIZEN_TITLES)[gender]
            title = titles[(t_index + s_index) % len(titles)].format(town=town, territory=name)
            start = MANDATE_START + dt.timedelta(days=(index % 9 == 0) * 200)
            if (t_index, s_index) in COPRESIDENTS:
                title = COPRESIDENTS[(t_index, s_index)]
            if (t_index, s_index) in LEFT:
                first, last = _person(index, gender, salt=11)
                gone = seeder.user(_email(first, last, index + 500), first, last)
                seeder.mandate(gone, territory, college, gender, title, MANDATE_START, end=LEFT_ON)
                start = LEFT_ON + dt.timedelta(days=1)
                title = titles[(t_index + s_index + 1) % len(titles)].format(town=town, territory=name)
            if (t_index, s_index) == DEMO_MEMBER_SEAT:
                person = seeder.user("membre@agora.test", "Lucas", "Ferrand", phone="06 12 34 56 78")
            else:
                first, last = _person(index, gender)
                person = seeder.user(_email(first, last, index), first, last)
            seeder.mandate(
                person,
                territory,
                college,
                gender,
                title,
                start,
                is_copresident=(t_index, s_index) in COPRESIDENTS,
            )
            if (t_index, s_index) in COPRESIDENTS:
                seeder.copresidency(person, college, start)


def _seed_partners(seeder: _Seeder, departements: dict[str, Departement]) -> None:
    """Invited partners: 13 departmental councils, 13 AMF, 12 AMRF, the CESER, and their representatives."""
    organisations = []
    P = PartnerOrganisation.Kind
    for code, _name, de in DEPARTEMENTS:
        organisations.append(
            seeder.organisation(f"Conseil départemental {de}", P.DEPARTMENTAL_COUNCIL, departements[code])
        )
        organisations.append(
            seeder.organisation(f"Association des maires {de}", P.MAYORS_ASSOCIATION, departements[code])
        )
        # Twelve departmental AMRF associations: in this demo, Haute-Garonne has none.
        if code != "31":
            organisations.append(
                seeder.organisation(
                    f"Association des maires ruraux {de}", P.RURAL_MAYORS_ASSOCIATION, departements[code]
                )
            )
    ceser = seeder.organisation("CESER Occitanie", P.CESER)

    partner = seeder.user("partenaire@agora.test", "Agnès", "Cabanel")
    representatives = [(partner, ceser)]
    for number, org in enumerate(itertools.islice(organisations, 0, 12, 3)):
        first, last = _person(900 + number, Gender.WOMAN if number % 2 else Gender.MAN, salt=5)
        representatives.append((seeder.user(_email(first, last, 900 + number), first, last), org))
    for person, org in representatives:
        if not PartnerRepresentative.objects.filter(user=person, organisation=org).exists():
            factories.PartnerRepresentativeFactory.create(
                user=person, organisation=org, start_date=dt.date(2024, 1, 15)
            )
