from __future__ import annotations

import pytest
from django.urls import reverse

from haicang.web.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_of_home_is_sent_to_the_login_page(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_the_login_page_offers_both_languages_named_in_their_own_language(client):
    response = client.get("/login/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en"' in html
    assert 'action="/i18n/setlang/"' in html
    assert ">English</button>" in html
    assert ">简体中文</button>" in html


def test_signing_in_with_the_right_password_leads_home(client, user):
    response = client.post("/login/", {"username": "alice", "password": PASSWORD, "next": "/"}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert "Welcome, alice" in response.content.decode()


def test_signing_in_with_a_wrong_password_is_refused_with_a_message(client, user):
    response = client.post("/login/", {"username": "alice", "password": "wrong"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'role="alert"' in response.content.decode()


def test_a_signed_in_visitor_of_the_login_page_goes_home(signed_in):
    response = signed_in.get("/login/")

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_signing_out_takes_a_post_and_ends_the_session(signed_in):
    refused = signed_in.get("/logout/")
    response = signed_in.post("/logout/")

    assert refused.status_code == 405
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert signed_in.get("/").status_code == 302


def test_a_member_sees_home_but_not_the_staff_entries(signed_in):
    html = signed_in.get("/").content.decode()

    assert 'href="/" aria-current="page">Home</a>' in html
    assert "Admin</a>" not in html
    assert "API docs</a>" not in html
    assert 'action="/logout/"' in html


def test_staff_also_see_admin_and_api_docs(staff_client):
    html = staff_client.get("/").content.decode()

    assert f'href="{reverse("admin:index")}">Admin</a>' in html
    assert f'href="{reverse("api-docs")}">API docs</a>' in html


def test_switching_to_simplified_chinese_shows_the_pages_in_chinese(signed_in):
    # when the visitor picks 简体中文
    response = signed_in.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    # then they come back to the page, now in Chinese
    assert response.status_code == 302 and response["Location"] == "/"
    html = signed_in.get("/").content.decode()
    assert '<html lang="zh-hans"' in html
    assert "首页</a>" in html
    assert "欢迎，alice" in html
    assert "退出登录" in html
    # and switching back gives English again
    signed_in.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Welcome, alice" in signed_in.get("/").content.decode()


def test_the_layout_loads_htmx_2_from_this_server(client):
    html = client.get("/login/").content.decode()

    assert '<script src="/static/django_htmx/htmx-2.min.js"' in html
    script = client.get("/static/django_htmx/htmx-2.min.js")
    assert script.status_code == 200
    assert b'version:"2.' in b"".join(script.streaming_content)


def test_the_stylesheet_is_served_from_this_server(client):
    html = client.get("/login/").content.decode()

    assert '<link rel="stylesheet" href="/static/web/haicang.css">' in html
    assert client.get("/static/web/haicang.css").status_code == 200


def test_an_unknown_page_answers_404_in_the_layout(signed_in):
    response = signed_in.get("/no/such/page/")

    assert response.status_code == 404
    assert "Not found" in response.content.decode()


def test_home_lists_the_sections_open_to_the_user_besides_home_itself(client, user, staff_user):
    client.force_login(user)
    member = client.get("/").content.decode()
    client.force_login(staff_user)
    boss = client.get("/").content.decode()

    assert 'class="tiles"' not in member
    assert "No sections are open to your account yet." in member
    assert 'class="tile" href="/admin/">Admin</a>' in boss
    assert 'class="tile" href="/"' not in boss
