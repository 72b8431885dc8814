"""Single-use codes: typed back as printed, typing mistakes caught, only a keyed digest kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from startklar.people.engine.codes import ALPHABET, LENGTH, digest, new_code, normalise, shown


def test_a_code_is_printed_in_groups_and_typed_back_in_any_case() -> None:
    code = new_code()
    assert len(code) == LENGTH + 1
    assert set(code) <= set(ALPHABET)
    printed = shown(code)
    assert printed.count("-") == 2
    assert normalise(printed) == code
    assert normalise(" " + printed.lower().replace("-", " ") + " ") == code


def test_codes_differ() -> None:
    assert len({new_code() for _ in range(1000)}) == 1000


@given(st.text(alphabet=ALPHABET, min_size=LENGTH, max_size=LENGTH))
def test_every_single_mistake_and_every_swap_of_neighbours_is_caught(body: str) -> None:
    code = body + "2"
    for check in ALPHABET:
        if normalise(body + check) is not None:
            code = body + check
    assert normalise(code) == code
    for position in range(len(code)):
        for other in ALPHABET:
            if other != code[position]:
                typo = code[:position] + other + code[position + 1 :]
                assert normalise(typo) is None
    for position in range(len(code) - 1):
        a, b = code[position], code[position + 1]
        if a != b:
            swapped = code[:position] + b + a + code[position + 2 :]
            assert normalise(swapped) is None


def test_what_cannot_be_a_code() -> None:
    assert normalise("") is None
    assert normalise("ABC-DEF-GH") is None  # too short
    assert normalise("ABC-DEF-GH0") is None  # 0 is no code's character
    assert normalise("ABC-DEF-GHJK") is None  # too long


def test_only_a_keyed_digest_is_kept() -> None:
    code = new_code()
    first = digest(code, b"secret one")
    assert first == digest(code, b"secret one")
    assert first != digest(code, b"secret two")
    assert code not in first
    assert len(first) == 64
