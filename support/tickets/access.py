"""Who may read and who may work support tickets in the admin. Members reach only their
own tickets through `support.tickets.selectors`; staff through the roles below, whatever model
permissions a group may have been given by mistake."""

from privacy.registry import CATEGORY_STAFF_ROLES, Category
from privacy.roles import Role, roles_of

# The roles the registry lets see support information (support agents and the privacy
# officer, who answers export and legal requests).
TICKET_READERS = CATEGORY_STAFF_ROLES[Category.SUPPORT]
# Only support agents answer members.
TICKET_WORKERS = frozenset({Role.SUPPORT_AGENT})


def may_read_tickets(user) -> bool:
    return not roles_of(user).isdisjoint(TICKET_READERS)


def may_work_tickets(user) -> bool:
    return not roles_of(user).isdisjoint(TICKET_WORKERS)
