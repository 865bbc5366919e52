"""The assembly: départements, territories, assemblies, people and their mandates, the audit log.

Invariants that the database can hold are constraints here; everything that writes goes
through `assembly.services`.
"""

from __future__ import annotations

import datetime as dt
from typing import Self, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: member, partner representative, Region staff or admin.

    What a person may do comes from their mandates and roles (see `assembly.rules`), not
    from this row alone. `is_staff` marks Region staff ("équipe d'animation"); `is_superuser`
    marks administrators.
    """

    email = models.EmailField(_("email"), max_length=254, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=[("fr", "Français"), ("en", "English")], default="fr"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Region staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Set when personal data was erased on request (RGPD): the row stays so that
    # contributions keep their author, shown as "ancien membre".
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.erased_at:
            return str(_("former member"))
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def has_perm(self, perm: str, obj: object = None) -> bool:
        """Ask every backend, with no shortcut for administrators.

        Django lets an active superuser pass every check; here an administrator holds exactly
        the rules written for admins (see `assembly.rules`): an admin who holds no mandate
        must not vote as a member. Django's model permissions still all hold for them.
        """
        from django.contrib.auth.models import _user_has_perm  # type: ignore[attr-defined]  # private, not in the stubs

        return self.is_active and _user_has_perm(self, perm, obj)

    def get_short_name(self) -> str:
        return self.first_name


class Departement(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Territory(models.Model):
    """A territorial-contract perimeter; it holds SEATS seats, shared by the two colleges at parity."""

    class Kind(models.TextChoices):
        METROPOLE = "metropole", _("metropolis")
        URBAN_COMMUNITY = "urban_community", _("urban community")
        AGGLOMERATION = "agglomeration", _("agglomeration community")
        PAYS = "pays", _("Pays / PETR")
        PNR = "pnr", _("regional natural park")
        COMMUNES = "communes", _("community of communes")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="territories", verbose_name=_("main département")
    )
    seats = models.PositiveSmallIntegerField(_("seats"), default=4)

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["departement_id", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=2) & Q(seats__lte=20), name="territory_seats_range"),
        ]

    def __str__(self) -> str:
        return self.name


class College(models.TextChoices):
    ELECTED = "elected", _("elected")
    CITIZEN = "citizen", _("citizen")


class Gender(models.TextChoices):
    WOMAN = "woman", _("woman")
    MAN = "man", _("man")


class CopresidencyColleges(models.TextChoices):
    """Which college(s) elect the co-presidency of an assembly."""

    ELECTED = "elected", _("the elected college")
    CITIZEN = "citizen", _("the citizen college")
    BOTH = "both", _("both colleges")


class Assembly(models.Model):
    """A consultative body (the Assemblée des Territoires, a Parlement de la Mer, …)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=32, unique=True)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    description = models.TextField(_("description"), blank=True)
    mandate_start = models.DateField(_("mandate start"))
    mandate_end = models.DateField(_("mandate end"))
    territories = models.ManyToManyField(
        Territory, related_name="assemblies", blank=True, verbose_name=_("territories")
    )
    # The rule set of its co-presidency election. The defaults are the Assemblée des Territoires':
    # two co-presidents from the elected college (candidacies validated by the members' vote),
    # one woman and one man.
    copresidency_colleges = models.CharField(
        _("colleges electing the co-presidency"),
        max_length=16,
        choices=CopresidencyColleges.choices,
        default=CopresidencyColleges.ELECTED,
        help_text=_("The college(s) whose members stand for the co-presidency."),
    )
    copresidents_per_college = models.PositiveSmallIntegerField(_("co-presidents per electing college"), default=2)
    copresidency_parity = models.BooleanField(
        _("co-presidency parity"),
        default=True,
        help_text=_("The co-presidents are as many women as men (one woman and one man for two seats)."),
    )

    class Meta:
        verbose_name = _("assembly")
        verbose_name_plural = _("assemblies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mandate_end__gt=models.F("mandate_start")), name="assembly_mandate_order"
            ),
            models.CheckConstraint(condition=Q(copresidents_per_college__gte=1), name="assembly_copresidents_positive"),
            models.CheckConstraint(
                condition=Q(copresidency_colleges__in=CopresidencyColleges.values),
                name="assembly_copresidency_colleges_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def electing_colleges(self) -> tuple[str, ...]:
        """The colleges whose members stand for (and hold) the co-presidency, in the colleges' order."""
        if self.copresidency_colleges == CopresidencyColleges.BOTH:
            return (College.ELECTED.value, College.CITIZEN.value)
        return (str(self.copresidency_colleges),)

    @property
    def copresidency_seats(self) -> int:
        """The co-presidency's seats in all: the seats per electing college times those colleges."""
        return self.copresidents_per_college * len(self.electing_colleges)


def not_ended_q(day: dt.date, prefix: str = "") -> Q:
    """Dated roles (mandates, partner roles) not ended before DAY: running on DAY or starting later.

    The end date is the role's last day (inclusive). PREFIX reaches them through a relation
    ("mandates__"). `active_q` adds the start; the voter's rule in plain SQL (`selectors.roles_of`)
    is pinned to these by tests/votes/test_sql_statements.py.
    """
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})


def active_q(day: dt.date, prefix: str = "") -> Q:
    """Dated roles running on DAY: started on or before it, not ended before it."""
    return Q(**{f"{prefix}start_date__lte": day}) & not_ended_q(day, prefix)


_Dated = TypeVar("_Dated", bound=models.Model)


class MandateQuerySet(models.QuerySet[_Dated]):
    """Rows that hold between a start and an (inclusive, optional) end date: mandates and representations."""

    def active_on(self, day: dt.date | None = None) -> Self:
        return self.filter(active_q(day or timezone.localdate()))


class Mandate(models.Model):
    """A person's seat in an assembly, for a territory and a college, between two dates.

    History is kept: a member who leaves gets an end date, never a deletion. The end date
    is the last day of the mandate (inclusive).
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("person"))
    assembly = models.ForeignKey(
        Assembly, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("assembly")
    )
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("territory")
    )
    college = models.CharField(_("college"), max_length=16, choices=College.choices)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    title = models.CharField(_("mandate title"), max_length=200, blank=True, help_text=_("e.g. Maire de Gignac"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_copresident = models.BooleanField(_("co-president"), default=False)

    objects = MandateQuerySet.as_manager()

    # Set only on the mandates that `assembly.selectors.mandates_of` returns, for the member page.
    can_end: bool

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["assembly_id", "territory_id", "college", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="mandate_dates_order",
            ),
            # One open mandate per person and assembly; past ones are kept as history.
            models.UniqueConstraint(
                fields=["user", "assembly"], condition=Q(end_date__isnull=True), name="mandate_one_open_per_assembly"
            ),
            models.CheckConstraint(condition=Q(college__in=College.values), name="mandate_college_valid"),
            models.CheckConstraint(condition=Q(gender__in=Gender.values), name="mandate_gender_valid"),
        ]
        indexes = [models.Index(fields=["assembly", "end_date"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.assembly.short_name} ({self.territory})"

    def is_active(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class Copresidency(models.Model):
    """A co-presidency mandate: a member who co-presides over the assembly, between two dates.

    `college` is the co-president's college (one of the assembly's electing colleges). Started by
    `assembly.services.copresidency_replace` (an election's proclamation: the new co-presidency
    replaces the current one as a whole) or `copresidency_start` (staff fill a free seat).
    `ended_on` is the last day (inclusive).
    `ballot_ref` names the ballot that elected them ("ballot:<id>"), blank when set by hand.
    """

    assembly = models.ForeignKey(
        Assembly, on_delete=models.PROTECT, related_name="copresidencies", verbose_name=_("assembly")
    )
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="copresidencies", verbose_name=_("person"))
    college = models.CharField(_("college"), max_length=16, choices=College.choices)
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    ballot_ref = models.CharField(_("ballot"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("co-presidency")
        verbose_name_plural = _("co-presidencies")
        ordering = ["assembly_id", "college", "-started_on"]
        constraints = [
            # One current co-presidency per person and assembly. The number of seats (per college,
            # an assembly setting) is enforced by the services, under a lock on the assembly row.
            models.UniqueConstraint(
                fields=["assembly", "person"],
                condition=Q(ended_on__isnull=True),
                name="copresidency_one_current_per_person",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="copresidency_dates_order",
            ),
            models.CheckConstraint(condition=Q(college__in=College.values), name="copresidency_college_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.assembly.short_name} ({self.get_college_display()})"


class PartnerOrganisation(models.Model):
    """An invited organisation: contributes (comments, avis), never votes, never counted."""

    class Kind(models.TextChoices):
        DEPARTMENTAL_COUNCIL = "departmental_council", _("departmental council")
        MAYORS_ASSOCIATION = "mayors_association", _("departmental mayors' association")
        RURAL_MAYORS_ASSOCIATION = "rural_mayors_association", _("rural mayors' association")
        CESER = "ceser", _("regional economic, social and environmental council")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        verbose_name=_("département"),
    )
    assembly = models.ForeignKey(
        Assembly, on_delete=models.PROTECT, related_name="partners", verbose_name=_("assembly")
    )

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["assembly", "name"], name="partner_unique_name_per_assembly")]

    def __str__(self) -> str:
        return self.name


class PartnerRepresentative(models.Model):
    """A person speaking for a partner organisation, between two dates."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="representations", verbose_name=_("person"))
    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="representatives", verbose_name=_("organisation")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner representative")
        verbose_name_plural = _("partner representatives")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="representative_dates_order",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"], condition=Q(end_date__isnull=True), name="representative_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class SignInLink(models.Model):
    """A single-use, short-lived passwordless sign-in link. Only a hash of the token is stored."""

    class Purpose(models.TextChoices):
        SIGN_IN = "sign_in", _("sign-in")
        INVITATION = "invitation", _("invitation")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_links")
    token_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.SIGN_IN)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="signinlink_expiry_order"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} link for {self.user_id}"
