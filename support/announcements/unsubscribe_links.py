"""One-click unsubscribe links: the member and the kind of announcement, signed with the
secret key, so a link cannot be made for someone else or altered into another one."""

from django.core import signing

_SALT = "support.unsubscribe"


def unsubscribe_token(*, member_id: int, kind: str) -> str:
    return signing.dumps({"member": member_id, "kind": kind}, salt=_SALT)


def unsubscribe_request(token: str) -> tuple[int, str] | None:
    """(member key, kind) the token was made for, or None when it was not made by us."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    member_id, kind = data.get("member"), data.get("kind")
    if not isinstance(member_id, int) or not isinstance(kind, str):
        return None
    return member_id, kind
