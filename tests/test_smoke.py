def test_home_page_renders_in_french(anonymous_client, db):
    response = anonymous_client.get("/")
    assert response.status_code == 200
    assert b'lang="fr"' in response.content


def test_member_fixture_is_a_member(member):
    from assembly.selectors import roles_of

    assert roles_of(member).is_member
