"""Reads of the orders app. Other apps (activity) ask here, never the models."""

from orders.licence_serials import serial_canonical, serial_is_well_formed
from orders.models import Licence


def licence_for_serial(*, serial: str) -> Licence | None:
    """The licence with this serial, or None when the serial is malformed or unknown."""
    if not serial_is_well_formed(serial):
        return None
    return Licence.objects.filter(serial=serial_canonical(serial)).first()


def licence_valid_for(*, serial: str, member) -> bool:
    """Whether `member` holds an active licence with this serial."""
    licence = licence_for_serial(serial=serial)
    return licence is not None and licence.is_active and licence.member_id == member.pk


def licences_of(*, member):
    return Licence.objects.filter(member=member)
