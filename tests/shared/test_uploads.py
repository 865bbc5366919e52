"""The shared upload checker: size, empty file, type read from the content, random stored names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import TooLarge, ValidationFailed
from core.uploads import IMAGES, PDF_ONLY, check_upload, display_name, random_name
from tests.shared.files import image

PNG = image("PNG", (4, 4), "red")


def test_an_image_is_recognised_by_its_content_whatever_its_name():
    checked = check_upload(SimpleUploadedFile("../../etc/notes.pdf", PNG), allowed=IMAGES)
    assert (checked.mime, checked.extension) == ("image/png", "png")
    assert checked.display_name == "notes.pdf" and checked.data == PNG


def test_a_file_of_another_type_is_refused_with_the_given_message():
    with pytest.raises(ValidationFailed) as caught:
        check_upload(SimpleUploadedFile("x.pdf", b"<html>hello</html>"), allowed=PDF_ONLY, refused_message="PDF only")
    assert caught.value.field == "file" and str(caught.value.message) == "PDF only"


def test_a_fake_pdf_header_deep_in_the_file_is_refused():
    with pytest.raises(ValidationFailed):
        check_upload(SimpleUploadedFile("x.pdf", b"junk" * 10 + b"%PDF-1.4"), allowed=PDF_ONLY)


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        check_upload(SimpleUploadedFile("x.png", b""), allowed=IMAGES)
    assert "vide" in str(caught.value.message) or "empty" in str(caught.value.message)


def test_a_file_over_the_limit_is_too_large(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(TooLarge):
        check_upload(SimpleUploadedFile("x.pdf", b"%PDF-1.4" + b"0" * 2000), allowed=PDF_ONLY)


def test_stored_names_are_random_and_keep_no_part_of_the_upload_name():
    first, second = random_name("proposals", "jpg"), random_name("proposals", "jpg")
    assert first != second and first.startswith("proposals/") and first.endswith(".jpg")
    assert len(first.split("/")[1]) == len("0" * 32) + len(".jpg")


def test_display_name_drops_folders():
    assert display_name("C:\\Users\\moi\\IMG_1234.jpg") == "IMG_1234.jpg"
    assert display_name("") == "file"
