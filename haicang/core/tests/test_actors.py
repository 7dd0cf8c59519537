import uuid

import pytest
from django.contrib.auth.models import AnonymousUser

from haicang.core.actors import Actor
from haicang.core.models import ActorKind


@pytest.mark.django_db
def test_a_user_actor_names_the_user(user):
    actor = Actor.for_user(user)

    assert (actor.kind, actor.label, actor.user_id) == (ActorKind.USER, "alice", user.pk)


def test_an_anonymous_visitor_cannot_act():
    with pytest.raises(ValueError, match="anonymous"):
        Actor.for_user(AnonymousUser())


def test_an_api_key_actor_carries_the_key_id():
    key = uuid.uuid4()

    actor = Actor.for_api_key(key_id=key, label="shopify-sync")

    assert (actor.kind, actor.api_key_id, actor.label) == (ActorKind.API_KEY, key, "api-key:shopify-sync")


def test_a_system_actor_must_name_its_job():
    assert Actor.system("nightly-forecast").label == "system:nightly-forecast"
    with pytest.raises(ValueError, match="names the job"):
        Actor.system("")
