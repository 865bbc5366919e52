"""The minutes (procès-verbal) of a sitting: generated, edited by staff, adopted.

- `minutes_generate`: a new draft version built from the database (`votes.minutes_document`),
  as ODT and PDF, once the sitting is closed and none of its ballots is still open;
- `minutes_upload_edited`: a new draft version from an ODT staff edited (and, if they wish, the
  PDF they exported from it), each checked by its content (`core.uploads`);
- `minutes_adopt`: the assembly adopted one version; the sitting's minutes are then frozen (no
  new version, generated or uploaded) and published (`votes.selectors.adopted_minutes`).

Rule `votes.manage_minutes` (staff) for all three. Each change is journaled; the sitting row is
locked first, so that two staff members generating at once get versions n and n+1, and an
adoption and a new version never cross.
"""

from __future__ import annotations

import hashlib
import io
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from assembly.models import User
from core import audit, odt, pdf
from core.errors import Conflict, ValidationFailed
from core.services import require
from core.uploads import OPENDOCUMENTS, PDF_ONLY, check_upload, random_name
from meetings.models import Sitting
from votes import minutes_document
from votes.models import Ballot, Minutes

FOLDER = "votes/minutes"
ODT_ONLY = {odt.CONTENT_TYPE: OPENDOCUMENTS[odt.CONTENT_TYPE]}


def _lock(sitting: Sitting) -> Sitting:
    # Serialises version numbers and adoption per sitting (see the module docstring).
    return Sitting.objects.select_for_update().get(pk=sitting.pk)


def _refuse_if_adopted(sitting: Sitting) -> None:
    if Minutes.objects.filter(sitting=sitting, state=Minutes.State.ADOPTED).exists():
        raise Conflict(
            _("The minutes of this sitting are adopted: they can no longer be regenerated or replaced."),
            code="minutes_adopted",
        )


def _next_version(sitting: Sitting) -> int:
    return (Minutes.objects.filter(sitting=sitting).aggregate(last=Max("version"))["last"] or 0) + 1


def _save(minutes: Minutes, *, odt_data: bytes, pdf_data: bytes | None, stored: list[str]) -> None:
    """Store the files under random names (listed in STORED, for the caller to remove on failure), then the row."""
    minutes.odt.save(random_name(FOLDER, "odt"), ContentFile(odt_data), save=False)
    stored.append(str(minutes.odt.name))
    if pdf_data is not None:
        minutes.pdf.save(random_name(FOLDER, "pdf"), ContentFile(pdf_data), save=False)
        stored.append(str(minutes.pdf.name))
    try:
        with transaction.atomic():
            minutes.save()
    except IntegrityError as exc:
        raise Conflict(_("Another version was saved at the same time; try again."), code="minutes_conflict") from exc


def _remove(stored: list[str]) -> None:
    # The row was rolled back: the files written for it must not stay behind, orphaned.
    for name in stored:
        default_storage.delete(name)


def render_minutes(sitting: Sitting) -> tuple[bytes, bytes, str]:
    """The minutes of SITTING as (ODT, PDF, title), in the site's language, read from the database now."""
    with translation.override(settings.LANGUAGE_CODE):
        data = minutes_document.read_minutes(sitting)
        blocks = minutes_document.minutes_blocks(data)
        title = minutes_document.minutes_title(data)
        buffer = io.BytesIO()
        odt.write_odt(
            blocks,
            buffer,
            title=title,
            language=settings.LANGUAGE_CODE,
            creator=data.sitting.assembly.name,
            moment=timezone.localtime(data.generated_at),
        )
        pdf_data = pdf.blocks_pdf(blocks, title=title)
    return buffer.getvalue(), pdf_data, title


def minutes_generate(*, by: User, sitting: Sitting) -> Minutes:
    """A new draft version of SITTING's minutes, generated from what the database holds.

    Refused (Conflict) while the sitting is not closed or one of its ballots is still open, and
    once the minutes are adopted ("minutes_adopted": nothing is written).
    """
    require(by, "votes.manage_minutes", sitting)
    stored: list[str] = []
    try:
        return _generate(by, sitting, stored)
    except Exception:
        _remove(stored)
        raise


def _generate(by: User, sitting: Sitting, stored: list[str]) -> Minutes:
    with transaction.atomic():
        sitting = _lock(sitting)
        _refuse_if_adopted(sitting)
        if sitting.state != Sitting.State.CLOSED:
            raise Conflict(_("Minutes are drawn up once the sitting is closed."), code="sitting_not_closed")
        if Ballot.objects.filter(sitting=sitting, state=Ballot.State.OPEN).exists():
            raise Conflict(_("A ballot of this sitting is still open: close it first."), code="ballot_still_open")
        odt_data, pdf_data, _title = render_minutes(sitting)
        minutes = Minutes(
            sitting=sitting,
            version=_next_version(sitting),
            origin=Minutes.Origin.GENERATED,
            odt_sha256=hashlib.sha256(odt_data).hexdigest(),
            created_by=by,
        )
        _save(minutes, odt_data=odt_data, pdf_data=pdf_data, stored=stored)
        audit.record(
            actor=by,
            action="votes.minutes_generate",
            target=minutes,
            data={"sitting": sitting.pk, "version": minutes.version, "odt_sha256": minutes.odt_sha256},
        )
    return minutes


def _check_odt(upload: UploadedFile[bytes]) -> bytes:
    message = _("Only an OpenDocument text file (.odt) is accepted.")
    checked = check_upload(upload, allowed=ODT_ONLY, refused_message=message, field="odt")
    # The type is read from the first entry; an ODT also needs its content to open at all.
    try:
        with zipfile.ZipFile(io.BytesIO(checked.data)) as archive:
            archive.getinfo("content.xml")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ValidationFailed(message, field="odt") from exc
    return checked.data


def minutes_upload_edited(
    *, by: User, sitting: Sitting, odt_file: UploadedFile[bytes], pdf_file: UploadedFile[bytes] | None = None
) -> Minutes:
    """A new draft version of SITTING's minutes from an ODT staff edited, with its PDF if given.

    The ODT (field "odt") and the PDF (field "pdf") are checked by their content; anything else
    is refused and nothing is stored. Refused once the minutes are adopted.
    """
    require(by, "votes.manage_minutes", sitting)
    odt_data = _check_odt(odt_file)
    pdf_data = None
    if pdf_file is not None:
        pdf_data = check_upload(
            pdf_file, allowed=PDF_ONLY, refused_message=_("Only a PDF file is accepted."), field="pdf"
        ).data
    stored: list[str] = []
    try:
        return _upload(by, sitting, odt_data, pdf_data, stored)
    except Exception:
        _remove(stored)
        raise


def _upload(by: User, sitting: Sitting, odt_data: bytes, pdf_data: bytes | None, stored: list[str]) -> Minutes:
    with transaction.atomic():
        sitting = _lock(sitting)
        _refuse_if_adopted(sitting)
        if not Minutes.objects.filter(sitting=sitting).exists():
            raise Conflict(_("Generate the minutes first, then edit them."), code="minutes_not_generated")
        minutes = Minutes(
            sitting=sitting,
            version=_next_version(sitting),
            origin=Minutes.Origin.EDITED,
            odt_sha256=hashlib.sha256(odt_data).hexdigest(),
            created_by=by,
        )
        _save(minutes, odt_data=odt_data, pdf_data=pdf_data, stored=stored)
        audit.record(
            actor=by,
            action="votes.minutes_upload_edited",
            target=minutes,
            data={"sitting": sitting.pk, "version": minutes.version, "odt_sha256": minutes.odt_sha256},
        )
    return minutes


def minutes_adopt(*, by: User, minutes: Minutes) -> Minutes:
    """Record that the assembly adopted MINUTES: frozen from now on, and published."""
    require(by, "votes.manage_minutes", minutes.sitting)
    with transaction.atomic():
        _lock(minutes.sitting)
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        _refuse_if_adopted(minutes.sitting)
        minutes.state = Minutes.State.ADOPTED
        minutes.adopted_at = timezone.now()
        minutes.adopted_by = by
        minutes.save(update_fields=["state", "adopted_at", "adopted_by"])
        audit.record(
            actor=by,
            action="votes.minutes_adopt",
            target=minutes,
            data={"sitting": minutes.sitting_id, "version": minutes.version, "odt_sha256": minutes.odt_sha256},
        )
    return minutes
