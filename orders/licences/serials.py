"""Licence serial numbers: random, human-typable, with a check character.

Crockford's base-32 alphabet (no I, L, O, U) keeps serials readable over the phone; the
check character is the Luhn mod N algorithm over that alphabet, which catches every
single mistyped character and every swap of two neighbours but one: 0 and Z side by side
(the base-32 twin of Luhn's 09/90). Serials are drawn without that pair, so for every
serial we issue, any swap of two neighbours is caught too.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_BODY_LENGTH = 19  # four groups of five, the last ending with the check character
_GROUP = 5


def _check_character(body: str) -> str:
    n = len(ALPHABET)
    factor, total = 2, 0
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def _grouped(chars: str) -> str:
    return "-".join(chars[i : i + _GROUP] for i in range(0, len(chars), _GROUP))


# The one neighbour swap Luhn mod 32 cannot see: the first and the last character.
_BLIND_PAIRS = (ALPHABET[0] + ALPHABET[-1], ALPHABET[-1] + ALPHABET[0])


def serial_generate() -> str:
    while True:
        body = "".join(secrets.choice(ALPHABET) for _ in range(_BODY_LENGTH))
        chars = body + _check_character(body)
        if not any(pair in chars for pair in _BLIND_PAIRS):  # ~96% of draws
            return _grouped(chars)


def serial_normalise(serial: str) -> str:
    """Upper-case, without separators or spaces: the form a member might type."""
    return "".join(serial.split()).replace("-", "").upper()


def serial_is_well_formed(serial: str) -> bool:
    chars = serial_normalise(serial)
    if len(chars) != _BODY_LENGTH + 1 or any(c not in ALPHABET for c in chars):
        return False
    return _check_character(chars[:-1]) == chars[-1]


def serial_canonical(serial: str) -> str:
    return _grouped(serial_normalise(serial))
