"""Attachments: images and PDF, recognised by their content (not their name), size-limited, images resized."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from assembly.models import User
from core.audit import record
from core.errors import ValidationFailed
from core.services import require
from core.uploads import IMAGES, PDF, check_size, check_upload
from proposals.models import Attachment, Proposal
from proposals.services._common import lock, require_visible

IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
ACCEPTED = {**IMAGES, PDF: "pdf"}
# Images are scaled down to fit this box (phones send 12-megapixel photos).
IMAGE_MAX_SIDE = 1600
MAX_ATTACHMENTS = 10


def _resize(data: bytes, image_format: str) -> bytes:
    image: Image.Image  # the opened file, or its RGB conversion
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            # Re-encoding drops metadata (EXIF, GPS position of the phone).
            image.save(out, format=image_format, quality=85) if image_format != "PNG" else image.save(out, "PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationFailed(_("This image cannot be read."), field="file") from exc


def attachment_add(*, by: User, proposal: Proposal, upload: UploadedFile[bytes]) -> Attachment:
    """Attach an image (JPEG, PNG, WebP) or a PDF to PROPOSAL; the type is read from the content.

    The file is stored under a random name; the uploader's name is kept only for display.
    """
    require_visible(by, proposal)
    require(by, "proposals.add_attachment", proposal, _("You cannot add a file to this proposal."))
    check_size(upload.size)
    checked = check_upload(
        upload, allowed=ACCEPTED, refused_message=_("Only images (JPEG, PNG, WebP) and PDF documents are accepted.")
    )
    data = checked.data
    if checked.mime in IMAGE_TYPES:
        data = _resize(data, IMAGE_TYPES[checked.mime])
        attachment_kind = Attachment.Kind.IMAGE
    else:
        attachment_kind = Attachment.Kind.PDF
    attachment = Attachment(
        proposal=proposal,
        kind=attachment_kind,
        original_name=checked.display_name,
        content_type=checked.mime,
        size=len(data),
        uploaded_by=by,
    )
    attachment.file.save(f"file.{checked.extension}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            # The lock makes "count then insert" atomic: two uploads at once cannot pass the limit.
            proposal = lock(proposal)
            if proposal.attachments.count() >= MAX_ATTACHMENTS:
                raise ValidationFailed(
                    _("At most %(max)s files per proposal.") % {"max": MAX_ATTACHMENTS}, field="file"
                )
            require(by, "proposals.add_attachment", proposal, _("You cannot add a file to this proposal."))
            attachment.proposal = proposal
            attachment.save()
            record(actor=by, action="proposals.attachment_add", target=attachment, data={"proposal": proposal.pk})
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def attachment_remove(*, by: User, attachment: Attachment) -> None:
    proposal = attachment.proposal
    require(by, "proposals.add_attachment", proposal, _("You cannot remove this file."))
    with transaction.atomic():
        record(actor=by, action="proposals.attachment_remove", target=attachment, data={"proposal": proposal.pk})
        attachment.delete()
        transaction.on_commit(lambda: attachment.file.delete(save=False))
