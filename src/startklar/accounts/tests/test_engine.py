"""The one-time password engine: RFC test vectors, the time window, replay and recovery codes."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import pytest

from startklar.accounts import engine

# RFC 4226 appendix D and RFC 6238 appendix B use this ASCII secret (SHA-1).
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("counter", "code"),
    list(
        enumerate(
            [
                "755224",
                "287082",
                "359152",
                "969429",
                "338314",
                "254676",
                "287922",
                "162583",
                "399871",
                "520489",
            ]
        )
    ),
)
def test_hotp_matches_rfc_4226(counter: int, code: str) -> None:
    assert engine.hotp(b"12345678901234567890", counter) == code


@pytest.mark.parametrize(
    ("at", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_totp_matches_rfc_6238(at: int, code: str) -> None:
    assert engine.totp(RFC_SECRET, at, digits=8) == code
    assert engine.totp(RFC_SECRET, at) == code[-6:]


def test_a_new_secret_has_160_bits_in_base32() -> None:
    secret = engine.new_secret()
    assert len(secret) == 32
    assert len(engine.secret_key(secret)) == 20
    assert secret != engine.new_secret()


def test_the_secret_is_read_in_any_case_and_with_spaces() -> None:
    secret = engine.new_secret()
    shown = engine.grouped(secret)
    assert shown.count(" ") == 7
    assert all(len(group) == 4 for group in shown.split())
    assert engine.secret_key(shown.lower()) == engine.secret_key(secret)
    assert engine.secret_key("JBSWY3DPEE") == b"Hello!"  # padding added where it is missing


def test_the_provisioning_uri_names_the_issuer_and_the_address() -> None:
    uri = engine.provisioning_uri("JBSWY3DPEHPK3PXP", "olga+ki@example.com")
    parts = urlsplit(uri)
    assert parts.scheme == "otpauth"
    assert parts.netloc == "totp"
    assert parts.path == "/Startklar:olga%2Bki@example.com"
    query = parse_qs(parts.query)
    assert query == {
        "secret": ["JBSWY3DPEHPK3PXP"],
        "issuer": ["Startklar"],
        "algorithm": ["SHA1"],
        "digits": ["6"],
        "period": ["30"],
    }


def test_time_steps_are_thirty_seconds() -> None:
    assert engine.time_step(0) == 0
    assert engine.time_step(29.9) == 0
    assert engine.time_step(30) == 1
    assert engine.time_step(1111111109) == 37037036


@pytest.mark.parametrize("typed", ["123456", " 123 456 ", "123\u00a0456"])
def test_six_digits_are_read_with_spaces(typed: str) -> None:
    assert engine.clean_totp(typed) == "123456"


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12345a", "１２３４５６", "abcdef"])
def test_anything_but_six_digits_is_no_code(typed: str) -> None:
    assert engine.clean_totp(typed) is None


AT = 1_700_000_000.0  # a fixed moment; the step is 56666666
STEP = engine.time_step(AT)


def code_at(step: int) -> str:
    return engine.hotp(engine.secret_key(RFC_SECRET), step)


def test_the_current_code_and_one_step_either_side_are_accepted() -> None:
    assert engine.find_step(RFC_SECRET, code_at(STEP), AT) == STEP
    assert engine.find_step(RFC_SECRET, code_at(STEP - 1), AT) == STEP - 1
    assert engine.find_step(RFC_SECRET, code_at(STEP + 1), AT) == STEP + 1
    assert engine.verify(RFC_SECRET, code_at(STEP), AT) == STEP
    assert engine.verify(RFC_SECRET, engine.totp(RFC_SECRET, AT), AT) == STEP


def test_codes_two_steps_away_or_malformed_are_refused() -> None:
    assert engine.find_step(RFC_SECRET, code_at(STEP - 2), AT) is None
    assert engine.find_step(RFC_SECRET, code_at(STEP + 2), AT) is None
    assert engine.verify(RFC_SECRET, code_at(STEP - 2), AT) is None
    assert engine.find_step(RFC_SECRET, "12x456", AT) is None
    assert engine.find_step(RFC_SECRET, code_at(STEP - 2), AT, window=2) == STEP - 2


def test_a_used_step_and_older_ones_are_refused_the_next_is_accepted() -> None:
    assert engine.verify(RFC_SECRET, code_at(STEP), AT, last_used_step=STEP) is None
    assert engine.verify(RFC_SECRET, code_at(STEP - 1), AT, last_used_step=STEP) is None
    assert engine.verify(RFC_SECRET, code_at(STEP), AT, last_used_step=STEP - 1) == STEP
    assert engine.verify(RFC_SECRET, code_at(STEP + 1), AT, last_used_step=STEP) == STEP + 1
    # A code used at the end of its window stays refused half a minute later.
    assert engine.verify(RFC_SECRET, code_at(STEP), AT + 30, last_used_step=STEP) is None


def test_recovery_codes_come_in_sets_of_ten_distinct_easy_to_type_codes() -> None:
    codes = engine.new_recovery_codes()
    assert len(codes) == 10
    assert len(set(codes)) == 10
    for code in codes:
        assert len(code) == 8
        assert set(code) <= set(engine.RECOVERY_ALPHABET)
    assert not set("0o1li") & set(engine.RECOVERY_ALPHABET)


def test_a_set_never_holds_the_same_code_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = iter(["aaaaaaaa", "aaaaaaaa", "bbbbbbbb"])
    monkeypatch.setattr(engine, "new_recovery_code", lambda: next(drawn))
    assert engine.new_recovery_codes(2) == ["aaaaaaaa", "bbbbbbbb"]


def test_recovery_codes_are_shown_with_a_dash() -> None:
    assert engine.format_recovery_code("abcdefgh") == "abcd-efgh"


@pytest.mark.parametrize(
    "typed", ["abcd-efgh", "ABCD-EFGH", " abcd efgh ", "abcdefgh", "Abcd–efGh"]
)
def test_recovery_codes_are_read_in_any_case_with_spaces_and_dashes(typed: str) -> None:
    assert engine.normalise_recovery_code(typed) == "abcdefgh"


@pytest.mark.parametrize("typed", ["", "abcd-efg", "abcd-efghj", "abcd-efg0", "lbcd-efgh"])
def test_other_text_is_no_recovery_code(typed: str) -> None:
    assert engine.normalise_recovery_code(typed) is None


def test_recovery_codes_are_stored_as_salted_hashes() -> None:
    stored = engine.hash_recovery_code("abcdefgh")
    assert "abcdefgh" not in stored
    assert stored.startswith("sha256$")
    assert engine.hash_recovery_code("abcdefgh") != stored  # a fresh salt each time
    assert engine.recovery_code_matches("abcdefgh", stored)
    assert not engine.recovery_code_matches("abcdefgj", stored)
    assert engine.hash_recovery_code("abcdefgh", "salt") == engine.hash_recovery_code(
        "abcdefgh", "salt"
    )


@pytest.mark.parametrize("stored", ["", "md5$salt$x", "sha256$", "sha256$$abc"])
def test_a_malformed_stored_hash_matches_nothing(stored: str) -> None:
    assert not engine.recovery_code_matches("abcdefgh", stored)


def test_what_was_typed_at_the_second_step_is_told_apart() -> None:
    assert engine.read_code("123 456") == engine.EnteredCode(engine.CodeKind.TOTP, "123456")
    assert engine.read_code("ABCD-EFGH") == engine.EnteredCode(engine.CodeKind.RECOVERY, "abcdefgh")
    assert engine.read_code("2345-6789") == engine.EnteredCode(engine.CodeKind.RECOVERY, "23456789")
    assert engine.read_code("12345") is None
    assert engine.read_code("") is None
