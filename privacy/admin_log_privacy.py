"""Declarations of the tables Django's admin and content types bring: the admin's change
log names the records staff touched (its `object_repr` may hold a member's public name),
so it is personal data too. The privacy app brings the admin in as the staff's workplace
(privacy.admin_masking), so it declares them (gathered by privacy/privacy.py)."""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from privacy.registry import (
    Category,
    Erasure,
    MemberAccess,
    NonPersonal,
    OwnedBy,
    PersonalField,
    Retention,
    registry,
)

ADMIN_LOG = Retention(
    "Kept for the accountability period (AUDIT_RETENTION_DAYS), then deleted; on erasure "
    "the record's name is replaced by one that identifies nobody.",
    days_setting="AUDIT_RETENTION_DAYS",
)


def _entries_about(member):
    """Log entries about any record the member owns, found through the other declarations
    (the member, their profile, orders, tickets ...). Run before those records are erased,
    while their ids can still be looked up (member_records.owned_declarations)."""
    from privacy.member_records import owned_declarations, records_of

    query = Q()
    for declaration in owned_declarations():
        if not isinstance(declaration.owner, str):
            continue
        ids = [str(pk) for pk in records_of(declaration, member).values_list("pk", flat=True)]
        if ids:
            content_type = ContentType.objects.get_for_model(declaration.model)
            query |= Q(content_type=content_type, object_id__in=ids)
    return LogEntry.objects.filter(query) if query else LogEntry.objects.none()


registry.declare(
    LogEntry,
    owner=OwnedBy("by the record each entry is about", _entries_about),
    fields={
        "id": NonPersonal("surrogate key"),
        "action_time": PersonalField(
            Category.ACCOUNT,
            purpose="When staff changed the member's records (staff accountability).",
            retention=ADMIN_LOG,
            erasure=Erasure.KEEP,
            disclosable_under=frozenset(),
            label="Time of the staff change",
        ),
        "user": PersonalField(
            Category.ACCOUNT,
            purpose="Which staff account made the change (staff accountability).",
            retention=ADMIN_LOG,
            erasure=Erasure.KEEP,
            member_access=MemberAccess.NONE,
            disclosable_under=frozenset(),
            label="Staff account",
        ),
        "content_type": NonPersonal("which kind of record was changed"),
        "object_id": NonPersonal("which record was changed, by id"),
        "object_repr": PersonalField(
            Category.ACCOUNT,
            purpose="Names the changed record in the staff's history.",
            retention=ADMIN_LOG,
            erasure=Erasure.ANONYMISE,
            disclosable_under=frozenset(),
            label="Name of the changed record",
        ),
        "action_flag": NonPersonal("added, changed or deleted"),
        "change_message": PersonalField(
            Category.ACCOUNT,
            purpose="Which fields staff changed (never their values).",
            retention=ADMIN_LOG,
            erasure=Erasure.BLANK,
            disclosable_under=frozenset(),
            label="What staff changed",
        ),
    },
)

registry.declare(
    ContentType,
    owner=None,
    fields={
        "id": NonPersonal("surrogate key"),
        "app_label": NonPersonal("an app's name"),
        "model": NonPersonal("a table's name"),
    },
)
