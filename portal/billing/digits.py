"""The check-digit arithmetic of Brazilian payment codes: module 10 and module 11 with the
variants the banks publish. Each function takes a string of digits and returns one digit."""


def only_digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def mod10(digits: str) -> int:
    """FEBRABAN module 10: weights 2, 1, 2, 1... from the right; a product over 9 adds its
    digits; DV = (10 - sum mod 10) mod 10."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def weighted_sum(digits: str, weights: tuple[int, ...] | range = range(2, 10)) -> int:
    """Sum of the digits times `weights`, repeated, from the rightmost digit."""
    weights = tuple(weights)
    return sum(
        int(char) * weights[position % len(weights)]
        for position, char in enumerate(reversed(digits))
    )


def mod11_remainder(digits: str, weights: tuple[int, ...] | range = range(2, 10)) -> int:
    return weighted_sum(digits, weights) % 11


def mod11_barcode(digits: str) -> int:
    """The boleto's general check digit: 11 - (sum mod 11), weights 2..9 from the right;
    0, 10 and 11 become 1 (never 0)."""
    dv = 11 - mod11_remainder(digits)
    return 1 if dv in (0, 10, 11) else dv


def mod11_arrecadacao(digits: str) -> int:
    """Utility bills' module 11: 11 - (sum mod 11); 10 and 11 become 0."""
    dv = 11 - mod11_remainder(digits)
    return 0 if dv >= 10 else dv
