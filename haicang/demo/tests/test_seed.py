import pytest
from django.contrib.auth import get_user_model

from haicang.core.actors import Actor
from haicang.demo.seed import DEMO_LOGINS, demo_world_seed


@pytest.mark.django_db
def test_the_demo_logins_work_with_the_printed_passwords():
    logins = demo_world_seed(actor=Actor.system("demo"))

    users = get_user_model().objects
    for login in logins:
        assert users.get(username=login.username).check_password(login.password)
    assert users.get(username="admin").is_staff
    assert not users.get(username="seller").is_staff


@pytest.mark.django_db
def test_seeding_twice_changes_nothing():
    demo_world_seed(actor=Actor.system("demo"))
    counts = get_user_model().objects.count()

    demo_world_seed(actor=Actor.system("demo"))

    assert get_user_model().objects.count() == counts == len(DEMO_LOGINS)
