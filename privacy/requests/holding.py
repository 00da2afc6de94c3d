"""What is holding an open data request, told to its member in the privacy centre. A legal
hold is named (with the kinds of data it keeps) only where no non-disclosure order forbids
it; otherwise the member reads the same words for every hold."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format

from privacy.requests.models import DataRequest
from privacy.requests.selectors import waiting_on_legal_obligation

Kind = DataRequest.Kind
Status = DataRequest.Status
DATE_FORMAT = "j F Y"

GENERIC_HOLD = "Part of it is waiting on a legal obligation to keep some data."


def what_holds(request: DataRequest, known_holds: list[list[str]]) -> str:
    """One sentence; empty for a request that is not open."""
    if not request.is_open:
        return ""
    reasons = []
    if request.kind == Kind.EXPORT:
        if request.status == Status.IN_PROGRESS:
            reasons.append(f"Your export is being built ({request.progress} %).")
        else:
            reasons.append("Waiting for the export to start.")
    elif request.kind == Kind.CORRECTION:
        reasons.append("Waiting for a privacy officer to review the proposed change.")
    elif request.kind == Kind.DELETION:
        in_grace = request.erase_after and request.erase_after > timezone.now()
        if in_grace:
            when = date_format(timezone.localtime(request.erase_after), DATE_FORMAT)
            reasons.append(f"Grace period: you can cancel until {when}; erasure starts then.")
        if waiting_on_legal_obligation(request):
            if known_holds:
                kinds = sorted({label for hold in known_holds for label in hold})
                reasons.append(
                    "A legal hold keeps your "
                    + ", ".join(k.lower() for k in kinds)
                    + " until its case ends; the rest is erased."
                )
            else:
                reasons.append(GENERIC_HOLD)
        elif not in_grace:
            reasons.append("Erasure is under way.")
    if request.extension_reason:
        reasons.append(f"The deadline was extended: {request.extension_reason}")
    return " ".join(reasons)
