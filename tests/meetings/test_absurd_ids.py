"""Meeting pages with an id past 64 bits answer 404 (the path converter refuses it), never a 500."""

from __future__ import annotations

import pytest

from core.ids import MAX_ID, IdConverter


@pytest.mark.parametrize(
    "path",
    [
        "/reunions/calendrier/{}/",
        "/reunions/gestion/seances/{}/",
        "/reunions/gestion/points/{}/",
        "/reunions/seances/{}/emargement/",
    ],
)
@pytest.mark.parametrize("absurd", [MAX_ID + 1, 2**64, 10**20])
def test_a_meeting_page_with_an_absurd_id_is_not_found(staff_client, path, absurd):
    assert staff_client.get(path.format(absurd)).status_code == 404


def test_the_largest_id_is_still_an_id_and_finds_nothing(staff_client):
    assert staff_client.get(f"/reunions/calendrier/{MAX_ID}/").status_code == 404


def test_the_converter_refuses_what_no_row_can_have():
    converter = IdConverter()
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    for value in ("0", str(MAX_ID + 1), "9" * 19):
        with pytest.raises(ValueError):
            converter.to_python(value)
