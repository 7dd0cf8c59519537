from __future__ import annotations

import pytest

PASSWORD = "correct horse battery"


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_user(username="sam", password=PASSWORD, is_staff=True)


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
