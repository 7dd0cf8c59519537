"""Tracking-number formats of the real carriers: check digits, builders and validators. Pure: no Django.

Each carrier's numbers as publicly documented (the carriers' label guides, UPU S10, USPS Publication 199, and
the test numbers collected in the open ``tracking_number_data`` project):

============  =======================================================================  ========================
carrier       format                                                                   check
============  =======================================================================  ========================
UPS           ``1Z`` + 6 shipper account + 2 service + 7 package + 1 check (18)          mod 10, letters as digits
USPS          IMpb: ``9[1-5]`` + 3 service type + 6-digit mailer ID + 10 serial + 1      GS1 mod 10 (3-1 weights)
              (22; also 20 and 26 digits, and with the ``420`` + ZIP routing prefix);
              international: S10 ``…US``
FedEx         12 digits (Express); 15 digits, or 22 from ``96`` ending in them (Ground)  weighted 3-1-7 mod 11;
                                                                                       GS1 mod 10 for Ground
DHL           10 digits (Express waybill); 12 digits (Paket); 20 digits ``00`` + SSCC    mod 7; 4-9 mod 10;
              (Paket); S10 ``…DE`` (international mail)                                 GS1 mod 10
Royal Mail    S10 ``AA123456785GB``: 2 letters + 8 digits + check + ``GB``               S10 mod 11
Evri          16 letters and digits (no public check-digit rule: shape only)
Hermes (DE)   14 digits                                                                GS1 mod 10
DPD           14-digit parcel number (shape only); the 28-character label barcode       ISO 7064 mod 37,36
GLS           12 digits: 2 depot + 2 product + 7 serial + 1 check                       mod 10 (3-1 weights, +1)
sandbox       ``SBX`` + 11 digits + 1 check                                             GS1 mod 10
============  =======================================================================  ========================

:func:`tracking_number_valid` says whether a number is well formed for a carrier (spaces and hyphens ignored,
letters case-insensitive); :func:`tracking_number_format` names the format it matched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType

_DIGITS = re.compile(r"^\d+$")
_SEPARATORS = re.compile(r"[\s\-]+")
_S10 = re.compile(r"^[A-Z]{2}\d{9}[A-Z]{2}$")
_MOD36_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def tracking_number_tidy(number: str) -> str:
    """Upper case, without spaces and hyphens (how people copy numbers from labels and e-mails)."""
    return _SEPARATORS.sub("", number).upper()


def _is_digits(text: str, length: int | None = None) -> bool:
    return bool(_DIGITS.match(text)) and (length is None or len(text) == length)


# --- check digits ------------------------------------------------------------------------------------------


def gs1_check_digit(data: str) -> int:
    """GS1 / USPS / "modulo 10, weights 3-1": from the rightmost digit, weights 3, 1, 3, …"""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(data)))
    return (10 - total % 10) % 10


def ups_check_digit(body: str) -> int:
    """UPS: over the 15 characters after ``1Z``; a letter counts as ``(ord - 63) mod 10`` (A=2 … Z=7); every
    second character (2nd, 4th, …) doubled; the check makes the sum a multiple of 10."""
    total = 0
    for i, ch in enumerate(body):
        value = int(ch) if ch.isdigit() else (ord(ch) - 63) % 10
        total += value * 2 if i % 2 == 1 else value
    return (10 - total % 10) % 10


def s10_check_digit(serial: str) -> int:
    """UPU S10: weights 8 6 4 2 3 5 9 7 over the 8 serial digits; 11 − (sum mod 11), with 10 → 0 and 11 → 5."""
    total = sum(int(d) * w for d, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    check = 11 - total % 11
    return {10: 0, 11: 5}.get(check, check)


def fedex_check_digit(data: str) -> int:
    """FedEx Express (12 digits): weights 3, 1, 7 repeating over the first 11 digits; (sum mod 11) mod 10."""
    weights = (3, 1, 7) * 4
    return sum(int(d) * w for d, w in zip(data, weights, strict=False)) % 11 % 10


def mod7_check_digit(data: str) -> int:
    """DHL Express waybill: the serial number modulo 7."""
    return int(data) % 7


def dhl_paket_check_digit(data: str) -> int:
    """DHL Paket 12-digit number: weights 4, 9 alternating from the left over 11 digits; mod 10 complement."""
    total = sum(int(d) * (4 if i % 2 == 0 else 9) for i, d in enumerate(data))
    return (10 - total % 10) % 10


def gls_check_digit(data: str) -> int:
    """GLS parcel number: weights 3, 1 from the left over 11 digits, plus 1; mod 10 complement."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(data)) + 1
    return (10 - total % 10) % 10


def mod37_36_check_character(data: str) -> str:
    """ISO/IEC 7064 MOD 37,36 (hybrid), as on DPD parcel labels: the check character (0-9, A-Z)."""
    modulus = 36
    product = modulus
    for ch in data:
        product = (product + _MOD36_ALPHABET.index(ch)) % modulus or modulus
        product = (product * 2) % (modulus + 1)
    return _MOD36_ALPHABET[(modulus + 1 - product) % modulus]


# --- builders ----------------------------------------------------------------------------------------------


def ups_number(shipper: str, service: str, package: int) -> str:
    """``1Z`` + shipper (6) + service (2) + package (7 digits) + check."""
    if not (len(shipper) == 6 and shipper.isalnum() and len(service) == 2 and 0 <= package < 10**7):
        raise ValueError(f"UPS number parts out of range: {shipper!r}, {service!r}, {package}")
    body = f"{shipper}{service}{package:07d}".upper()
    return f"1Z{body}{ups_check_digit(body)}"


def usps_impb(service_type: str, mailer_id: str, serial: int) -> str:
    """22-digit IMpb tracking number: ``94`` + service type code (3) + 6-digit mailer ID + serial (10) + check."""
    if not (_is_digits(service_type, 3) and _is_digits(mailer_id, 6) and 0 <= serial < 10**10):
        raise ValueError(f"IMpb parts out of range: {service_type!r}, {mailer_id!r}, {serial}")
    data = f"94{service_type}{mailer_id}{serial:010d}"
    return f"{data}{gs1_check_digit(data)}"


def s10_number(service_indicator: str, serial: int, country: str) -> str:
    """UPU S10: 2 service-indicator letters + 8 digits + check + ISO country of the issuing post."""
    if not (re.match(r"^[A-Z]{2}$", service_indicator) and re.match(r"^[A-Z]{2}$", country)):
        raise ValueError(f"S10 letters must be A-Z: {service_indicator!r}, {country!r}")
    if not 0 <= serial < 10**8:
        raise ValueError(f"S10 serial out of range: {serial}")
    digits = f"{serial:08d}"
    return f"{service_indicator}{digits}{s10_check_digit(digits)}{country}"


def fedex_number(serial: int) -> str:
    """12-digit FedEx Express number: ``7`` + 10-digit serial + check."""
    if not 0 <= serial < 10**10:
        raise ValueError(f"FedEx serial out of range: {serial}")
    data = f"7{serial:010d}"
    return f"{data}{fedex_check_digit(data)}"


def dhl_express_number(serial: int) -> str:
    """10-digit DHL Express waybill: ``10`` + 7-digit serial + mod-7 check."""
    if not 0 <= serial < 10**7:
        raise ValueError(f"DHL Express serial out of range: {serial}")
    data = f"10{serial:07d}"
    return f"{data}{mod7_check_digit(data)}"


def dhl_paket_number(serial: int) -> str:
    """12-digit DHL Paket number: ``3`` + 10-digit serial + 4-9 check."""
    if not 0 <= serial < 10**10:
        raise ValueError(f"DHL Paket serial out of range: {serial}")
    data = f"3{serial:010d}"
    return f"{data}{dhl_paket_check_digit(data)}"


def gls_number(depot: int, product: int, serial: int) -> str:
    """12-digit GLS parcel number: depot (2) + product (2: 10–68 parcels, 85 express) + serial (7) + check."""
    if not (0 <= depot < 100 and 0 <= product < 100 and 0 <= serial < 10**7):
        raise ValueError(f"GLS number parts out of range: {depot}, {product}, {serial}")
    data = f"{depot:02d}{product:02d}{serial:07d}"
    return f"{data}{gls_check_digit(data)}"


def hermes_number(serial: int) -> str:
    """14-digit Hermes (Germany) number: ``09`` + 11-digit serial + GS1 check."""
    if not 0 <= serial < 10**11:
        raise ValueError(f"Hermes serial out of range: {serial}")
    data = f"09{serial:011d}"
    return f"{data}{gs1_check_digit(data)}"


def dpd_number(depot: str, serial: int) -> str:
    """14-digit DPD parcel number: the 4-digit depot + a 10-digit serial."""
    if not (_is_digits(depot, 4) and 0 <= serial < 10**10):
        raise ValueError(f"DPD number parts out of range: {depot!r}, {serial}")
    return f"{depot}{serial:010d}"


def evri_number(client: str, serial: int) -> str:
    """16-character Evri number: ``H`` + 2-character client prefix + 13-digit serial."""
    if not (len(client) == 2 and client.isalnum() and 0 <= serial < 10**13):
        raise ValueError(f"Evri number parts out of range: {client!r}, {serial}")
    return f"H{client.upper()}{serial:013d}"


def sandbox_number(serial: int) -> str:
    """The sandbox carrier's own numbers: ``SBX`` + 11-digit serial + GS1 check."""
    if not 0 <= serial < 10**11:
        raise ValueError(f"sandbox serial out of range: {serial}")
    data = f"{serial:011d}"
    return f"SBX{data}{gs1_check_digit(data)}"


# --- validators --------------------------------------------------------------------------------------------


def _ups(n: str) -> bool:
    return (
        bool(re.match(r"^1Z[A-Z0-9]{16}$", n)) and n[17].isdigit() and ups_check_digit(n[2:17]) == int(n[17])
    )


def _gs1(n: str) -> bool:
    return _is_digits(n) and len(n) > 1 and gs1_check_digit(n[:-1]) == int(n[-1])


def _s10(country: str | None) -> Callable[[str], bool]:
    def valid(n: str) -> bool:
        if not _S10.match(n) or (country is not None and n[-2:] != country):
            return False
        return s10_check_digit(n[2:10]) == int(n[10])

    return valid


def _usps_impb(n: str) -> bool:
    if _is_digits(n) and n.startswith("420") and len(n) in (30, 34):
        n = n[8:] if len(n) == 30 else n[12:]  # the routing prefix: 420 + ZIP or ZIP+4
    if len(n) == 20:
        return _gs1(n)
    return len(n) in (22, 26) and bool(re.match(r"^9[1-5]", n)) and _gs1(n)


def _fedex_express(n: str) -> bool:
    return _is_digits(n, 12) and fedex_check_digit(n[:11]) == int(n[11])


def _fedex_ground(n: str) -> bool:
    if _is_digits(n, 22) and n.startswith("96"):
        return _gs1(n[7:])  # 96 + 2 + 3-digit service, then the 15-digit number the check covers
    return _is_digits(n, 15) and _gs1(n)


def _dhl_express(n: str) -> bool:
    return (_is_digits(n, 10) or _is_digits(n, 11)) and mod7_check_digit(n[:-1]) == int(n[-1])


def _dhl_paket(n: str) -> bool:
    return _is_digits(n, 12) and dhl_paket_check_digit(n[:11]) == int(n[11])


def _dhl_sscc(n: str) -> bool:
    return _is_digits(n, 20) and n.startswith("00") and _gs1(n[2:])


def _evri(n: str) -> bool:
    return bool(re.match(r"^[A-Z0-9]{16}$", n))


def _hermes(n: str) -> bool:
    return _is_digits(n, 14) and _gs1(n)


def _dpd_parcel(n: str) -> bool:
    return _is_digits(n, 14)


def _dpd_barcode(n: str) -> bool:
    n = n.removeprefix("%")
    return bool(re.match(r"^[0-9A-Z]{27}[0-9A-Z]$", n)) and mod37_36_check_character(n[:27]) == n[27]


def _gls(n: str) -> bool:
    return _is_digits(n, 12) and gls_check_digit(n[:11]) == int(n[11])


def _sandbox(n: str) -> bool:
    return bool(re.match(r"^SBX\d{12}$", n)) and _gs1(n[3:])


FORMATS: Mapping[str, tuple[tuple[str, Callable[[str], bool]], ...]] = MappingProxyType(
    {
        "ups": (("ups_1z", _ups),),
        "usps": (("usps_impb", _usps_impb), ("s10", _s10("US"))),
        "fedex": (("fedex_express", _fedex_express), ("fedex_ground", _fedex_ground)),
        "dhl": (
            ("dhl_express", _dhl_express),
            ("dhl_paket", _dhl_paket),
            ("dhl_sscc", _dhl_sscc),
            ("s10", _s10("DE")),
        ),
        "royal_mail": (("s10", _s10("GB")),),
        "evri": (("evri", _evri),),
        "hermes": (("hermes", _hermes),),
        "dpd": (("dpd_parcel", _dpd_parcel), ("dpd_barcode", _dpd_barcode)),
        "gls": (("gls", _gls),),
        "sandbox": (("sandbox", _sandbox),),
    }
)


def tracking_number_format(carrier_code: str, number: str) -> str | None:
    """The name of the format of ``carrier_code`` that ``number`` is well formed in, or None."""
    from haicang.fulfillment.carriers.base import carrier_code_normalise

    tidy = tracking_number_tidy(number)
    for name, valid in FORMATS.get(carrier_code_normalise(carrier_code), ()):
        if valid(tidy):
            return name
    return None


def tracking_number_valid(carrier_code: str, number: str) -> bool:
    """Whether ``number`` is a well-formed tracking number of ``carrier_code`` (check digit included where the
    format has one). Unknown carriers: False."""
    return tracking_number_format(carrier_code, number) is not None
