import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role, can_enter",
    [
        ("anonymous", False),
        ("member", False),
        ("specialist", False),
        ("moderator", False),
        ("editor", True),
        ("staff", True),
    ],
)
def test_only_editors_and_staff_reach_the_wagtail_admin(client, user_with_role, role, can_enter):
    user = user_with_role(role)
    if user:
        client.force_login(user)
    response = client.get("/admin/")
    if can_enter:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "login" in response["Location"]


@pytest.mark.parametrize(
    "role, can_publish", [("editor", True), ("moderator", False), ("member", False)]
)
def test_editors_can_publish_pages(user_with_role, role, can_publish):
    from home.models import HomePage

    user = user_with_role(role)
    home = HomePage.objects.get(locale__language_code="ar")
    assert home.permissions_for_user(user).can_publish() is can_publish


def test_django_admin_is_for_staff_only(client, user_with_role):
    client.force_login(user_with_role("editor"))
    assert client.get("/django-admin/").status_code == 302
    client.force_login(user_with_role("staff"))
    assert client.get("/django-admin/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/admin/snippets/directory/fieldofactivity/",
        "/admin/snippets/home/documenttopic/",
        "/admin/documents/",
        "/admin/images/",
    ],
)
@pytest.mark.parametrize(
    "role, allowed", [("editor", True), ("moderator", False), ("member", False)]
)
def test_editors_manage_taxonomies_library_and_settings(
    client, user_with_role, path, role, allowed
):
    client.force_login(user_with_role(role))
    response = client.get(path)
    assert (response.status_code == 200) is allowed


def test_editors_edit_the_site_settings(client, user_with_role):
    client.force_login(user_with_role("editor"))
    response = client.get("/admin/settings/home/sitesettings/", follow=True)
    assert response.status_code == 200
    assert "contact@rabita.ma" in response.content.decode()
