import pytest

from haicang.integration.signing import SignatureRejected, signature_header, signature_verify

BODY = b'{"id":"e1"}'
NOW = 1_780_000_000


def test_a_body_signed_with_the_receivers_secret_is_accepted():
    header = signature_header(secrets=["s1"], timestamp=NOW, body=BODY)

    signature_verify(body=BODY, timestamp=str(NOW), signature=header, secrets=["s1"], now=NOW + 10)


def test_during_rotation_either_secret_verifies_the_body():
    header = signature_header(secrets=["new", "old"], timestamp=NOW, body=BODY)

    signature_verify(body=BODY, timestamp=str(NOW), signature=header, secrets=["old"], now=NOW)
    signature_verify(body=BODY, timestamp=str(NOW), signature=header, secrets=["new"], now=NOW)


def test_a_changed_body_or_an_unknown_secret_is_rejected():
    header = signature_header(secrets=["s1"], timestamp=NOW, body=BODY)

    with pytest.raises(SignatureRejected, match="no signature matches"):
        signature_verify(body=BODY + b" ", timestamp=str(NOW), signature=header, secrets=["s1"], now=NOW)
    with pytest.raises(SignatureRejected, match="no signature matches"):
        signature_verify(body=BODY, timestamp=str(NOW), signature=header, secrets=["other"], now=NOW)


def test_a_replay_older_than_five_minutes_is_rejected():
    header = signature_header(secrets=["s1"], timestamp=NOW, body=BODY)

    signature_verify(body=BODY, timestamp=str(NOW), signature=header, secrets=["s1"], now=NOW + 300)
    with pytest.raises(SignatureRejected, match="replay window"):
        signature_verify(body=BODY, timestamp=str(NOW), signature=header, secrets=["s1"], now=NOW + 301)


def test_a_timestamp_changed_by_an_attacker_breaks_the_signature():
    header = signature_header(secrets=["s1"], timestamp=NOW, body=BODY)

    with pytest.raises(SignatureRejected):
        signature_verify(body=BODY, timestamp=str(NOW + 60), signature=header, secrets=["s1"], now=NOW + 60)
